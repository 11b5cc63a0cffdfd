"""Pages guessed before they are made. An article changed in its body alone will, as a rule,
have the page it has now with the new body in place of the old: the search index can read
that guess while the build plans and renders, instead of waiting for the page. A guess is
only a head start: the index takes it only if the page made is the same, byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.model.article import Article
from generator.output.markup import rebase_links


def body_edited_pages(
    published: Path, edits: Mapping[str, tuple[Article, Article]], base_path: str
) -> dict[str, str]:
    """The page each article edited in its body alone will likely have (by page name): its
    published page, the old body replaced by the new one as the page shows bodies (links
    rebased). None for a page that does not show its old body once, as it was rendered."""
    guessed: dict[str, str] = {}
    for name, (before, after) in edits.items():
        try:
            page = (published / name).read_text("utf-8")
            old, new = (rebase_links(str(one.body), base_path) for one in (before, after))
        except (OSError, UnicodeDecodeError, KeyError):  # KeyError: the old body is not kept
            continue
        if old and page.count(old) == 1:
            guessed[name] = page.replace(old, new)
    return guessed
