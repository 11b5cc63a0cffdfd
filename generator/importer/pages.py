"""A saved web page -> one Imported article: its main text (trafilatura, without menus,
sidebars, comments or footers), its URL and its date from the page's own metadata."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from generator.convert.captions import caption_of
from generator.convert.datelines import is_date_line
from generator.convert.dates import find_date
from generator.convert.lines import byline
from generator.convert.markdown_text import photo_caption
from generator.errors import InputError
from generator.importer.article import Imported, LocalImage
from generator.model.bundles import is_local

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
_IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)[ \t]*$", re.M)


def read_page(data: bytes, shown: str, folder: Path | None = None) -> Imported:
    """`folder`: where the page was saved; images it names in that folder are kept."""
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
    images = _LocalImages(folder, tree.xpath("//img/@src"), url)
    body = _IMAGE.sub(lambda m: f"![{m[1]}]({images.src(m[2], url)})", body)
    photos = _figures(tree, url, images)
    body = _captioned(body, photos)
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
        images=tuple(images.found.values()),
    )


def _figures(tree: Any, url: str | None, images: _LocalImages) -> tuple[dict[str, str], ...]:
    """The page's photos with their captions and credits ("... [Photo/Xinhua]")."""
    photos = []
    for figure in tree.xpath("//figure[.//img and .//figcaption]"):
        text = " ".join(figure.xpath("string(.//figcaption)").split())
        found = caption_of(text)
        if not text or found is None or not found.caption:
            continue
        src = images.src(figure.xpath(".//img/@src")[0], url)
        photos.append({"caption": found.caption, "credit": found.credit, "src": src})
    return tuple(photos)


def _captioned(body: str, photos: tuple[dict[str, str], ...]) -> str:
    """The body with each photo's caption and credit under its image, as convert writes them."""
    captions = {photo["src"]: photo for photo in photos}

    def caption_after(match: re.Match[str]) -> str:
        photo = captions.get(match[2])
        if photo is None:
            return match[0]
        return f"{match[0].rstrip()}\n\n{photo_caption(photo['caption'], photo['credit'])}"

    return _IMAGE_LINE.sub(caption_after, body)


class _LocalImages:
    """The images a saved page names in its own folder ("save page, complete" keeps them in
    `page_files/`), each given a name in the article's bundle; other images by absolute URL."""

    def __init__(self, folder: Path | None, srcs: list[str], page_url: str | None):
        self.folder = folder.resolve() if folder is not None else None
        self.found: dict[Path, LocalImage] = {}
        # The text extractor gives images as absolute URLs, made from the page's own.
        self._absolute = {urljoin(page_url or "", src): src for src in map(str, srcs)}

    def src(self, src: str, page_url: str | None) -> str:
        local = self._file(self._absolute.get(src, src))
        if local is None:
            return urljoin(page_url or "", src)
        if local not in self.found:
            taken = {image.name for image in self.found.values()}
            name = _free_name(_safe_name(local.name), taken)
            self.found[local] = LocalImage(name, local)
        return self.found[local].name

    def _file(self, src: str) -> Path | None:
        if self.folder is None or not is_local(src) or src.startswith("//"):
            return None
        path = (self.folder / unquote(src.split("?")[0].split("#")[0])).resolve()
        # Never a file outside the page's folder ("../../home/..."), nor one that is not there.
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        return path


def _safe_name(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem if dot else name).strip("-") or "image"
    return f"{stem}.{suffix.lower()}" if dot and suffix.isalnum() else stem


def _free_name(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, number = name, 2
    while candidate in taken or candidate == "index.html":
        candidate = f"{stem}-{number}{dot}{suffix}" if dot else f"{name}-{number}"
        number += 1
    return candidate


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
