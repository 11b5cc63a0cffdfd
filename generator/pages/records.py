"""What the planner makes: pages, and the values their contexts hold (links, cards, the
site's masthead, a list's pager). Frozen, so equal values render the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from generator.media.records import Figure
from generator.model import urls


@dataclass(frozen=True, slots=True)
class Link:
    """A named link; a country's has its flag, the static file name of an image (pages.flags)."""

    name: str
    url: str
    flag: str = ""

    def __hash__(self) -> int:
        return hash(self.url)  # see Card.__hash__


@dataclass(frozen=True, slots=True)
class Card:
    """What a list shows of an article: its fingerprint changes only when these do."""

    url: str
    title: str
    date: dt.date
    section: Link | None
    countries: tuple[Link, ...]
    summary: str
    image: Figure | None = None  # the lead image, of which the card shows a crop

    def __hash__(self) -> int:
        # Equal cards have equal URLs, whose hash Python keeps: a card is hashed each time a
        # remembered macro is given it (render.py), dozens of times per page.
        return hash(self.url)


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What every page shows of the site (`site` in templates): hashable, so a macro given it
    (the masthead) is rendered once per build, not once per page (see render.py)."""

    title: str
    description: str
    language: str
    base_url: str
    sections: tuple[Link, ...]
    partners: tuple[Link, ...]
    feed: Link
    search: bool
    # Pages the masthead marks as the current one when shown on them; sorted, not a set: a
    # set's order (so its repr, so every fingerprint) would change from process to process.
    menu: tuple[str, ...]
    links: tuple[Link, ...]  # the fixed menu entries (pages.terms.MENU), Home first

    def __hash__(self) -> int:
        return hash(self.title)  # see Card.__hash__: not the hundred links, twice per page


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page is in its list; `links` are the first, the last and the nearest pages."""

    number: int
    count: int
    newer_url: str | None
    older_url: str | None
    links: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: rendered from `template` with `context`, or the bytes in `data` or
    in the file `source`.

    `cards` and `article` name the articles the page shows (by URL): the cards of the first,
    the whole file of the second. The fingerprint is that of the template (and the files it
    uses) with `content`, that of the rest. A page planned from the plan index of an earlier
    build (build.py) has no context: it is made again only if it must be rendered after all.
    """

    url: str
    template: str | None
    context: dict[str, Any] | None
    fingerprint: str
    data: bytes | None = None
    cards: tuple[str, ...] = ()
    article: str | None = None
    content: str = ""
    # A file whose bytes are the page's, read only when it must be written (a processed
    # image in the cache: hard-linked into the output where the file system allows).
    source: str | None = None
    output: str = field(init=False)  # the file, worked out once: the writer asks many times

    def __post_init__(self) -> None:
        object.__setattr__(self, "output", urls.output_file(self.url))
