"""Stage 4: Site -> Pages. Every output file is a Page with its URL, template, context and a
fingerprint of everything it shows, so the writer renders only the pages that changed.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.config import SiteConfig
from generator.model import urls
from generator.model.article import Article
from generator.model.site import PAIR_SEPARATOR, Site, Term, pair_name

TERM_TITLES = {"tag": "Topics", "country": "Countries", "section": "Sections", "year": "Archive"}
FEED_KINDS = ("tag", "country", "pair")
NAV_COUNTRIES = 12  # partner countries in the strip under the masthead
MENU = frozenset({"", "countries/", "tags/", "archive/", "search/"})  # the masthead's fixed links


@dataclass(frozen=True, slots=True)
class Link:
    """A named link, with a flag for countries."""

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
    """One output file: rendered from `template` with `context`, or the bytes in `data`.

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
    output: str = field(init=False)  # the file, worked out once: the writer asks many times

    def __post_init__(self) -> None:
        object.__setattr__(self, "output", urls.output_file(self.url))


class Planner:
    """Turns the site into pages; `template_digest` names what a template depends on."""

    def __init__(
        self,
        site: Site,
        config: SiteConfig,
        flag_of: Callable[[str], str],
        template_digest: Callable[[str], str],
        home: str | None = None,
    ):
        self.site = site
        self.config = config
        self.flag_of = flag_of
        self.template_digest = template_digest
        self.home = home  # the portal's own country: drawn apart on the map
        self._cards: dict[str, Card] = {}
        self._card_texts: dict[str, str] = {}  # url -> the card's fingerprint text
        self._links: dict[Term, Link] = {}
        self._extras: dict[Term, dict[str, Any]] = {}  # what a term's list pages show of it
        self._lists: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {}  # see _list_urls
        self._units: dict[str, Unit] | None = None  # see _units_by_url
        self._fingerprints = _Fingerprints()
        self._fingerprinting = True  # False while a page of known fingerprint is made again
        self.common = self._common()
        self._common_digest = self._fingerprints.digest(self.common)

    def with_site(self, site: Site, changed: Collection[str]) -> Planner:
        """A planner of `site`, this one's site with the articles of the `changed` URLs edited
        but filed and ordered as before (see model.with_articles_replaced): what this one
        worked out from the structure (links, the common context, a term's partners and
        charts, the units that make pages) and the cards of the other articles are kept."""
        other = copy.copy(self)
        other.site = site
        # The cards move, not copied: a copy touches 20,000 objects scattered in memory, ~5 ms
        # at 10,000 articles. This planner, left without, makes its own again if asked.
        self._cards, self._card_texts = {}, {}
        for url in changed:
            other._cards.pop(url, None)
            other._card_texts.pop(url, None)
        # A fresh memo: the old one holds the contexts of every page planned so far.
        other._fingerprints = _Fingerprints()
        return other

    def pages(self, only: Collection[str] | None = None) -> Iterator[Page]:
        """Every page of the site, articles first; or only those whose URL is in `only`
        (the cost is theirs: a page planned without its context is made again on its own)."""
        units = self._units_by_url()
        if only is None:
            for make in units.values():
                yield from make(self, None)
            return
        wanted: dict[str, set[str]] = {}
        for url in only:
            # A page of a list or a list's feed is made by the list's unit.
            key = url if url in units else _list_of(url)
            wanted.setdefault(key, set()).add(url)
        for key in sorted(wanted):
            if key in units:
                yield from units[key](self, wanted[key])

    def _units_by_url(self) -> dict[str, Unit]:
        """What makes the pages, by the URL of a page or of the first page of a list (whose
        unit makes all its pages and its feed), in the order of a whole plan. A unit names
        its articles by position or term, not by holding them: planners of the same structure
        share the map (`with_site`), which at 10,000 articles takes ~15 ms to make."""
        if self._units is not None:
            return self._units
        site = self.site
        units: dict[str, Unit] = {}
        for position, article in enumerate(site.articles):
            units[article.url] = functools.partial(Planner._article_unit, position=position)
        units[""] = Planner._home_unit
        for kind, by_term in site.terms.items():
            if kind in TERM_TITLES:  # pairs are listed on their countries' pages instead
                units[urls.term_index(kind)] = functools.partial(Planner._terms_unit, kind=kind)
            for term in by_term:
                units[term.url] = functools.partial(Planner._term_unit, term=term)
        units[urls.feed("")] = Planner._home_feed_unit
        single = {
            "404.html": ("404.html", {"title": "Page not found"}),
            "robots.txt": ("robots.txt", {}),
        }
        if self.config.search:
            single = {"search/": ("search.html", {"title": "Search"}), **single}
        for url, (template, context) in single.items():
            units[url] = functools.partial(
                Planner._page_unit, url=url, template=template, context=context
            )
        self._units = units
        return units

    def _page_unit(
        self, only: Collection[str] | None, url: str, template: str, context: dict[str, Any]
    ) -> list[Page]:
        return [self.page(url, template, context)]

    def _home_unit(self, only: Collection[str] | None) -> Iterator[Page]:
        return self.listing("", "index.html", self.site.articles, None, only=only)

    def _home_feed_unit(self, only: Collection[str] | None) -> list[Page]:
        return [self.feed("", self.config.title, self.site.articles)]

    def _article_unit(self, only: Collection[str] | None, position: int) -> list[Page]:
        return [self.article_page(self.site.articles[position])]

    def _terms_unit(self, only: Collection[str] | None, kind: str) -> list[Page]:
        return [self.page(urls.term_index(kind), "terms.html", self._terms_context(kind))]

    def _term_unit(self, only: Collection[str] | None, term: Term) -> Iterator[Page]:
        kind, items = term.kind, self.site.terms[term.kind][term]
        feeds = [self._feed_link(term)] if kind in FEED_KINDS else []
        extra = self._extra(term, items)
        yield from self.listing(term.url, "term.html", items, term.name, extra, feeds, only)
        if kind in FEED_KINDS and (only is None or urls.feed(term.url) in only):
            yield self.feed(term.url, f"{self.config.title}: {term.name}", items)

    def made_again(self, page: Page) -> Page:
        """A page planned without its context (from the plan index), with it."""
        if page.context is not None:
            return page
        if page.template == "sitemap.xml":
            return self.sitemap(list(self.pages()))
        # Its fingerprint is known: not worked out again (after a template change the render
        # workers make every page so, and fingerprints are a third of planning one).
        self._fingerprinting = False
        try:
            [made] = self.pages(only={page.url})
        finally:
            self._fingerprinting = True
        return dataclasses.replace(page, context=made.context)

    def article_page(self, article: Article) -> Page:
        site = self.site
        newer, older = site.newer[article.url], site.older[article.url]
        context: dict[str, Any] = {
            "title": article.title,
            "description": article.summary,
            "article": article,
            "section": self._link(site.term("section", article.section))
            if article.section
            else None,
            "countries": [self._link(site.term("country", c)) for c in article.countries],
            "tags": [self._link(site.term("tag", t)) for t in article.tags],
            "newer": self.card(newer) if newer else None,
            "older": self.card(older) if older else None,
            "related": [self.card(a) for a in site.related[article.url]],
        }
        cards = tuple(c.url for c in (context["newer"], context["older"], *context["related"]) if c)
        if not self._fingerprinting:
            return self.page(article.url, "article.html", context, "", cards, article.url)
        # Everything above is the article's file (its digest) or a card or link: fingerprinted
        # directly, which at 10,000 articles is several times faster than walking the context.
        key, texts = self._fingerprints.key, self._card_texts
        links = [context["section"], *context["countries"], "|", *context["tags"], "|"]
        neighbours = [context["newer"], context["older"]]
        own = "".join(
            [self._common_digest, article.digest, article.url]
            + [key(value) for value in links]
            + [texts[card.url] if card else "None" for card in neighbours]
            + ["'|'"]
            + [texts[card.url] for card in context["related"]]
        )
        content = self._fingerprints.digest_text(own)
        return self.page(article.url, "article.html", context, content, cards, article.url)

    def listing(
        self,
        url: str,
        template: str,
        items: Sequence[Article],
        title: str | None,
        extra: dict[str, Any] | None = None,
        feeds: list[Link] | None = None,
        only: Collection[str] | None = None,
    ) -> Iterator[Page]:
        """A paginated list of article cards at url, url/page/2/, ... (those in `only`)."""
        size = self.config.paginate
        page_urls, numbers = self._list_urls(url, items)
        count = len(page_urls)
        # What all pages of the list share is fingerprinted once, not once per page.
        feeds = feeds or []
        fingerprints = self._fingerprints
        shared = (
            fingerprints.key([self._common_digest, title, len(items), feeds, extra])
            if self._fingerprinting
            else ""
        )
        wanted = (
            range(1, count + 1)
            if only is None
            else sorted(numbers[u] for u in only if u in numbers)
        )
        for number in wanted:
            # A window, not every page: a list of 1,000 pages would link 1,000 times per page.
            window = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
            pager = Pager(
                number,
                count,
                page_urls[number - 2] if number > 1 else None,
                page_urls[number] if number < count else None,
                tuple((n, page_urls[n - 1]) for n in window),
            )
            shown = [self.card(a) for a in items[(number - 1) * size : number * size]]
            context = {
                "title": title if number == 1 or title is None else f"{title} (page {number})",
                "items": shown,
                "total": len(items),
                "pager": pager,
                "feeds": feeds,
                **(extra or {}),
            }
            content = ""
            if self._fingerprinting:
                texts = ",".join([self._card_texts[card.url] for card in shown])
                own = f"{page_urls[number - 1]!r}{pager!r}[{texts}]"
                content = fingerprints.digest_text(shared + own)
            cards = tuple([card.url for card in shown])
            yield self.page(page_urls[number - 1], template, context, content, cards)

    def _extra(self, term: Term, items: Sequence[Article]) -> dict[str, Any]:
        """What the list pages of a term show of it besides cards: worked out once per
        planner, and kept by `with_site` (it depends on the structure only)."""
        extra = self._extras.get(term)
        if extra is not None:
            return extra
        kind, site = term.kind, self.site
        extra = {"term": self._link(term), "kind": kind}
        if kind == "country":
            extra["partners"] = self._partners(term)
            extra["timeline"] = self._year_chart(term.name, items)
        if kind == "pair":
            extra["pair"] = [
                self._link(site.term("country", n)) for n in term.name.split(PAIR_SEPARATOR)
            ]
            extra["years"] = [(y, n) for y, n in _per_year(items) if n]
            extra["timeline"] = self._year_chart(term.name, items)
        self._extras[term] = extra
        return extra

    def _list_urls(
        self, url: str, items: Sequence[Article]
    ) -> tuple[tuple[str, ...], dict[str, int]]:
        """The URLs of a list's pages, and each one's number; worked out once per list (a
        page made again on its own would otherwise make those of its 1,000 siblings)."""
        known = self._lists.get(url)
        if known is None:
            count = max(1, -(-len(items) // self.config.paginate))
            page_urls = tuple(urls.paged(url, n) for n in range(1, count + 1))
            known = self._lists[url] = (page_urls, {u: n for n, u in enumerate(page_urls, 1)})
        return known

    def feed(self, url: str, title: str, items: Sequence[Article]) -> Page:
        shown = [self.card(a) for a in items[: self.config.feed_limit]]
        # A feed is as new as its newest entry: no build time, so output is reproducible.
        updated = shown[0].date if shown else dt.date(1970, 1, 1)
        context = {"title": title, "page_url": url, "items": shown, "updated": updated}
        cards = tuple(card.url for card in shown)
        return self.page(urls.feed(url), "feed.xml", context, cards=cards)

    def sitemap(self, pages: Sequence[Page]) -> Page:
        """The sitemap of the HTML pages planned (all but the 404 page)."""
        by_url = {a.url: a for a in self.site.articles}
        entries = [
            (p.url, by_url[p.article].date if p.article else None)
            for p in pages
            if p.template and p.template.endswith(".html") and p.url != "404.html"
        ]
        return self.page("sitemap.xml", "sitemap.xml", {"entries": sorted(entries)})

    def page(
        self,
        url: str,
        template: str,
        context: dict[str, Any],
        content: str | None = None,
        cards: tuple[str, ...] = (),
        article: str | None = None,
    ) -> Page:
        """A page; `content` is the fingerprint of what it shows (by default of the common
        context and its own), to which its fingerprint adds that of the template."""
        context = {"url": url, "title": None, "description": None, "feeds": [], **context}
        if not self._fingerprinting:
            content = ""
        elif content is None:
            content = self._fingerprints.digest([self._common_digest, context])
        fingerprint = self.fingerprint(template, content) if self._fingerprinting else ""
        context = {**self.common, **context}
        return Page(url, template, context, fingerprint, None, cards, article, content)

    def fingerprint(self, template: str, content: str) -> str:
        """The fingerprint of a page showing `content` with `template`."""
        return _Fingerprints.digest_text(self.template_digest(template) + content)

    def card(self, article: Article) -> Card:
        card = self._cards.get(article.url)
        if card is None:
            section = self.site.term("section", article.section) if article.section else None
            card = Card(
                url=article.url,
                title=article.title,
                date=article.date,
                section=self._link(section) if section else None,
                countries=tuple(
                    self._link(self.site.term("country", c)) for c in article.countries
                ),
                summary=article.summary,
            )
            self._cards[article.url] = card
            self._card_texts[article.url] = repr(card)  # what _Fingerprints.key makes of it
        return card

    def _partners(self, country: Term) -> tuple[tuple[Link, int, Link], ...]:
        """Partner countries of a country, each with its bilateral page."""
        partners = []
        for partner, count in self.site.partners[country]:
            pair = self.site.term("pair", pair_name(country.name, partner.name))
            partners.append((self._link(partner), count, self._link(pair)))
        return tuple(partners)  # hashable: the template's macro makes the list once per build

    def _terms_context(self, kind: str) -> dict[str, Any]:
        rows: list[dict[str, Any]] = [
            {"term": self._link(term), "count": len(items), "latest": items[0].date}
            for term, items in self.site.terms[kind].items()
        ]
        if kind == "year":
            rows.sort(key=lambda r: r["term"].name, reverse=True)
        elif kind in ("country", "tag"):
            rows.sort(key=lambda r: (-r["count"], r["term"].name))
        context: dict[str, Any] = {"title": TERM_TITLES[kind], "kind": kind, "rows": rows}
        if kind == "country":
            context["world_map"] = self._world_map()
        if kind == "year":
            context["timeline"] = self._month_chart()
        return context

    def _world_map(self) -> str:
        from generator.pages.worldmap import world_map_svg

        by_name = {t.name: t for t in self.site.terms["country"]}
        counts = {name: len(self.site.terms["country"][term]) for name, term in by_name.items()}
        base = self.config.base_path
        return world_map_svg(
            counts,
            lambda name: base + by_name[name].url if name in by_name else None,
            home=self.home,
        )

    def _month_chart(self) -> str:
        from generator.pages.charts import bar_chart_svg, counts_by_month

        base = self.config.base_path
        years = {t.name for t in self.site.terms["year"]}
        return bar_chart_svg(
            counts_by_month(a.date for a in self.site.articles),
            title="Articles per month",
            url_of=lambda month: (
                base + urls.term("year", month[:4]) if month[:4] in years else None
            ),
            id_prefix="archive-timeline",
        )

    def _year_chart(self, name: str, items: Sequence[Article]) -> str:
        from generator.pages.charts import bar_chart_svg, counts_by_year

        return bar_chart_svg(
            counts_by_year(a.date for a in items),
            title=f"{name}: articles per year",
            id_prefix="country-timeline",
        )

    def _common(self) -> dict[str, Any]:
        """What every page shows: the masthead, the section menu, the partner-country strip."""
        site, config = self.site, self.config
        sections = sorted(site.terms["section"].items(), key=lambda kv: (-len(kv[1]), kv[0].name))
        countries = sorted(site.terms["country"].items(), key=lambda kv: (-len(kv[1]), kv[0].name))
        return {
            "site": SiteInfo(
                title=config.title,
                description=config.description,
                language=config.language,
                base_url=config.base_url,
                sections=tuple(self._link(t) for t, _ in sections),
                partners=tuple(self._link(t) for t, _ in countries[:NAV_COUNTRIES]),
                feed=Link(config.title, urls.feed()),
                search=config.search,
                menu=tuple(sorted(MENU | {self._link(t).url for t, _ in sections + countries})),
            )
        }

    def _link(self, term: Term) -> Link:
        # One Link per term, so its fingerprint text is worked out once (see _Fingerprints).
        link = self._links.get(term)
        if link is None:
            flag = self.flag_of(term.name) if term.kind == "country" else ""
            link = self._links[term] = Link(term.name, term.url, flag)
        return link

    def _feed_link(self, term: Term) -> Link:
        return Link(f"{self.config.title}: {term.name}", urls.feed(term.url))


class _Fingerprints:
    """Canonical texts of context values, hashed: equal text, equal page."""

    def __init__(self) -> None:
        # Cards and links recur on many pages (lists, feeds, neighbours): each one's text is
        # worked out once, by identity (the planner makes one object per article and term).
        self._known: dict[int, tuple[object, str]] = {}

    def digest(self, value: Any) -> str:
        return self.digest_text(self.key(value))

    @staticmethod
    def digest_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def key(self, value: Any) -> str:
        kind = type(value)
        if kind is str and len(value) < 200:
            return repr(value)
        if kind in _SHARED:
            known = self._known.get(id(value))
            if known is None or known[0] is not value:
                known = self._known[id(value)] = (value, self._text(value, kind))
            return known[1]
        if kind is Article:
            # An article's page depends on its whole file, which its digest stands for.
            return "A" + value.digest
        if value is None or kind in (int, float, bool, dt.date, Pager):
            return repr(value)  # their repr shows every field
        raise TypeError(f"cannot fingerprint {kind.__name__}")

    def _text(self, value: Any, kind: type) -> str:
        if kind is list or kind is tuple:
            return "[" + ",".join(map(self.key, value)) + "]"
        if kind is dict:
            return "{" + ",".join(f"{k!r}:{self.key(v)}" for k, v in value.items()) + "}"
        return repr(value)  # cards, links and long strings (an SVG chart): every field shows


# Values that recur on many pages as the same object (a country's partner list is on each of
# its pages): their text is kept by identity. The memo holds them, so an id is never reused.
_SHARED = (str, list, tuple, dict, Card, Link, SiteInfo)


def _list_of(url: str) -> str:
    """The first page of the list a page or feed belongs to: 'tags/trade/page/3/' and
    'tags/trade/feed.xml' -> 'tags/trade/' (other URLs are their own)."""
    if url.endswith("feed.xml"):
        return url[: -len("feed.xml")]
    paged = _PAGED.fullmatch(url)
    return paged[1] if paged else url


_PAGED = re.compile(r"(.*)page/\d+/")  # urls.paged: the list's URL + 'page/N/'

# Makes, with a planner, the pages of a list (those whose URLs are given, or all) or a page.
Unit = Callable[["Planner", Collection[str] | None], Iterable[Page]]


def _per_year(items: Sequence[Article]) -> list[tuple[int, int]]:
    """Articles per year, every year from the last to the first (newest first)."""
    counts = Counter(a.date.year for a in items)
    return [(year, counts[year]) for year in range(max(counts), min(counts) - 1, -1)]
