"""An RSS or Atom feed -> one Imported article per entry (feedparser, from bytes: it never
fetches anything). The full content when the feed has it, else the summary, as a draft."""

from __future__ import annotations

import datetime as dt

from generator.errors import InputError
from generator.importer import xmlsafe
from generator.importer.article import Imported
from generator.importer.markup import to_markdown


def read_feed(data: bytes, shown: str) -> list[Imported]:
    import feedparser

    xmlsafe.parse(data, shown)  # entity bombs, external entities, broken XML: refused here
    feed = feedparser.parse(data)
    site = feed.feed.get("title") or None
    items = []
    for number, entry in enumerate(feed.entries, 1):
        where = f"{shown}: entry {number}"
        title = " ".join((entry.get("title") or "").split())
        if not title:
            raise InputError(where, "no title")
        content = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        review = []
        if content:
            html = max(content, key=len)
        else:
            html = entry.get("summary", "")
            review.append("summary only")
        body = to_markdown(html, entry.get("link"))
        if not body:
            raise InputError(where, "no text")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            Imported(
                title=title,
                date=dt.date(*stamp[:3]) if stamp else None,
                body=body,
                source_url=entry.get("link") or None,
                source=site,
                section=(entry.get("tags") or [{}])[0].get("term") or None,
                entry_id=entry.get("id") or None,
                review=tuple(review),
                draft=bool(review),  # a summary is not the article
                labels=tuple(t.get("term", "") for t in entry.get("tags", [])),
                where=where,
            )
        )
    return items
