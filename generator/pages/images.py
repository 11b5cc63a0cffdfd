"""The published files of the articles' images: every variant of each processed image, read
from the image cache only when written, and the shared folders' other files they show (SVG).
An image shown by several articles is published once."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from generator import folders
from generator.errors import InputError
from generator.media.cache import IMAGES, ImageCache
from generator.model import pictures
from generator.model.article import Article
from generator.pages.records import Page


def image_pages(articles: Sequence[Article], cache_dir: Path) -> list[Page]:
    """A page per published image file, by its bytes' digest (its fingerprint)."""
    cache = ImageCache(cache_dir / IMAGES)
    pages: dict[str, Page] = {}
    owners: dict[str, tuple[Article, str]] = {}
    for article in articles:
        for src, picture in article.pictures.items():
            record = picture.record
            if record is None:
                continue
            for path, variant in picture.files:
                page = Page(path, None, {}, variant.digest, source=cache.file(record, variant))
                _add(pages, owners, page, article, src)
        for file in article.shared:
            if not pictures.is_raster(file.name):
                _add(pages, owners, _raw(file.name, file.path), article, file.name)
    return list(pages.values())


def _add(
    pages: dict[str, Page], owners: dict[str, tuple[Article, str]], page: Page, article: Article,
    src: str,
) -> None:  # fmt: skip
    known = pages.get(page.url)
    if known is None:
        pages[page.url] = page
        owners[page.url] = (article, src)
    elif known.fingerprint != page.fingerprint:
        other, other_src = owners[page.url]
        raise InputError(
            article.path,
            f"{src}: would be published as /{page.url}, as is {other_src} of {other.path} "
            "(rename one)",
            key="image",
        )


def _raw(url: str, path: str) -> Page:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise folders.unreadable(folders.shown(Path(path)), path, error) from None
    return Page(url, None, {}, hashlib.sha256(data).hexdigest(), data)
