"""Site -> Pages. Every output file is a Page with its URL, template, context and a
fingerprint of everything it shows, so the writer renders only the pages that changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from generator.config import SiteConfig
from generator.incremental.fingerprints import Fingerprints, Unmarked
from generator.media.records import Figure
from generator.model import pictures, urls
from generator.model.article import Article
from generator.model.site import Site, Term
from generator.pages.records import Card, Link, Page, Pager
from generator.pages.terms import common_context, term_extra
from generator.pages.units import Unit, list_of, units_of


class Planner:
    """Turns the site into pages: each with its context (what it shows) and, from `marks`, the
    fingerprint of that (incremental.fingerprints), by which the writer skips unchanged ones."""

    def __init__(
        self,
        site: Site,
        config: SiteConfig,
        flag_of: Callable[[str], str],
        marks: Fingerprints,
        home: str | None = None,
    ):
        self.site = site
        self.config = config
        self.flag_of = flag_of
        self.marks = marks
        self.home = home  # the portal's own country: drawn apart on the map
        self._cards: dict[str, Card] = {}
        self._links: dict[Term, Link] = {}
        self._extras: dict[Term, dict[str, Any]] = {}  # what a term's list pages show of it
        self._lists: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {}  # see _list_urls
        self._units: dict[str, Unit] | None = None  # see pages.units
        self.common = common_context(site, config, self.link)
        marks.common = marks.digest(self.common)

    def pages(self, only: Collection[str] | None = None) -> Iterator[Page]:
        """Every page of the site, articles first; or only those whose URL is in `only`
        (the cost is theirs: a page planned without its context is made again on its own)."""
        if self._units is None:
            self._units = units_of(self)
        units = self._units
        if only is None:
            for make in units.values():
                yield from make(self, None)
            return
        wanted: dict[str, set[str]] = {}
        for url in only:
            # A page of a list or a list's feed is made by the list's unit.
            key = url if url in units else list_of(url)
            wanted.setdefault(key, set()).add(url)
        for key in sorted(wanted):
            if key in units:
                yield from units[key](self, wanted[key])

    def made_again(self, page: Page) -> Page:
        """A page planned without its context (from the plan index), with it."""
        if page.context is not None:
            return page
        if page.url == urls.SITEMAP:
            return self.sitemap(list(self.pages()))
        # Its fingerprint is known: not worked out again (after a template change the render
        # workers make every page so, and fingerprints are a third of planning one).
        marks, self.marks = self.marks, Unmarked(self.marks.template_digest)
        try:
            [made] = self.pages(only={page.url})
        finally:
            self.marks = marks
        return dataclasses.replace(page, context=made.context)

    def article_page(self, article: Article) -> Page:
        site = self.site
        newer, older = site.newer[article.url], site.older[article.url]
        context: dict[str, Any] = {
            "title": article.title,
            "description": article.summary,
            "article": article,
            "section": self.link(site.term("section", article.section))
            if article.section
            else None,
            "countries": [self.link(site.term("country", c)) for c in article.countries],
            "tags": [self.link(site.term("tag", t)) for t in article.tags],
            "newer": self.card(newer) if newer else None,
            "older": self.card(older) if older else None,
            "related": [self.card(a) for a in site.related[article.url]],
        }
        if article.pictures:
            shown = pictures.figures(
                article.image, article.photos, article.pictures, article.body_images
            )
            # The lead image at the top (unless the body shows it), the other photos after the
            # body; `image` for link previews and feeds, wherever the page shows it.
            context.update(lead=shown[0], figures=shown[1], image=lead_figure(article))
        else:
            context.update(lead=None, figures=[], image=None)
        cards = tuple(c.url for c in (context["newer"], context["older"], *context["related"]) if c)
        content = self.marks.article(article, context)
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
        shows: tuple[str, ...] = (),
    ) -> Iterator[Page]:
        """A paginated list of article cards at url, url/page/2/, ... (those in `only`).
        `shows`: articles whose titles `extra` shows on every page of the list."""
        size = self.config.paginate
        page_urls, numbers = self._list_urls(url, items)
        count = len(page_urls)
        # What all pages of the list share is fingerprinted once, not once per page.
        feeds = feeds or []
        shared = self.marks.list_shared(title, len(items), feeds, extra)
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
            content = self.marks.list_page(shared, page_urls[number - 1], pager, shown)
            cards = tuple([card.url for card in shown]) + shows
            yield self.page(page_urls[number - 1], template, context, content, cards)

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
            if p.template and p.template.endswith(".html") and p.url != urls.NOT_FOUND
        ]
        return self.page(urls.SITEMAP, "sitemap.xml", {"entries": sorted(entries)})

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
        if content is None:
            content = self.marks.page(context)
        fingerprint = self.marks.of(template, content)
        context = {**self.common, **context}
        return Page(url, template, context, fingerprint, None, cards, article, content)

    def fingerprint(self, template: str, content: str) -> str:
        """The fingerprint of a page showing `content` with `template`."""
        return self.marks.of(template, content)

    @property
    def template_digest(self) -> Callable[[str], str]:
        return self.marks.template_digest

    def card(self, article: Article) -> Card:
        card = self._cards.get(article.url)
        if card is None:
            section = self.site.term("section", article.section) if article.section else None
            card = Card(
                url=article.url,
                title=article.title,
                date=article.date,
                section=self.link(section) if section else None,
                countries=tuple(self.link(self.site.term("country", c)) for c in article.countries),
                summary=article.summary,
                image=lead_figure(article),
            )
            self._cards[article.url] = card
        return card

    def term_extra(self, term: Term, items: Sequence[Article]) -> dict[str, Any]:
        """What a term's list pages show of it besides cards, worked out once."""
        extra = self._extras.get(term)
        if extra is None:
            extra = self._extras[term] = term_extra(self.site, term, items, self.link)
        return extra

    def link(self, term: Term) -> Link:
        # One Link per term, so its fingerprint text is worked out once (see _Fingerprints).
        link = self._links.get(term)
        if link is None:
            flag = self.flag_of(term.name) if term.kind == "country" else ""
            link = self._links[term] = Link(term.name, term.url, flag)
        return link

    def feed_link(self, term: Term) -> Link:
        return Link(f"{self.config.title}: {term.name}", urls.feed(term.url))


def lead_figure(article: Article) -> Figure | None:
    """An article's lead image as its card and its link previews show it."""
    image = article.image
    picture = article.pictures.get(pictures.normal(image.src)) if image else None
    if image is None or picture is None:
        return None
    return Figure(picture, image.alt, image.caption, image.credit, lead=True)
