"""Every URL of the site, in one place: templates, feeds, the sitemap and the writer agree.

A URL here is site-relative, without the base path: '' for the home page, 'tags/trade/' for a
tag. `output_file` maps it to the file written under the output folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache

from slugify import slugify

# Pages of their own.
HOME = ""
SEARCH = "search/"
SITEMAP = "sitemap.xml"
NOT_FOUND = "404.html"
ROBOTS = "robots.txt"
SEARCH_INDEX = "pagefind/"  # the search index: one Pagefind bundle per shard (a year) under it

# Kinds of term pages and the folder each lives in.
TERM_FOLDERS = {
    "tag": "tags",
    "country": "countries",
    "section": "sections",
    "year": "archive",
    "pair": "countries",  # /countries/china--south-korea/: a pair lives beside its countries
}


@lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """The URL segment of a tag, country or section name (never empty, never a path)."""
    # Cached: slugify is slow, and the same few hundred names recur on every article.
    slug = slugify(name, max_length=80, word_boundary=True)
    slug = slug or "term-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    return safe_segment(slug)


# Names Windows will not create as files or folders, whatever the extension.
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)]
)


def safe_segment(slug: str) -> str:
    """A slug that is also a valid folder name on Windows (a site may be checked out there)."""
    return f"{slug}-" if slug in WINDOWS_RESERVED else slug


def article(date: dt.date, slug: str) -> str:
    return f"{date.year:04d}/{date.month:02d}/{safe_segment(slug)}/"


def paged(url: str, page: int) -> str:
    """The URL of page `page` (1-based) of a paginated list at `url`."""
    return url if page == 1 else f"{url}page/{page}/"


def term(kind: str, slug: str) -> str:
    return f"{TERM_FOLDERS[kind]}/{slug}/"


def term_index(kind: str) -> str:
    return f"{TERM_FOLDERS[kind]}/"


def feed(url: str = "") -> str:
    """The Atom feed of a page: the site's at 'feed.xml', a term's beside its page."""
    return f"{url}feed.xml"


def search_bundle(shard: str) -> str:
    """The folder of one shard of the search index."""
    return f"{SEARCH_INDEX}{shard}/"


def output_file(url: str) -> str:
    """The file a URL is served from: folders get index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url
