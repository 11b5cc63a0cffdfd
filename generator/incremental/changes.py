"""What changed from one load of the content to the next, as the pages other than an
article's own see it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.incremental.parsing import Stamp
from generator.model.article import Article

# What an article may change and still show the same on every other page.
_BODY_ALONE = {"body", "digest", "body_images"}
_OTHER_FIELDS = [f.name for f in dataclasses.fields(Article) if f.name not in _BODY_ALONE]


def body_edits(
    known: dict[str, tuple[Stamp, Article]],
    current: dict[str, tuple[Stamp, Article]],
    pending: list[tuple[Path, Stamp]],
) -> dict[str, tuple[Article, Article]]:
    """The pages of the articles parsed again since `known`, if each changed in its body
    alone and none was added or deleted, with the article before and after; else none."""
    if known.keys() != current.keys():
        return {}
    pages = {}
    for path, _ in pending:
        if str(path) not in current:  # it could not be read (nor was it before)
            return {}
        before, after = known[str(path)][1], current[str(path)][1]
        if any(getattr(before, f) != getattr(after, f) for f in _OTHER_FIELDS):
            return {}
        pages[after.url + "index.html"] = (before, after)
    return pages
