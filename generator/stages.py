"""The steps every build takes, whether it reuses anything or not: where the output goes,
the seeds converted, the articles chosen, the search index, and the result it reports."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import SiteConfig
from generator.errors import InputError
from generator.model.article import Article
from generator.model.site import Site

if TYPE_CHECKING:
    from generator.output.write import Derived, WriteStats

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"


Say = Callable[[str], None]


Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BuildResult:
    pages: int
    rendered: int
    written: int
    articles: int
    tags: int
    countries: int
    seconds: float
    out: Path
    searchable: bool = True

    @classmethod
    def of(
        cls, stats: WriteStats, site: Site, started: float, out: Path, searchable: bool
    ) -> BuildResult:
        """What a build that began at `started` (perf_counter) made of `site`."""
        return cls(
            pages=stats.pages,
            rendered=stats.rendered,
            written=stats.written,
            articles=len(site.articles),
            tags=len(site.terms["tag"]),
            countries=len(site.terms["country"]),
            seconds=time.perf_counter() - started,
            out=out,
            searchable=searchable,
        )

    def summary(self, seconds: str | None = None) -> str:
        """The line every build ends with (`seconds` in place of how long it took)."""
        took = f"{self.seconds:.1f}" if seconds is None else seconds
        return (
            f"built {self.pages:,} pages ({self.articles:,} articles, {self.tags:,} tags, "
            f"{self.countries:,} countries) into {self.out}/ in {took} s"
            + ("" if self.searchable else ", without a search index")
        )

    def rebuild_summary(self) -> str:
        """The line a watch-mode rebuild logs."""
        return f"rebuilt {self.rendered:,} of {self.pages:,} pages in {self.seconds * 1000:.0f} ms"


def output_folder(config: SiteConfig) -> Path:
    """The output folder, refused when writing it would clobber the project's own files."""
    out = config.path("output_dir")
    resolved = out.resolve()
    for option in ("content_dir", "seeds_dir", "themes_dir", "templates_dir"):
        source = config.path(option).resolve()
        if resolved == source or resolved in source.parents or source in resolved.parents:
            raise InputError(
                str(out), f"output_dir overlaps {option} ({config.path(option)}): choose another"
            )
    return out


def convert_new_seeds(config: SiteConfig, say: Say, warn: Say) -> int:
    """Convert the seeds that have no content file yet; how many files it wrote."""
    seeds = config.path("seeds_dir")
    if not seeds.is_dir():
        return 0
    from generator.convert import convert

    report = convert(seeds, config.path("content_dir"), only_new=True, say=say, warn=warn)
    if report.errors:
        warn(f"{len(report.errors)} seed(s) could not be converted; the build goes on")
    return len(report.written)


def select(
    articles: list[Article], config: SiteConfig, *, drafts: bool, future: bool
) -> list[Article]:
    """Leave out drafts and articles dated after today (in the site's time zone)."""
    day = today(config)
    return [a for a in articles if (drafts or not a.draft) and (future or a.date <= day)]


def today(config: SiteConfig) -> dt.date:
    return config.today()


def duplicate_urls(articles: list[Article]) -> list[InputError]:
    seen: dict[str, Article] = {}
    errors = []
    for article in articles:
        other = seen.setdefault(article.url, article)
        if other is not article:
            message = f"same URL /{article.url} as {other.path} (change the slug)"
            errors.append(InputError(article.path, message, key="slug"))
    return errors


def home_country(config: SiteConfig) -> str:
    from generator.model.gazetteer import load_gazetteer

    return load_gazetteer(config.path("cache_dir")).home


def search_index(config: SiteConfig, warn: Say, refresh: bool = True) -> Derived | None:
    """The search index to derive from the written pages, or None: search is off, or Pagefind
    cannot run (the build goes on without it, and says so)."""
    if not config.search:
        return None
    from generator.model.shards import Shards
    from generator.output.search import SearchIndex, SearchUnavailable

    try:
        return SearchIndex(warn, refresh=refresh, shards=Shards.on(config.today()))
    except SearchUnavailable as why:
        warn(f"search: {why}; building without the search index")
        return None
