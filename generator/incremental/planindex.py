"""The plan-index strategy: the plan of the last build, kept on disk, so that a new
`portal build` process plans only the pages showing an article that changed.

Which pages exist and which articles each one shows depend only on the site's *structure*:
the options, the static files and code, and each article's URL, date, section, countries,
places and tags. While that is unchanged, a page changes only if the file of the article it
is about changed, or the title or summary of an article whose card it shows, or its template:
the index keeps each page's fingerprint without its template's part. docs/PERFORMANCE.md says
what this saves.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from generator.config import SiteConfig
from generator.incremental.cache import DeltaStore
from generator.model import pictures
from generator.model.article import Article
from generator.model.site import LayoutCache, Site, build_site
from generator.pages.plan import Planner
from generator.pages.planning import Plan, plan
from generator.pages.records import Page
from generator.stages import home_country

NAME = "plan.pickle"
FORMAT = 6


def carded(article: Article) -> tuple[str, str, str]:
    """What an article's card shows on other pages besides what `placed` covers: its title,
    summary and the crop of its lead image (its variants' key, its text alternative)."""
    image = article.image
    picture = article.pictures.get(pictures.normal(image.src)) if image else None
    if image is None or picture is None:
        return (article.title, article.summary, "")
    shown = f"{picture.path}\0{picture.record and picture.record.key}\0{image.alt}"
    return (article.title, article.summary, shown)


def structure_key(site: Site, sources: str) -> str:
    """What decides the pages and what each shows, but for titles, summaries and bodies: the
    site's layout, and `sources`, standing for the options, static files and code (not the
    templates: they change how pages look, not which there are or what they show)."""
    return hashlib.sha256(repr([FORMAT, sources, site.layout_key]).encode("utf-8")).hexdigest()


class IndexedPage(NamedTuple):
    """What the index keeps of a page (see Page): enough to keep it without planning it."""

    url: str
    template: str
    content: str  # the fingerprint but for the template's part
    fingerprint: str
    cards: tuple[str, ...]
    article: str | None


class IndexedArticle(NamedTuple):
    """What the index keeps of an article: what its cards show, and its file's digest."""

    title: str
    summary: str
    image: str  # the lead image as its card shows it (see carded)
    digest: str


@dataclass(frozen=True)
class PlanIndex:
    structure: str
    articles: dict[str, IndexedArticle]  # by URL
    pages: list[IndexedPage]
    templates: dict[str, str]  # template -> its digest when the fingerprints were made

    def same_templates(self, template_digest: Callable[[str], str]) -> bool:
        """Whether every template is as it was when the fingerprints were made."""
        return all(template_digest(t) == digest for t, digest in self.templates.items())

    def replan(self, planner: Planner, articles: Sequence[Article]) -> list[Page] | None:
        """The pages of the index, those showing a changed article planned again, the others
        as they were, without a context. None if the index does not fit these articles."""
        cards: set[str] = set()  # articles whose title or summary changed
        files: set[str] = set()  # articles whose file changed
        for article in articles:
            known = self.articles.get(article.url)
            if known is None:
                return None
            if (known.title, known.summary, known.image) != carded(article):
                cards.add(article.url)
            if known.digest != article.digest:
                files.add(article.url)
        wanted = {
            page.url
            for page in self.pages
            if page.article in files or not cards.isdisjoint(page.cards)
        }
        made = {page.url: page for page in planner.pages(only=wanted)}
        if made.keys() != wanted:
            return None  # a page the index names is not in the site: plan everything

        # A kept page's fingerprint is made of what it showed and its template as it is now:
        # after a template change, pages are made again (rendering) without planning them all.
        digest = planner.template_digest
        changed = {t for t, known in self.templates.items() if digest(t) != known}

        def kept(entry: IndexedPage) -> Page:
            fingerprint = entry.fingerprint
            if entry.template in changed:
                fingerprint = planner.fingerprint(entry.template, entry.content)
            return Page(entry.url, entry.template, None, fingerprint, None, entry.cards,
                        entry.article, entry.content)  # fmt: skip

        return [made.get(entry.url) or kept(entry) for entry in self.pages]


def index_of(
    structure: str,
    articles: Sequence[Article],
    pages: Sequence[Page],
    template_digest: Callable[[str], str],
) -> PlanIndex:
    """The index of a plan: what each page shows, and what it showed it from."""
    entries = [
        IndexedPage(p.url, p.template, p.content, p.fingerprint, p.cards, p.article)
        for p in pages
        if p.template is not None
    ]
    templates = {template: template_digest(template) for template in {e.template for e in entries}}
    shown = {a.url: IndexedArticle(*carded(a), a.digest) for a in articles}
    return PlanIndex(structure, shown, entries, templates)


class PlanIndexStore:
    """The plan index in `.portal-cache/`, saved as a delta when few pages changed."""

    def __init__(self, cache_dir: Path | None):
        self._store = DeltaStore(cache_dir / NAME if cache_dir else None, FORMAT)

    def read(self, structure: str) -> PlanIndex | None:
        """The index of the last build if its structure is this one."""
        entries = self._store.read()
        if entries.get(("structure",)) != structure:
            return None
        # Kept as plain tuples: the store holds no class of ours.
        articles = {
            key[1]: IndexedArticle(*value) for key, value in entries.items() if key[0] == "article"
        }
        pages = [IndexedPage(key[1], *value) for key, value in entries.items() if key[0] == "page"]
        return PlanIndex(structure, articles, pages, entries.get(("templates",), {}))

    def plan(
        self,
        articles: list[Article],
        config: SiteConfig,
        layouts_aside: str,
        layout_cache: LayoutCache,
    ) -> Plan:
        """The site's plan, made from the index of the last build where it has the same
        structure (`layouts_aside`: the inputs key but for content and templates); the index
        is kept up to date."""
        site = build_site(articles, home_country(config), layout_cache)
        structure = structure_key(site, layouts_aside)
        previous = self.read(structure)
        pages = plan(site, config, previous)
        # Every fingerprint is worked out: the memo of the texts they were made of (a
        # kilobyte per card, link and list) goes before the index is written and the render
        # workers are forked, which reuse its memory rather than adding theirs to it.
        pages.planner.marks = pages.planner.marks.fresh()
        digest = pages.planner.template_digest
        if previous is None or not previous.same_templates(digest):  # its fingerprints are old
            self.write(structure, site.articles, pages.pages, digest)
        elif any(p.template and p.context is not None for p in pages.pages):
            self.update(previous, site.articles, pages.pages)
        return pages

    def write(
        self,
        structure: str,
        articles: Sequence[Article],
        pages: list[Page],
        template_digest: Callable[[str], str],
    ) -> None:
        """Keep the plan for the next process; a failure costs the next build speed only."""
        index = index_of(structure, articles, pages, template_digest)
        entries: dict[tuple[str, ...], object] = {("structure",): structure}
        entries[("templates",)] = index.templates
        entries.update({("article", url): tuple(value) for url, value in index.articles.items()})
        entries.update({("page", url): tuple(rest) for url, *rest in index.pages})
        self._store.write(entries, same=operator.eq)

    def update(self, previous: PlanIndex, articles: Sequence[Article], pages: list[Page]) -> None:
        """Keep the index read as `previous` with the pages planned again in `pages` (those
        with a context) and the articles that changed: a one-article edit writes a few
        entries, without going through all of them."""
        changes: dict[tuple[str, ...], object] = {
            ("page", p.url): (p.template, p.content, p.fingerprint, p.cards, p.article)
            for p in pages
            if p.template is not None and p.context is not None
        }
        for article in articles:
            shown = (*carded(article), article.digest)
            if previous.articles.get(article.url) != shown:
                changes[("article", article.url)] = shown
        self._store.update(changes)
