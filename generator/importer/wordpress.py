"""A WordPress export (WXR) -> its posts (and pages, if asked): published ones published,
drafts, pending, future and private ones as drafts, the rest skipped and counted."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.convert.captions import caption_of
from generator.convert.dates import parse_date
from generator.errors import InputError
from generator.importer import xmlsafe
from generator.importer.article import Imported
from generator.importer.markup import to_markdown

_NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_PUBLISHED = {"publish"}
_DRAFTS = {"draft", "pending", "future", "private"}
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S | re.I)
_SHORTCODE = re.compile(r"\[(/?)([a-z][\w-]*)[^\]]*\]", re.I)
_ENCLOSED = re.compile(r"\[(embed|video|audio|gallery|playlist)[^\]]*\].*?\[/\1\]", re.S | re.I)
_IMG = re.compile(r"<img[^>]*>", re.I)


@dataclass
class Export:
    items: list[Imported] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # status or kind -> how many


def read_export(data: bytes, shown: str, pages: bool = False) -> Export:
    root = xmlsafe.parse(data, shown)
    export = Export()
    channel = root.find("channel")
    if channel is None:
        raise InputError(shown, "a WordPress export without a <channel>")
    site = (channel.findtext("title") or "").strip() or None
    for number, item in enumerate(channel.findall("item"), 1):
        kind = item.findtext("wp:post_type", "", _NS)
        status = item.findtext("wp:status", "", _NS)
        if kind not in ("post", "page") or (kind == "page" and not pages):
            export.skipped[kind if kind != "page" else "page (without --pages)"] += 1
            continue
        if status not in _PUBLISHED | _DRAFTS:
            export.skipped[status or "no status"] += 1
            continue
        export.items.append(_post(item, f"{shown}: item {number}", site, status))
    return export


def _post(item: Any, where: str, site: str | None, status: str) -> Imported:
    title = " ".join((item.findtext("title") or "").split())
    if not title:
        raise InputError(where, "no title")
    html = item.findtext("content:encoded", "", _NS)
    review: list[str] = []
    photos: list[dict[str, str]] = []
    html = _BLOCK_COMMENT.sub("", html)

    def caption(match: re.Match[str]) -> str:
        inner = match[1]
        text = " ".join(_IMG.sub("", inner).split())
        found = caption_of(text)
        if found and found.caption:
            photos.append({"caption": found.caption, "credit": found.credit})
        elif text:
            photos.append({"caption": text, "credit": ""})
        return ""

    html = _CAPTION.sub(caption, html)
    removed = sorted({m[1].lower() for m in _ENCLOSED.finditer(html)})
    html = _ENCLOSED.sub("", html)
    removed += sorted({m[2].lower() for m in _SHORTCODE.finditer(html)} - set(removed))
    html = _SHORTCODE.sub("", html)
    if removed:
        review.append("shortcodes removed: " + ", ".join(removed))
    if status != "publish":
        review.append(f"a {status} post in WordPress")
    if not re.search(r"<p[\s>]", html, re.I):
        html = "".join(f"<p>{p.strip()}</p>" for p in re.split(r"\n\s*\n", html) if p.strip())
    body = to_markdown(html, item.findtext("link"))
    if not body:
        raise InputError(where, "no text")
    date_text = item.findtext("wp:post_date", "", _NS) or item.findtext("pubDate", "")
    categories = [c for c in item.findall("category") if c.get("domain") == "category"]
    tags = [c.text or "" for c in item.findall("category") if c.get("domain") == "post_tag"]
    return Imported(
        title=title,
        date=parse_date(date_text[:40]),
        body=body,
        source_url=(item.findtext("link") or "").strip() or None,
        source=site,
        section=(categories[0].text or "").strip() or None if categories else None,
        entry_id=(item.findtext("guid") or "").strip() or None,
        photos=tuple(p for p in photos if p["credit"]),
        review=tuple(review),
        draft=status != "publish",
        labels=tuple(tags),
        where=where,
    )
