"""The build: config -> convert new seeds -> load -> model -> plan -> render + write.

`Builder` keeps what the previous build learnt (parsed articles by file stamp), so watch mode
re-reads only the files that changed; `build` is one Builder run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import importlib.util
import json
import operator
import os
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from generator import atomic, folders
from generator.config import SiteConfig
from generator.errors import InputError
from generator.incremental import planindex
from generator.incremental.cache import RelatedCache
from generator.incremental.loader import ContentLoader
from generator.model.article import Article, ContentErrors
from generator.model.site import Site, build_site, with_articles_replaced
from generator.output import assets
from generator.output.write import MANIFEST, Derived, WriteStats, write_site
from generator.pages.plan import Page, Planner

if TYPE_CHECKING:
    from generator.output.render import Renderer

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

    def summary(self) -> str:
        """The line every build ends with."""
        return (
            f"built {self.pages:,} pages ({self.articles:,} articles, {self.tags:,} tags, "
            f"{self.countries:,} countries) into {self.out}/ in {self.seconds:.1f} s"
            + ("" if self.searchable else ", without a search index")
        )

    def rebuild_summary(self) -> str:
        """The line a watch-mode rebuild logs."""
        return f"rebuilt {self.rendered:,} of {self.pages:,} pages in {self.seconds * 1000:.0f} ms"


class Builder:
    """Builds a site again and again, re-reading only content files that changed."""

    def __init__(
        self,
        config: SiteConfig,
        *,
        drafts: bool = False,
        future: bool = False,
        keep_plan: bool = False,
        private_output: bool = False,
    ):
        self.config = config
        self.keep_plan = keep_plan  # watch mode: amend the last plan when only bodies changed
        # Nobody but this builder touches the output folders (the preview's temporary one):
        # the files its last builds wrote are trusted to be there, not looked at one by one.
        self.private_output = private_output
        self.drafts = drafts
        self.future = future
        # Re-indexing for search reads every article page (tens of seconds at 10,000):
        # the preview turns this off after its first build, `portal build` never does.
        self.refresh_search = True
        self._last: _LastPlan | None = None  # watch mode: what the last build planned
        self._related = RelatedCache(config.path("cache_dir"))
        self._plan_index = planindex.PlanIndexStore(config.path("cache_dir"))
        self._loader = ContentLoader(
            config.path("content_dir"), config.path("cache_dir"), config.allow_html, folders.shown
        )

    def build(
        self,
        say: Say = print,
        warn: Say = print,
        progress: Progress = lambda done, total: None,
        changed: Collection[Path] | None = None,
    ) -> BuildResult:
        """Build into config.output_dir; raises ContentErrors or InputError on bad input.
        `changed`, from a watcher, names every path that changed since the last build."""
        started = time.perf_counter()
        config = self.config
        out = _output_folder(config)
        # A watching builder is called because something changed: it skips the whole-project
        # check that lets a fresh `portal build` with nothing to do stop at once.
        watching = self.keep_plan and self._last is not None
        # The content files' stamps, as the inputs key saw them: the loader need not stat them
        # again (10,000 calls).
        stamps: dict[str, tuple[int, int]] = {}
        inputs = "" if watching else _inputs_key(config, self.drafts, self.future, stamps=stamps)
        # A builder that keeps its plan makes one even with nothing to do, or the first edit
        # in `portal watch` would wait for the whole site to be planned (seconds at 10,000).
        last = None if self.keep_plan else _read_last_build(config)
        if last and last.get("inputs") == inputs == _with_output(inputs, out, last):
            # Not a file the site is made of changed since the last build, nor the output.
            return BuildResult(**last["result"], seconds=time.perf_counter() - started, out=out)
        try:
            with _collection_paused():  # and unfrozen when the build ends (finally, below)
                loaded = self._made_of(config, changed, watching, stamps, say, warn)
            articles, config, search, sources, pages = loaded
            renewed = None if pages.renewed is None else [pages.pages[p] for p in pages.renewed]
            stats = write_site(
                pages.pages, out, pages.render, progress, search, self.private_output, renewed
            )
            if self.keep_plan:
                self._last = _LastPlan(sources, articles, pages)
            result = BuildResult.of(stats, pages.planner.site, started, out, search is not None)
            # Remembered only when nothing changed while building (an edit mid-build, or a seed
            # converted by this build, must be seen by the next one).
            unchanged = not watching and _inputs_key(config, self.drafts, self.future) == inputs
            if unchanged and (search is not None or not self.config.search):
                _write_last_build(config, inputs, out, result)
            return result
        finally:
            gc.unfreeze()

    def _made_of(
        self,
        config: SiteConfig,
        changed: Collection[Path] | None,
        watching: bool,
        stamps: dict[str, tuple[int, int]],
        say: Say,
        warn: Say,
    ) -> tuple[list[Article], SiteConfig, Derived | None, str, Plan]:
        """What the site is made of: the articles, the config as built (without search if
        it is unavailable), the search index, the sources key and the plan."""
        if changed is None or not self._only_content(changed):
            if _convert_new_seeds(config, say, warn):
                stamps = {}  # content files were written since
        hint = self._content_hint(changed) if watching else None
        loaded = self.load_content(hint, stamps)
        articles = select(loaded, config, drafts=self.drafts, future=self.future)
        search = search_index(config, warn, refresh=self.refresh_search)
        if search is None and config.search:
            config = dataclasses.replace(config, search=False)  # no search page, no links to it
        sources = _inputs_key(config, self.drafts, self.future, with_content=False)
        if self.keep_plan:
            last, self._last = self._last, None  # a failed build leaves no plan to amend
            pages = self._replan(last, articles, config, sources)
        else:
            pages = self._plan_from_index(articles, config, sources)
        return articles, config, search, sources, pages

    def _plan_from_index(self, articles: list[Article], config: SiteConfig, sources: str) -> Plan:
        """A new process plans only the pages showing changed articles when the plan index
        of the last build has the same structure (planindex.py); the index is kept up to date."""
        site = build_site(articles, _home_country(config), self._related)
        # Not the templates: pages kept from the index take the fingerprints of today's.
        layouts_aside = _inputs_key(
            config, self.drafts, self.future, with_content=False, with_templates=False
        )
        structure = planindex.structure_key(site.articles, layouts_aside)
        previous = self._plan_index.read(structure)
        pages = plan(site, config, previous)
        digest = pages.planner.template_digest
        if previous is None or not previous.same_templates(digest):  # its fingerprints are old
            self._plan_index.write(structure, site.articles, pages.pages, digest)
        elif any(p.template and p.context is not None for p in pages.pages):
            self._plan_index.update(previous, site.articles, pages.pages)
        return pages

    def _replan(
        self, last: _LastPlan | None, articles: list[Article], config: SiteConfig, sources: str
    ) -> Plan:
        """Watch mode amends the plan it keeps in memory: when only bodies changed, just those
        articles' pages; when titles or summaries changed too, the pages showing their cards."""
        if last is None or last.sources != sources or len(last.articles) != len(articles):
            return plan(build_site(articles, _home_country(config), self._related), config)
        # Iterated in C (compress, map): these run over 10,000 articles on every rebuild.
        edited = list(map(operator.is_not, last.articles, articles))
        pairs = list(zip(compress(last.articles, edited), compress(articles, edited), strict=True))
        # A bundle's files are pages of their own, planned with the site's.
        same_files = all(a.files == b.files for a, b in pairs)
        if same_files and all(planindex.placed(a) == planindex.placed(b) for a, b in pairs):
            if all(planindex.carded(a) == planindex.carded(b) for a, b in pairs):
                return _replan_articles(last.plan, [b for _, b in pairs])
            # Against the planner's model, which body-only rebuilds leave as it was: every
            # article newer than its copy there (not only this time's) is put in.
            site = last.plan.planner.site
            newer = set(map(id, articles)).difference(map(id, site.articles))
            fresh = compress(articles, map(newer.__contains__, map(id, articles)))
            changed = {a.url: a for a in fresh}
            return _replan_cards(last.plan, with_articles_replaced(site, changed), changed)
        return plan(build_site(articles, _home_country(config), self._related), config)

    def _only_content(self, changed: Collection[Path]) -> bool:
        content = self.config.path("content_dir").resolve()
        return all(path.parent == content for path in changed)

    def _content_hint(self, changed: Collection[Path] | None) -> set[str] | None:
        """The content files a watcher saw change, named as the loader names them."""
        if changed is None or not self._only_content(changed):
            return None
        folder = self.config.path("content_dir")
        return {str(folder / path.name) for path in changed}

    def load_content(
        self, hint: set[str] | None = None, stamps: dict[str, tuple[int, int]] | None = None
    ) -> list[Article]:
        """Every content file, validated; all problems of all files raise one ContentErrors.
        `stamps`: (mtime, size) of content files by path, as they were a moment ago."""
        content = self.config.path("content_dir")
        if not content.is_dir():
            raise InputError(str(content), "no such content folder")
        articles, errors = self._loader.load(hint, stamps)
        errors += _duplicate_urls(articles)
        if errors:
            raise ContentErrors(errors)
        return articles


def build(
    config: SiteConfig,
    *,
    drafts: bool = False,
    future: bool = False,
    say: Say = print,
    warn: Say = print,
    progress: Progress = lambda done, total: None,
) -> BuildResult:
    """One build of the site."""
    return Builder(config, drafts=drafts, future=future).build(say, warn, progress)


LAST_BUILD = "last-build.json"
# The libraries whose version shapes the output (bodies, pages, flags, slugs).
OUTPUT_LIBRARIES = ("markdown", "jinja2", "markupsafe", "yaml", "countryinfo", "slugify")


def _inputs_key(
    config: SiteConfig,
    drafts: bool,
    future: bool,
    with_content: bool = True,
    with_templates: bool = True,
    stamps: dict[str, tuple[int, int]] | None = None,
) -> str:
    """A digest of everything a build reads: file stamps, options, the code, today's date.
    `stamps` receives the (mtime, size) of the content folder's files, by path."""
    digest = hashlib.sha256(repr((config, drafts, future, _today(config))).encode())
    theme = config.path("themes_dir") / config.theme
    content = [config.path("content_dir"), config.path("seeds_dir")] if with_content else []
    templates = [config.path("templates_dir"), theme / "templates", DEFAULT_THEME / "templates"]
    folders = [
        *content,
        *(templates[:1] if with_templates else []),
        config.root / "static",
        theme,
        DEFAULT_THEME,
        Path(__file__).parent,  # the generator's code and data
    ]
    skipped = set() if with_templates else {str(folder) for folder in templates}
    for name in OUTPUT_LIBRARIES:
        # An upgrade rewrites the package: its new stamp is a new input (found, not imported).
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            stat = os.stat(spec.origin)
            digest.update(f"{name}\0{spec.origin}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    content_dir = str(content[0]) if content else None
    for folder in folders:
        digest.update(str(folder).encode())
        keep = stamps if stamps is not None and str(folder) == content_dir else None
        for path, mtime, size in _walk(folder, skipped):
            digest.update(f"{path}\0{mtime}\0{size}\n".encode())
            if keep is not None and size >= 0:  # not one that could not be read
                keep[path] = (mtime, size)
    return digest.hexdigest()


def _walk(
    folder: Path, skipped: Collection[str] = (), walking: frozenset[str] = frozenset()
) -> list[tuple[str, int, int]]:
    """(path, mtime, size) of the files under folder, in name order, but for those under the
    `skipped` folders. Never fails: what cannot be read counts as (path, errno, -1), reported
    by the stage that reads it; a link back to a folder being walked is not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
        walking = walking | {os.path.realpath(folder)}
    except OSError as error:
        return [(str(folder), error.errno or 0, -1)]
    found: list[tuple[str, int, int]] = []
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        try:
            if entry.is_dir():
                if entry.path not in skipped and os.path.realpath(entry.path) not in walking:
                    found += _walk(Path(entry.path), skipped, walking)
                continue
            stat = entry.stat()
            found.append((entry.path, stat.st_mtime_ns, stat.st_size))
        except OSError as error:
            found.append((entry.path, error.errno or 0, -1))
    return found


def _with_output(inputs: str, out: Path, last: dict) -> str:
    """The inputs key if the output is still the one the last build wrote, else ''."""
    try:
        stat = (out / MANIFEST).stat()
    except OSError:
        return ""
    return inputs if last.get("manifest") == [stat.st_mtime_ns, stat.st_size, stat.st_ino] else ""


def _read_last_build(config: SiteConfig) -> dict | None:
    try:
        data = json.loads((config.path("cache_dir") / LAST_BUILD).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_last_build(config: SiteConfig, inputs: str, out: Path, result: BuildResult) -> None:
    stat = (out / MANIFEST).stat()
    record = {
        "inputs": inputs,
        "manifest": [stat.st_mtime_ns, stat.st_size, stat.st_ino],
        "result": {
            "pages": result.pages,
            "rendered": 0,
            "written": 0,
            "articles": result.articles,
            "tags": result.tags,
            "countries": result.countries,
            "searchable": result.searchable,
        },
    }
    # Not kept: the next build checks everything, slower but not wrong.
    atomic.keep(config.path("cache_dir") / LAST_BUILD, json.dumps(record).encode())


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while the model and the plan are made, and none over what
    they made afterwards (frozen): at 10,000 articles they are ~500,000 objects, scanned again
    by every full collection their making triggers, ~0.2 s of a one-article rebuild.
    Reference counting still frees what they drop; render workers collect as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def search_index(config: SiteConfig, warn: Say, refresh: bool = True) -> Derived | None:
    """The search index to derive from the written pages, or None: search is off, or Pagefind
    cannot run (the build goes on without it, and says so)."""
    if not config.search:
        return None
    from generator.output.search import SearchIndex, SearchUnavailable

    try:
        return SearchIndex(warn, refresh=refresh)
    except SearchUnavailable as why:
        warn(f"search: {why}; building without the search index")
        return None


def _today(config: SiteConfig) -> dt.date:
    return dt.datetime.now(ZoneInfo(config.timezone)).date()


def _convert_new_seeds(config: SiteConfig, say: Say, warn: Say) -> int:
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
    today = _today(config)
    return [a for a in articles if (drafts or not a.draft) and (future or a.date <= today)]


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
        render = _renderer_of(self.renderer, planner)
        return Plan(pages, render, planner, self.renderer, self.showing, renewed)


@dataclass(frozen=True)
class _LastPlan:
    sources: str  # _inputs_key without content: options, templates, static files, code
    articles: list[Article]
    plan: Plan


def _replan_articles(previous: Plan, changed: list[Article]) -> Plan:
    """The previous plan with the pages of changed articles planned anew (watch mode's
    common case: an editor saving a body, at 10,000 articles, skips planning 25,000 pages)."""
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
    planner = previous.planner.with_site(site, changed)
    positions = previous.pages_showing(changed)
    pages = list(previous.pages)
    made = {page.url: page for page in planner.pages(only={pages[p].url for p in positions})}
    for position in positions:
        pages[position] = made[pages[position].url]
    return previous.amended(pages, planner, positions)


def plan(site: Site, config: SiteConfig, previous: planindex.PlanIndex | None = None) -> Plan:
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

    def flag_of(name: str) -> str:
        country = gazetteer.country(name)
        return country.flag if country else ""

    # Templates use assets by name; a changed asset changes its hashed URL, so the pages too.
    asset_digest = "|".join(a.url for a in static.values())
    planner = Planner(
        site,
        config,
        flag_of,
        lambda t: renderer.template_digest(t) + asset_digest,
        home=gazetteer.home,
    )
    replanned = previous.replan(planner, site.articles) if previous else None
    if replanned is None:
        pages = list(planner.pages())
        pages.append(planner.sitemap(pages))
    else:
        pages = replanned
    # By content: an image or a robots file keeps its name when its bytes change.
    pages += [Page(a.url, None, {}, a.digest, a.data) for a in static.values()]
    pages += bundle_pages(site.articles)
    pages.append(Page(".nojekyll", None, {}, "nojekyll", b""))
    if config.cname:
        pages.append(Page("CNAME", None, {}, config.cname, config.cname.encode() + b"\n"))
    return Plan(pages, _renderer_of(renderer, planner), planner, renderer)


def bundle_pages(articles: Sequence[Article]) -> list[Page]:
    """The files of page bundles, published beside their articles' pages."""
    pages = []
    for article in articles:
        for file in article.files:
            try:
                data = Path(file.path).read_bytes()
            except OSError as error:
                raise folders.unreadable(folders.shown(Path(file.path)), file.path, error) from None
            digest = hashlib.sha256(data).hexdigest()
            pages.append(Page(article.url + file.name, None, {}, digest, data))
    return pages


def _renderer_of(renderer: Renderer, planner: Planner) -> Callable[[Page], bytes]:
    # A page kept from the index has no context: made again if it must be rendered after all
    # (its output file went missing from both folders).
    return lambda page: renderer.render(planner.made_again(page))


def _output_folder(config: SiteConfig) -> Path:
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


def _duplicate_urls(articles: list[Article]) -> list[InputError]:
    seen: dict[str, Article] = {}
    errors = []
    for article in articles:
        other = seen.setdefault(article.url, article)
        if other is not article:
            message = f"same URL /{article.url} as {other.path} (change the slug)"
            errors.append(InputError(article.path, message, key="slug"))
    return errors


def _home_country(config: SiteConfig) -> str:
    from generator.model.gazetteer import load_gazetteer

    return load_gazetteer(config.path("cache_dir")).home
