"""An imported article, and its front matter as convert writes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.convert.fields import Article
from generator.convert.fields import front_matter as front_matter_of
from generator.convert.topics import Vocabulary
from generator.model.gazetteer import Gazetteer


@dataclass(frozen=True, slots=True)
class LocalImage:
    """An image a saved page keeps beside it (a browser's "save page, complete" folder): copied
    into the article's page bundle under `name`."""

    name: str
    source: Path


@dataclass(frozen=True)
class Imported:
    """What a page, a feed entry or an export's post says. `review` lists what an editor
    should know or check; `draft` (or no date) makes it a draft until they have."""

    title: str
    date: dt.date | None
    body: str  # Markdown
    source_url: str | None = None
    source: str | None = None
    section: str | None = None
    entry_id: str | None = None
    photos: tuple[dict[str, str], ...] = ()
    review: tuple[str, ...] = ()
    draft: bool = False
    labels: tuple[str, ...] = ()  # the source's own tags and categories, read for topics
    images: tuple[LocalImage, ...] = ()  # to copy beside the article: it becomes a bundle
    where: str = ""  # the file, and the entry in it, for messages


def front_matter(item: Imported, slug: str, gaz: Gazetteer, vocab: Vocabulary) -> dict[str, Any]:
    """Front matter as convert writes it, plus source_url and the feed's id. A page imported
    into the portal is about the home country's ties, named or not (a Russian page may name
    China only in Russian case forms)."""
    paragraphs = [p for p in item.body.split("\n\n") if p.strip() and not _is_photo(p)]
    text = "\n".join([item.title, *paragraphs, *(p["caption"] for p in item.photos)])
    made_of = Article(
        item.title, item.date, item.section, item.source, text, paragraphs, list(item.photos)
    )
    review = [*item.review, *(["no date found"] if item.date is None else [])]
    fields = front_matter_of(
        made_of, slug, gaz, vocab, draft=item.draft, review=review, home_first=True,
        labels=item.labels,
    )  # fmt: skip
    if item.source_url:
        fields["source_url"] = item.source_url
    if item.entry_id:
        fields["id"] = item.entry_id
    return fields


def _is_photo(paragraph: str) -> bool:
    """An image, or the caption block written under it: not the article's text."""
    return paragraph.startswith("![") or paragraph.endswith("{: .photo-caption }")
