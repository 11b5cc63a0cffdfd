"""An imported article, and its front matter as convert writes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from generator.convert.fields import countries_in, summarise
from generator.convert.topics import Vocabulary
from generator.gazetteer import Gazetteer


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
    where: str = ""  # the file, and the entry in it, for messages


def front_matter(item: Imported, slug: str, gaz: Gazetteer, vocab: Vocabulary) -> dict[str, Any]:
    """Front matter in convert's order, plus source_url, id and review."""
    paragraphs = [p for p in item.body.split("\n\n") if p.strip() and not p.startswith("![")]
    text = "\n".join([item.title, *paragraphs, *(p["caption"] for p in item.photos)])
    places = gaz.place_mentions(text)
    review = list(item.review)
    if item.date is None:
        review.append("no date found")
    fields: dict[str, Any] = {"title": item.title, "date": item.date or dt.date.today()}
    if item.section:
        fields["section"] = item.section
    if item.source:
        fields["source"] = item.source
    # A page imported into the portal is about the home country's ties, named or not (a
    # Russian page may name China only in Russian case forms).
    countries = countries_in(text, gaz, places)
    fields["countries"] = [gaz.home, *(c for c in countries if c != gaz.home)]
    fields["places"] = list(dict.fromkeys(m.name for m in places))
    fields["tags"] = vocab.tags_in("\n".join([text, *item.labels]))
    fields["summary"] = summarise(paragraphs)
    if item.photos:
        fields["photos"] = [dict(p) for p in item.photos]
    fields["slug"] = slug
    fields["draft"] = item.draft or item.date is None
    if review:
        fields["review"] = review
    if item.source_url:
        fields["source_url"] = item.source_url
    if item.entry_id:
        fields["id"] = item.entry_id
    return fields
