"""The search index: Pagefind (its binary comes with the `pagefind[bin]` package) indexes the
finished article pages, in shards: one bundle per year, under /pagefind/YEAR/, and one for the
current month, under /pagefind/YEAR-MONTH/ (model/shards.py), which the search page merges in
the browser (Pagefind's mergeIndex). An edit remakes only its shard. Searching needs no server.

A new process's build may start on the shards of the articles it finds changed before their
pages are made (`begin`, search_ahead.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import re
import shutil
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from generator.model import urls
from generator.model.shards import MONTHS, Shards
from generator.output import pagefind_service
from generator.output.indexed import same_for_index
from generator.output.pagefind_service import SearchUnavailable
from generator.output.search_ahead import (
    Started,
    close_started,
    finish_started,
    link_pages,
)
from generator.output.search_ahead import start as start_shard
from generator.output.write import shards_of

PREFIX = urls.SEARCH_INDEX
# Beside each shard's bundle: the months of the pages it was made of (a year's, or one).
MADE_OF = "portal-shard.json"
# Only article pages are indexed: lists and term pages would repeat every headline as a result,
# and reading them would double Pagefind's time.
_ARTICLE_PAGE = re.compile(r"(\d{4})/(\d{2})/[^/]+/index\.html")


class SearchIndex:
    """Makes the Pagefind bundles of a folder of pages (a `write.Derived`)."""

    prefix = PREFIX

    def __init__(
        self, warn: Callable[[str], None], refresh: bool = True, shards: Shards | None = None
    ) -> None:
        self.warn = warn
        self.refresh = refresh
        # Which shard each page is in: a build gives its site's today (stages.search_index).
        self.shards = shards or Shards.on(dt.date.today())
        self._started: dict[str, Future[Started]] = {}  # shards begun, by name
        # The pages each shard begun left out, and what they will hold, once guessed.
        self._guesses: dict[str, tuple[set[str], Future[dict[str, str]]]] = {}
        self._services: dict[str, pagefind_service.PagefindService] = {}  # of shards begun
        self._starting: ThreadPoolExecutor | None = None
        self.read_early = 0  # pages of the last call's shards taken from what `begin` read
        try:
            self.binary = pagefind_service.executable()
        except pagefind_service.PagefindError as why:
            raise SearchUnavailable(str(why)) from None

    def reads(self, name: str) -> bool:
        return _ARTICLE_PAGE.fullmatch(name) is not None

    def reads_same(self, before: bytes, after: bytes) -> bool:
        """Whether Pagefind reads the same of two versions of a page (indexed.py)."""
        return same_for_index(before, after)

    def shard_of(self, name: str) -> str | None:
        """The shard an output file is searched in: an article page's year (or month)."""
        page = _ARTICLE_PAGE.fullmatch(name)
        return self.shards.of(page[1], page[2]) if page else None

    def begin(
        self, published: Path, pages: Collection[str], guessed: Mapping[str, str] | None = None
    ) -> None:
        """Start on the shards of these pages (those likely to change) with the published
        pages of those shards, less these: on one service each, waited on in threads, while
        the build goes on. Shards the build turns out not to remake are dropped. A shard
        whose every page is read or `guessed` (what one of these pages will likely hold, by
        name; now, or later through `guess`) is made at once, and taken at the end if the
        guesses were right."""
        self.end()  # what was begun before is of no use now
        shards = sorted(shards_of(self, pages))[: os.cpu_count() or 1]
        if not self.refresh or not shards or not published.is_dir():
            return
        links = published.parent / f".{published.name}.search"
        self._starting = ThreadPoolExecutor(len(shards))
        for shard in shards:
            # The links are made here: a thread's many short system calls would take the
            # interpreter lock from the build again and again (making the model 3 times
            # slower); the threads only wait on their service.
            try:
                read = link_pages(published, links / shard, set(pages), self.shards)
            except OSError:
                shutil.rmtree(links / shard, ignore_errors=True)
                continue  # (links across file systems, say) made at the end instead
            try:  # made here, so that `end` can stop it in the middle of its work
                service = pagefind_service.PagefindService(self.binary)
            except OSError:
                shutil.rmtree(links / shard, ignore_errors=True)
                continue  # made at the end instead, which says what is wrong
            left = {n for n in pages if self.shard_of(n) == shard}
            self._guesses[shard] = (left, Future())
            self._services[shard] = service
            start = (service, links, shard, self.shards, read, self._guesses[shard][1])
            self._started[shard] = self._starting.submit(start_shard, *start)
        if guessed is not None:
            self.guess(guessed)

    def begun(self) -> set[str]:
        """The pages left out of the shards begun, whose guesses are still to be given."""
        return {n for left, given in self._guesses.values() if not given.done() for n in left}

    def guess(self, guessed: Mapping[str, str]) -> None:
        """What the pages left out of the shards begun will likely hold, by name: a shard
        with a page not guessed waits for its pages (to the end)."""
        for left, given in self._guesses.values():
            if not given.done():
                guesses = {n: guessed[n] for n in left if n in guessed}
                given.set_result(guesses if guesses.keys() == left else {})

    def end(self) -> None:
        """Stop what `begin` started and the build did not take."""
        self.guess({})  # no thread is left waiting for guesses
        self._guesses = {}
        started, self._started = self._started, {}
        services, self._services = self._services, {}
        for shard, future in started.items():
            if not future.done():
                services[shard].kill()  # its thread then fails, and cleans up
            future.add_done_callback(close_started)
        if self._starting is not None:
            self._starting.shutdown(wait=False)
            self._starting = None

    def outdated(self, folder: Path, shards: Collection[str]) -> set[str]:
        """The shards made for other months than they now hold (the month before, once a
        new one begins), by the record each was made with (MADE_OF)."""
        stale = set()
        for shard in shards:
            try:
                record = json.loads((folder / urls.search_bundle(shard) / MADE_OF).read_bytes())
                months = tuple(record["months"])
            except (OSError, ValueError, KeyError, TypeError):
                months = MONTHS  # none: made before the month had a shard of its own
            if months != self.shards.months(shard)[1]:
                stale.add(shard)
        return stale

    def __call__(self, folder: Path, shards: Collection[str]) -> dict[str, bytes]:
        """The bundles of these shards, made from the article pages of the folder; their files
        by site path, with the months each was made of (MADE_OF). A failure is said, not
        raised: the pages are whole without their index."""
        files = self._bundles(folder, shards)
        for shard in shards:
            bundle = urls.search_bundle(shard)
            if bundle + "pagefind-entry.json" in files:  # made (not failed)
                record = {"months": self.shards.months(shard)[1]}
                files[bundle + MADE_OF] = json.dumps(record).encode("utf-8")
        return files

    def _bundles(self, folder: Path, shards: Collection[str]) -> dict[str, bytes]:
        self.read_early = 0
        try:
            self.guess({})  # none given by now: none will be
            taken = [self._started.pop(s) for s in shards if s in self._started]
            for shard in shards:
                self._services.pop(shard, None)
            self.end()
            # One that failed to start is made as if it had not been begun.
            started = [future.result() for future in taken if future.exception() is None]
            begun = {one.shard for one in started}
            fresh = [shard for shard in sorted(shards) if shard not in begun]
            with ThreadPoolExecutor(1) as beside:
                made = (self.binary, folder, fresh, self.shards)
                others = beside.submit(_index, *made) if fresh else None
                files, self.read_early = finish_started(folder, started)
                return {**files, **(others.result() if others else {})}
        except SearchUnavailable as why:
            self.warn(f"search: {why}; {_LEFT}")
        except pagefind_service.PagefindError as why:
            self.warn(f"search: Pagefind failed: {why}; {_LEFT}")
        except Exception as error:  # noqa: BLE001 (the service fails in many ways; all mean this)
            self.warn(f"search: Pagefind failed ({error}); {_LEFT}")
        return {}


# What a build does with the shards Pagefind failed to make (incremental.outputs, OWED).
_LEFT = "the search index is left as it was, to be made again by the next build"


def _index(binary: Path, folder: Path, shards: list[str], rule: Shards) -> dict[str, bytes]:
    """The shards shared out over one Pagefind service per core (a service makes its indexes
    one after another, so one alone would leave a core idle)."""
    pending = queue.SimpleQueue[str]()
    for shard in shards:
        pending.put(shard)
    count = max(1, min(len(shards), os.cpu_count() or 1))
    with ThreadPoolExecutor(count) as pool:
        made = list(pool.map(lambda _: _index_in(binary, folder, pending, rule), range(count)))
    return {name: data for files in made for name, data in sorted(files.items())}


def _index_in(
    binary: Path, folder: Path, pending: queue.SimpleQueue[str], rule: Shards
) -> dict[str, bytes]:
    """Shards taken from `pending` until none is left, each made by one service's index."""
    files: dict[str, bytes] = {}
    root = folder.resolve()
    with pagefind_service.PagefindService(binary) as service:
        while True:
            try:
                shard = pending.get_nowait()
            except queue.Empty:
                return files
            index = service.new_index()
            if service.add_directory(index, root, rule.glob(shard)) == 0:
                raise SearchUnavailable(f"Pagefind found no page of {shard} to index")
            for path, data in service.files(index).items():
                files[urls.search_bundle(shard) + path] = data
            service.delete_index(index)
