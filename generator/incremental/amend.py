"""The amend-in-memory strategy of a watching process (`portal serve`): the last plan kept,
and after an edit only the pages showing the edited articles planned again."""

from __future__ import annotations

import copy
import operator
from collections.abc import Collection
from dataclasses import dataclass
from itertools import compress

from generator.config import SiteConfig
from generator.incremental import planindex
from generator.model.article import Article
from generator.model.site import LayoutCache, Site, build_site, placed, with_articles_replaced
from generator.pages.plan import Planner
from generator.pages.planning import Plan, plan
from generator.stages import home_country


@dataclass(frozen=True)
class LastPlan:
    sources: str  # inputs_key without content: options, templates, static files, code
    articles: list[Article]
    plan: Plan


def amend(
    last: LastPlan | None,
    articles: list[Article],
    config: SiteConfig,
    sources: str,
    layout_cache: LayoutCache,
) -> Plan:
    """Watch mode amends the plan it keeps in memory: when only bodies changed, just those
    articles' pages; when titles or summaries changed too, the pages showing their cards."""
    if last is None or last.sources != sources or len(last.articles) != len(articles):
        return plan(build_site(articles, home_country(config), layout_cache), config)
    # Iterated in C (compress, map): these run over every article on every rebuild.
    edited = list(map(operator.is_not, last.articles, articles))
    pairs = list(zip(compress(last.articles, edited), compress(articles, edited), strict=True))
    # A bundle's files are pages of their own, planned with the site's.
    # So are its images' variants and the shared files it shows.
    same_files = all(
        a.files == b.files and a.pictures == b.pictures and a.shared == b.shared for a, b in pairs
    )
    if same_files and all(placed(a) == placed(b) for a, b in pairs):
        if all(planindex.carded(a) == planindex.carded(b) for a, b in pairs):
            return _replan_articles(last.plan, [b for _, b in pairs])
        # Against the planner's model, which body-only rebuilds leave as it was: every
        # article newer than its copy there (not only this time's) is put in.
        site = last.plan.planner.site
        newer = set(map(id, articles)).difference(map(id, site.articles))
        fresh = compress(articles, map(newer.__contains__, map(id, articles)))
        changed = {a.url: a for a in fresh}
        return _replan_cards(last.plan, with_articles_replaced(site, changed), changed)
    return plan(build_site(articles, home_country(config), layout_cache), config)


def _replan_articles(previous: Plan, changed: list[Article]) -> Plan:
    """The previous plan with the pages of changed articles planned anew (watch mode's
    common case: an editor saving a body skips planning every other page)."""
    by_url = {a.url: a for a in changed}
    pages = list(previous.pages)
    renewed = [p for p in previous.pages_showing(by_url) if pages[p].article in by_url]
    for position in renewed:
        pages[position] = previous.planner.article_page(by_url[pages[position].url])
    return previous.amended(pages, previous.planner, renewed)


def _replan_cards(previous: Plan, site: Site, changed: dict[str, Article]) -> Plan:
    """The previous plan with the pages showing changed articles (their own pages, and those
    with their cards: lists, feeds, neighbours) planned anew from `site`, which files and
    orders every article as the previous plan's site did."""
    planner = with_site(previous.planner, site, changed)
    positions = previous.pages_showing(changed)
    pages = list(previous.pages)
    made = {page.url: page for page in planner.pages(only={pages[p].url for p in positions})}
    for position in positions:
        pages[position] = made[pages[position].url]
    return previous.amended(pages, planner, positions)


def with_site(planner: Planner, site: Site, changed: Collection[str]) -> Planner:
    """A planner of `site`, the planner's site with the articles of the `changed` URLs edited
    but filed and ordered as before (see model.site.with_articles_replaced): what it worked
    out from the structure (links, the common context, a term's partners and charts, the
    units that make pages) and the cards of the other articles are kept."""
    other = copy.copy(planner)
    other.site = site
    # The cards move, not copied: a copy touches every card, scattered in memory. The old
    # planner, left without, makes its own again if asked.
    other._cards, planner._cards = planner._cards, {}
    for url in changed:
        other._cards.pop(url, None)
    # A fresh memo: the old one holds the contexts of every page planned so far.
    other.marks = planner.marks.fresh()
    return other
