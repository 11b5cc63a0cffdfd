"""A saved web page -> one Imported article: its main text (trafilatura, without menus,
sidebars, comments or footers), its URL and its date from the page's own metadata."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin

from generator.convert.captions import caption_of
from generator.convert.datelines import is_date_line
from generator.convert.dates import find_date
from generator.convert.lines import byline
from generator.errors import InputError
from generator.importer.article import Imported

# Meta tags that carry a page's publication date, most trusted first.
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


def read_page(data: bytes, shown: str) -> Imported:
    import trafilatura
    from lxml import html as lxml_html

    text = _decode(data, shown)
    try:
        tree = lxml_html.fromstring(text)
    except Exception as error:  # noqa: BLE001 (lxml raises several kinds on broken pages)
        raise InputError(shown, f"not a readable web page ({type(error).__name__})") from None
    meta = _metas(tree)
    url = _first(tree.xpath("//link[@rel='canonical']/@href")) or meta.get("og:url")
    title = _title(tree, meta)
    if not title:
        raise InputError(shown, "no title (no <h1>, og:title or <title>)")
    body = trafilatura.extract(
        text,
        url=url,
        output_format="markdown",
        include_comments=False,
        include_images=True,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,  # across documents too: a second copy would come back empty
    )
    if not body or not body.strip():
        raise InputError(shown, "no article text found in the page")
    body = _without_headline(body, title)
    body = _IMAGE.sub(lambda m: f"![{m[1]}]({urljoin(url or '', m[2])})", body)
    photos = _figures(tree, url)
    date, review, credited = _date(tree, meta, text)
    site = meta.get("og:site_name") or credited
    return Imported(
        title=title,
        date=date,
        body=body.strip(),
        source_url=url,
        source=site,
        section=meta.get("article:section") or None,
        photos=photos,
        review=tuple(review if url else [*review, "no canonical URL in the page"]),
        draft=bool(review),  # a guessed date
        labels=tuple(v for k, v in meta.items() if k in ("keywords", "article:tag")),
        where=shown,
    )


def _figures(tree: Any, url: str | None) -> tuple[dict[str, str], ...]:
    """The page's photos with their captions and credits ("... [Photo/Xinhua]")."""
    photos = []
    for figure in tree.xpath("//figure[.//img and .//figcaption]"):
        text = " ".join(figure.xpath("string(.//figcaption)").split())
        found = caption_of(text)
        if not text or found is None or not found.caption:
            continue
        src = urljoin(url or "", figure.xpath(".//img/@src")[0])
        photos.append({"caption": found.caption, "credit": found.credit, "src": src})
    return tuple(photos)


def _decode(data: bytes, shown: str) -> str:
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    for encoding in ([declared[1].decode("ascii", "replace")] if declared else []) + ["utf-8"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    raise InputError(shown, "not UTF-8, and no charset the page declares reads it")


def _metas(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in tree.xpath("//meta[@content]"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        if key and key.lower() not in found:
            found[key.lower()] = element.get("content").strip()
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("datePublished"):
                found.setdefault("datepublished", str(item["datePublished"]))
    return found


def _title(tree: Any, meta: dict[str, str]) -> str:
    heading = " ".join(" ".join(tree.xpath("string(//h1)").split()).split())
    if heading:
        return heading
    if meta.get("og:title"):
        return meta["og:title"]
    title = " ".join(tree.xpath("string(//title)").split())
    # "Headline - Site Name", "Headline | Site": the site's name goes.
    return re.split(r"\s+[-|–—]\s+(?=[^-|–—]*$)", title)[0] if title else ""


def _without_headline(body: str, title: str) -> str:
    lines = body.strip().split("\n")
    first = lines[0].lstrip("# ").strip()
    return "\n".join(lines[1:]).strip() if first == title else body


def _date(tree: Any, meta: dict[str, str], text: str) -> tuple[Any, list[str], str | None]:
    """The date, notes, and the outlet a byline credits. The date from the metadata; else a
    date line in the page (the converter's recognition, as in a byline
    '发布时间：2024年01月15日 来源：新华网'); else trafilatura's guess, for an editor to check."""
    for key in _DATE_META:
        found = find_date(meta.get(key, "")[:40])
        if found:
            return found.date, [], None
    visible = tree.xpath("//body//text()")
    for line in (" ".join(t.split()) for t in visible):
        if line and is_date_line(line):
            found = find_date(line)
            if found:
                credit = byline(line)
                return found.date, [], credit.outlet if credit else None
    import trafilatura

    guessed = trafilatura.extract_metadata(text)
    found = find_date(str(guessed.date)) if guessed is not None and guessed.date else None
    if found:
        return found.date, ["date guessed from the page: check it"], None
    return None, [], None


def _first(values: list[Any]) -> str | None:
    return str(values[0]).strip() if values else None
