"""The build: config -> convert new seeds -> load -> model -> plan -> render + write.

`Builder` keeps what the previous build learnt (parsed articles by file stamp), so watch mode
re-reads only the files that changed; `build` is one Builder run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import folders
from generator.config import SiteConfig
from generator.errors import InputError
from generator.incremental import guesses, planindex, quick, unchanged
from generator.incremental.amend import LastPlan, amend
from generator.incremental.cache import LayoutCache
from generator.incremental.loader import ContentLoader
from generator.incremental.outputs import write_site
from generator.incremental.unchanged import LastBuild
from generator.model.article import Article, ContentErrors
from generator.model.shards import Shards
from generator.output.write import Derived
from generator.pages.planning import Plan
from generator.pages.records import Page
from generator.stages import (
    BuildResult,
    Progress,
    Say,
    convert_new_seeds,
    duplicate_urls,
    output_folder,
    search_index,
    select,
)


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
        search_after: bool = False,
    ):
        self.config = config
        self.keep_plan = keep_plan  # watch mode: amend the last plan when only bodies changed
        # Watch mode: an edit's pages are published first, and the search shards it touched
        # after, by `update_search` (a preview shows the page while Pagefind reads the shard).
        self.search_after = search_after
        self._behind: _SearchBehind | None = None  # what `update_search` is still to make
        # Nobody but this builder touches the output folders (the preview's temporary one):
        # the files its last builds wrote are trusted to be there, not looked at one by one.
        self.private_output = private_output
        self.drafts = drafts
        self.future = future
        # False keeps the search index as it is after edits (each edit remakes a shard).
        self.refresh_search = True
        self._last: LastPlan | None = None  # watch mode: what the last build planned
        self._search: Derived | None = None  # the search index of the build under way
        # Watch mode: the last build's search index, at work on the next edit's shards.
        self._ahead: Derived | None = None
        self._layouts = LayoutCache(config.path("cache_dir"))
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
        asked: quick.Asked | None = None,
    ) -> BuildResult:
        """Build into config.output_dir; raises ContentErrors or InputError on bad input.
        `changed`, from a watcher, names every path that changed since the last build;
        `asked`, the command line that asked for a one-off build, kept for the quick check."""
        self.update_search()  # a build never starts from a site whose search is behind
        started = time.perf_counter()
        out = output_folder(self.config)
        # A watching builder is called because something changed: it skips the whole-project
        # check that lets a fresh `portal build` with nothing to do stop at once.
        watching = self.keep_plan and self._last is not None
        last_build = None if watching else LastBuild(self.config, self.drafts, self.future, asked)
        # A builder that keeps its plan makes one even with nothing to do, or the first edit
        # in `portal serve` would wait for the whole site to be planned.
        if last_build is not None and not self.keep_plan:
            result = last_build.result_if_unchanged(out, started)
            if result is not None:
                return result
        stamps = last_build.stamps if last_build is not None else {}
        try:
            with _collection_paused():  # and unfrozen when the build ends (finally, below)
                made = self._made_of(self.config, changed, watching, stamps, say, warn)
            plan = made.plan
            renewed = None if plan.renewed is None else [plan.pages[p] for p in plan.renewed]
            searched = made.search is not None
            defer = self.search_after and watching and searched and renewed is not None
            stats = write_site(
                plan.pages, out, plan.render, progress, made.search, self.private_output, renewed,
                defer_derived=defer,
            )  # fmt: skip
            if self.keep_plan:
                self._last = LastPlan(made.sources, made.articles, plan)
                if stats.stale and made.search is not None and renewed is not None:
                    self._behind = _SearchBehind(made.search, stats.stale, plan, renewed)
                else:
                    self._ahead = _work_ahead(made.search, out, renewed)
            result = BuildResult.of(stats, plan.planner.site, started, out, searched)
            # Not a build whose search index is owed: the next one makes it, changes or not.
            if last_build is not None and (searched or not self.config.search) and not stats.owed:
                last_build.remember(out, result)
            return result
        finally:
            gc.unfreeze()
            search, self._search = self._search, None
            kept = (self._ahead, self._behind.search if self._behind else None)
            if search is not None and search not in kept:
                search.end()

    def update_search(self) -> float | None:
        """Make and publish the search shards the last build left behind (`search_after`);
        the seconds it took, or None when none were behind."""
        behind, self._behind = self._behind, None
        if behind is None:
            return None
        started = time.perf_counter()
        out = output_folder(self.config)
        try:
            write_site(
                behind.plan.pages, out, behind.plan.render, derived=behind.search,
                trust_own=self.private_output, renewed=behind.renewed, stale=behind.shards,
            )  # fmt: skip
            self._ahead = _work_ahead(behind.search, out, behind.renewed)
        finally:
            if behind.search is not self._ahead:
                behind.search.end()
        return time.perf_counter() - started

    def close(self) -> None:
        """Stop the work begun for a next build (watch mode)."""
        behind, self._behind = self._behind, None
        ahead, self._ahead = self._ahead, None
        for search in (behind.search if behind else None, ahead):
            if search is not None:
                search.end()  # the same one twice: the second has nothing left to end

    def _made_of(
        self,
        config: SiteConfig,
        changed: Collection[Path] | None,
        watching: bool,
        stamps: dict[str, tuple[int, int]],
        say: Say,
        warn: Say,
    ) -> _Made:
        """What the site is made of: the articles, the config as built (without search if
        it is unavailable), the search index, the sources key and the plan."""
        if changed is None or not self._only_content(changed):
            if convert_new_seeds(config, say, warn):
                stamps = {}  # content files were written since
        search, self._ahead = self._ahead, None
        # One kept from the day before may put this month's pages in another shard.
        day = Shards.on(config.today())
        if search is None or search.refresh != self.refresh_search or search.shards != day:
            if search is not None:
                search.end()
            search = search_index(config, warn, refresh=self.refresh_search)
        self._search = search  # ended when the build is (`build`), unless kept ahead
        out = output_folder(config)
        if search is not None and not watching and stamps:
            # The shards of the files edited since, started before the content is loaded.
            search.begin(out, self._loader.likely_edited(stamps))
        hint = self._content_hint(changed) if watching else None
        loaded = self.load_content(hint, stamps)
        articles = select(loaded, config, drafts=self.drafts, future=self.future)
        if search is not None and not watching:
            edits = self._loader.body_edits
            guessed = guesses.body_edited_pages(out, edits, config.base_path)
            if not edits:
                search.end()  # more than bodies changed: other pages of those shards, likely
            elif edits.keys() <= search.begun():
                search.guess(guessed)
            else:
                search.begin(out, edits, guessed)
        if search is None and config.search:
            config = dataclasses.replace(config, search=False)  # no search page, no links to it
        sources = unchanged.inputs_key(config, self.drafts, self.future, with_content=False)
        if self.keep_plan:
            last, self._last = self._last, None  # a failed build leaves no plan to amend
            pages = amend(last, articles, config, sources, self._layouts)
        else:
            # Not the templates: pages kept from the index take the fingerprints of today's.
            layouts_aside = unchanged.inputs_key(
                config, self.drafts, self.future, with_content=False, with_templates=False
            )
            pages = self._plan_index.plan(articles, config, layouts_aside, self._layouts)
        return _Made(articles, config, search, sources, pages)

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
        errors += duplicate_urls(articles)
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
    asked: quick.Asked | None = None,
) -> BuildResult:
    """One build of the site; `asked`, the command line that asked for it, lets the same
    one answer at once next time if nothing changed (incremental/quick.py)."""
    return Builder(config, drafts=drafts, future=future).build(say, warn, progress, asked=asked)


def _work_ahead(search: Derived | None, out: Path, renewed: list[Page] | None) -> Derived | None:
    """The search index at work on the shards of the articles a watch-mode build just
    renewed, with their other pages: an editor saves the same article again and again, and
    the next build then adds that article's page alone."""
    if search is None or not renewed:
        return None
    edited = [page.output for page in renewed if search.reads(page.output)]
    if not edited:
        return None
    search.begin(out, edited)
    return search


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while the model and the plan are made, and none over what
    they made afterwards (frozen): hundreds of thousands of objects on a big site, scanned
    again by every full collection their making triggers.
    Reference counting still frees what they drop; render workers collect as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class _SearchBehind:
    """What a watch-mode build published without its search update: the shards it left as
    they were, and what makes them (Builder.update_search)."""

    search: Derived
    shards: frozenset[str]
    plan: Plan
    renewed: list[Page]


@dataclass(frozen=True)
class _Made:
    """What a build found the site made of (Builder._made_of)."""

    articles: list[Article]
    config: SiteConfig  # as built: without search if it is unavailable
    search: Derived | None
    sources: str  # the inputs key without content: options, templates, static files, code
    plan: Plan
