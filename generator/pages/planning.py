"""Every page of the site, with the renderer that turns one into bytes: the planner's pages,
the static files, the bundles' files. The plain build makes it whole; the incremental build
amends it (incremental.amend) or plans from an index of the last (incremental.planindex)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import folders
from generator.config import SiteConfig
from generator.errors import InputError
from generator.incremental.fingerprints import Fingerprints
from generator.model.article import Article
from generator.model.pictures import is_raster
from generator.model.site import Site
from generator.output import assets
from generator.pages import flags
from generator.pages.images import image_pages
from generator.pages.plan import Planner
from generator.pages.records import Page
from generator.stages import DEFAULT_THEME

if TYPE_CHECKING:
    from generator.incremental.planindex import PlanIndex
    from generator.output.render import Renderer


@dataclass(frozen=True)
class Plan:
    pages: list[Page]
    render: Callable[[Page], bytes]
    planner: Planner
    renderer: Renderer
    # Article URL -> positions of the pages showing it (its own page, or its card). Made on
    # first use and shared with the plans amended from this one: their pages are in this order.
    showing: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)
    # Amended plans: the positions of the pages planned anew; the others are the last plan's.
    renewed: list[int] | None = None

    def pages_showing(self, urls: Collection[str]) -> list[int]:
        """Positions of the pages showing any of these articles."""
        if not self.showing:
            for position, page in enumerate(self.pages):
                for url in page.cards:
                    self.showing.setdefault(url, []).append(position)
                if page.article is not None and page.article not in page.cards:
                    self.showing.setdefault(page.article, []).append(position)
        return sorted({p for url in urls for p in self.showing.get(url, ())})

    def amended(self, pages: list[Page], planner: Planner, renewed: list[int]) -> Plan:
        """This plan with the pages at `renewed` planned again, in the same order."""
        render = renderer_of(self.renderer, planner)
        return Plan(pages, render, planner, self.renderer, self.showing, renewed)


def plan(site: Site, config: SiteConfig, previous: PlanIndex | None = None) -> Plan:
    """Every page of the site, with the renderer that turns one into bytes. With the index of
    an earlier plan of the same structure, only pages showing changed articles are planned; the
    others are kept without a context."""
    from generator.model.gazetteer import load_gazetteer
    from generator.output.render import Renderer

    theme = config.path("themes_dir") / config.theme
    static = assets.collect([DEFAULT_THEME / "static", theme / "static", config.root / "static"])

    def asset_url(name: str) -> str:
        if name not in static:
            raise InputError(str(theme / "static" / name), "no such static file")
        return static[name].url

    renderer = Renderer(config, asset_url, DEFAULT_THEME)
    gazetteer = load_gazetteer(config.path("cache_dir"))
    flag_of = flags.flags_of(gazetteer, static)

    # Templates use assets by name; a changed asset changes its hashed URL, so the pages too.
    # Hashed to a short digest: every page's fingerprint includes it (the flags are 250 names).
    asset_names = "|".join(a.url for a in static.values())
    asset_digest = hashlib.sha256(asset_names.encode("utf-8")).hexdigest()[:16]
    planner = Planner(
        site,
        config,
        flag_of,
        Fingerprints(lambda t: renderer.template_digest(t) + asset_digest),
        home=gazetteer.home,
    )
    replanned = previous.replan(planner, site.articles) if previous else None
    if replanned is None:
        pages = list(planner.pages())
        pages.append(planner.sitemap(pages))
    else:
        pages = replanned
    # By content: an image or a robots file keeps its name when its bytes change. Of the flags,
    # those of the site's countries: the planner's links show no others.
    shown = map(flag_of, (term.name for term in site.terms["country"]))
    pages += [Page(a.url, None, {}, a.digest, a.data) for a in flags.published(static, shown)]
    pages += bundle_pages(site.articles)
    pages += image_pages(site.articles, config.path("cache_dir"))
    pages.append(Page(".nojekyll", None, {}, "nojekyll", b""))
    if config.cname:
        pages.append(Page("CNAME", None, {}, config.cname, config.cname.encode() + b"\n"))
    return Plan(pages, renderer_of(renderer, planner), planner, renderer)


def bundle_pages(articles: Sequence[Article]) -> list[Page]:
    """The files of page bundles, published beside their articles' pages. Not their images:
    those are published processed (pages.images), never as they are (they may hold a GPS
    position), and only those the article shows."""
    pages = []
    for article in articles:
        for file in article.files:
            if is_raster(file.name):
                continue
            try:
                data = Path(file.path).read_bytes()
            except OSError as error:
                raise folders.unreadable(folders.shown(Path(file.path)), file.path, error) from None
            digest = hashlib.sha256(data).hexdigest()
            pages.append(Page(article.url + file.name, None, {}, digest, data))
    return pages


def renderer_of(renderer: Renderer, planner: Planner) -> Callable[[Page], bytes]:
    # A page kept from the index has no context: made again if it must be rendered after all
    # (its output file went missing from both folders).
    return lambda page: renderer.render(planner.made_again(page))
