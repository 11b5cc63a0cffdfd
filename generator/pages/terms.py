"""What the pages about terms show besides cards: the index of a kind (with the world map or
the timeline), a term's extras (partners, charts), and what every page shows (the masthead)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from generator.config import SiteConfig
from generator.model import urls
from generator.model.article import Article
from generator.model.site import PAIR_SEPARATOR, Site, Term, pair_name
from generator.pages.records import Link, SiteInfo

TERM_TITLES = {"tag": "Topics", "country": "Countries", "section": "Sections", "year": "Archive"}
NAV_COUNTRIES = 12  # partner countries in the strip under the masthead
# The masthead's fixed entries, in order (the sections come after Home); the footer's too,
# but for Home and Search.
MENU = (
    Link("Home", ""),
    Link("Countries", urls.term_index("country")),
    Link("Topics", urls.term_index("tag")),
    Link("Archive", urls.term_index("year")),
    Link("Search", urls.SEARCH),
)

LinkOf = Callable[[Term], Link]  # the planner's one Link per term


def term_extra(site: Site, term: Term, items: Sequence[Article], link: LinkOf) -> dict[str, Any]:
    """What the list pages of a term show of it besides cards (it depends on the structure
    only: the planner keeps it)."""
    kind = term.kind
    extra = {"term": link(term), "kind": kind}
    if kind == "country":
        extra["partners"] = _partners(site, term, link)
        extra["timeline"] = _year_chart(term.name, items)
    if kind == "pair":
        extra["pair"] = [link(site.term("country", n)) for n in term.name.split(PAIR_SEPARATOR)]
        extra["years"] = [(y, n) for y, n in _per_year(items) if n]
        extra["timeline"] = _year_chart(term.name, items)
    return extra


def _partners(site: Site, country: Term, link: LinkOf) -> tuple[tuple[Link, int, Link], ...]:
    """Partner countries of a country, each with its bilateral page."""
    partners = []
    for partner, count in site.partners[country]:
        pair = site.term("pair", pair_name(country.name, partner.name))
        partners.append((link(partner), count, link(pair)))
    return tuple(partners)  # hashable: the template's macro makes the list once per build


def terms_context(
    site: Site, config: SiteConfig, kind: str, link: LinkOf, home: str | None
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = [
        {"term": link(term), "count": len(items), "latest": items[0].date}
        for term, items in site.terms[kind].items()
    ]
    if kind == "year":
        rows.sort(key=lambda r: r["term"].name, reverse=True)
    elif kind in ("country", "tag"):
        rows.sort(key=lambda r: (-r["count"], r["term"].name))
    context: dict[str, Any] = {"title": TERM_TITLES[kind], "kind": kind, "rows": rows}
    if kind == "country":
        context["world_map"] = _world_map(site, config, home)
    if kind == "year":
        context["timeline"] = _month_chart(site, config)
    return context


def _world_map(site: Site, config: SiteConfig, home: str | None) -> str:
    from generator.pages.worldmap import world_map_svg

    by_name = {t.name: t for t in site.terms["country"]}
    counts = {name: len(site.terms["country"][term]) for name, term in by_name.items()}
    base = config.base_path
    return world_map_svg(
        counts,
        lambda name: base + by_name[name].url if name in by_name else None,
        home=home,
    )


def _month_chart(site: Site, config: SiteConfig) -> str:
    from generator.pages.charts import bar_chart_svg, counts_by_month

    base = config.base_path
    years = {t.name for t in site.terms["year"]}
    return bar_chart_svg(
        counts_by_month(a.date for a in site.articles),
        title="Articles per month",
        url_of=lambda month: base + urls.term("year", month[:4]) if month[:4] in years else None,
        id_prefix="archive-timeline",
    )


def _year_chart(name: str, items: Sequence[Article]) -> str:
    from generator.pages.charts import bar_chart_svg, counts_by_year

    return bar_chart_svg(
        counts_by_year(a.date for a in items),
        title=f"{name}: articles per year",
        id_prefix="country-timeline",
    )


def common_context(site: Site, config: SiteConfig, link: LinkOf) -> dict[str, Any]:
    """What every page shows: the masthead, the section menu, the partner-country strip."""
    sections = sorted(site.terms["section"].items(), key=lambda kv: (-len(kv[1]), kv[0].name))
    countries = sorted(site.terms["country"].items(), key=lambda kv: (-len(kv[1]), kv[0].name))
    return {
        "site": SiteInfo(
            title=config.title,
            description=config.description,
            language=config.language,
            base_url=config.base_url,
            sections=tuple(link(t) for t, _ in sections),
            partners=tuple(link(t) for t, _ in countries[:NAV_COUNTRIES]),
            feed=Link(config.title, urls.feed()),
            search=config.search,
            menu=tuple(
                sorted({m.url for m in MENU} | {link(t).url for t, _ in sections + countries})
            ),
            links=tuple(m for m in MENU if config.search or m.url != urls.SEARCH),
        )
    }


def _per_year(items: Sequence[Article]) -> list[tuple[int, int]]:
    """Articles per year, every year from the last to the first (newest first)."""
    counts = Counter(a.date.year for a in items)
    return [(year, counts[year]) for year in range(max(counts), min(counts) - 1, -1)]
