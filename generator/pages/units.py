"""What makes the site's pages: a unit per page or per list (whose unit makes all its pages
and its feed), found by URL, so a part of the site can be planned on its own."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from generator.model import urls
from generator.model.shards import Shards
from generator.model.site import Site, Term
from generator.pages.front import front_side
from generator.pages.records import Page
from generator.pages.terms import TERM_TITLES, terms_context

if TYPE_CHECKING:
    from generator.pages.plan import Planner

FEED_KINDS = ("tag", "country", "pair")
# Makes, with a planner, the pages of a list (those whose URLs are given, or all) or a page.
Unit = Callable[["Planner", Collection[str] | None], Iterable[Page]]


def units_of(planner: Planner) -> dict[str, Unit]:
    """What makes the pages, by the URL of a page or of the first page of a list (whose
    unit makes all its pages and its feed), in the order of a whole plan. A unit names
    its articles by position or term, not by holding them: planners of the same structure
    share the map (incremental.amend.with_site)."""
    site = planner.site
    units: dict[str, Unit] = {}
    for position, article in enumerate(site.articles):
        units[article.url] = functools.partial(_article_unit, position=position)
    units[urls.HOME] = _home_unit
    for kind, by_term in site.terms.items():
        if kind in TERM_TITLES:  # pairs are listed on their countries' pages instead
            units[urls.term_index(kind)] = functools.partial(_terms_unit, kind=kind)
        for term in by_term:
            units[term.url] = functools.partial(_term_unit, term=term)
    units[urls.feed("")] = _home_feed_unit
    single: dict[str, tuple[str, dict[str, Any]]] = {
        urls.NOT_FOUND: ("404.html", {"title": "Page not found"}),
        urls.ROBOTS: ("robots.txt", {}),
    }
    if planner.config.search:
        bundles = tuple(urls.search_bundle(shard) for shard in search_shards(site, planner))
        search = {"title": "Search", "bundles": bundles}
        single = {urls.SEARCH: ("search.html", search), **single}
    for url, (template, context) in single.items():
        units[url] = functools.partial(_page_unit, url=url, template=template, context=context)
    return units


def search_shards(site: Site, planner: Planner) -> list[str]:
    """The shards of the search index, newest first: one per year with articles, and the
    current month's if it has any (output/search.py, model/shards.py)."""
    rule = Shards.on(planner.config.today())
    shards: list[str] = []
    for year, articles in sorted(site.terms["year"].items(), key=_name, reverse=True):
        if year.name != rule.year:
            shards.append(year.name)
            continue
        months = {rule.of(year.name, f"{a.date.month:02d}") for a in articles}
        shards += sorted(months, reverse=True)  # "2026-12" before "2026": the newest first
    return shards


def _name(item: tuple[Term, object]) -> str:
    return item[0].name


def _page_unit(
    planner: Planner, only: Collection[str] | None, url: str, template: str, context: dict[str, Any]
) -> list[Page]:
    return [planner.page(url, template, context)]


def _home_unit(planner: Planner, only: Collection[str] | None) -> Iterator[Page]:
    side = front_side(planner.site, planner.home, planner.link, planner.card)
    articles = planner.site.articles
    return planner.listing("", "index.html", articles, None, {"side": side}, None, only, side.cards)


def _home_feed_unit(planner: Planner, only: Collection[str] | None) -> list[Page]:
    return [planner.feed("", planner.config.title, planner.site.articles)]


def _article_unit(planner: Planner, only: Collection[str] | None, position: int) -> list[Page]:
    return [planner.article_page(planner.site.articles[position])]


def _terms_unit(planner: Planner, only: Collection[str] | None, kind: str) -> list[Page]:
    return [
        planner.page(
            urls.term_index(kind),
            "terms.html",
            terms_context(planner.site, planner.config, kind, planner.link, planner.home),
        )
    ]


def _term_unit(planner: Planner, only: Collection[str] | None, term: Term) -> Iterator[Page]:
    kind, items = term.kind, planner.site.terms[term.kind][term]
    feeds = [planner.feed_link(term)] if kind in FEED_KINDS else []
    extra = planner.term_extra(term, items)
    yield from planner.listing(term.url, "term.html", items, term.name, extra, feeds, only)
    if kind in FEED_KINDS and (only is None or urls.feed(term.url) in only):
        yield planner.feed(term.url, f"{planner.config.title}: {term.name}", items)


def list_of(url: str) -> str:
    """The first page of the list a page or feed belongs to: 'tags/trade/page/3/' and
    'tags/trade/feed.xml' -> 'tags/trade/' (other URLs are their own)."""
    if url.endswith("feed.xml"):
        return url[: -len("feed.xml")]
    paged = _PAGED.fullmatch(url)
    return paged[1] if paged else url


_PAGED = re.compile(r"(.*)page/\d+/")  # urls.paged: the list's URL + 'page/N/'
