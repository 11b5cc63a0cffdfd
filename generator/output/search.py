"""The search index: Pagefind (its binary comes with the `pagefind[bin]` package) indexes the
finished article pages, in shards: one bundle per year, under /pagefind/YEAR/, which the search
page merges in the browser (Pagefind's mergeIndex). An edit remakes only its year's shard.
Searching needs no server.

A new process's build may start on the shards of the articles it finds changed before their
pages are made (`begin`), reading the published pages of those shards that it will not change
while it plans and renders; a shard then takes only its changed pages at the end, once it is
sure (by their files) that the others are the ones it read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import queue
import re
import shutil
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.model import urls
from generator.output import pagefind_service
from generator.output.write import shards_of

PREFIX = urls.SEARCH_INDEX
# Only article pages are indexed: lists and term pages would repeat every headline as a result,
# and reading them would double Pagefind's time.
_ARTICLE_PAGE = re.compile(r"(\d{4})/\d{2}/[^/]+/index\.html")


def _shard_pages(shard: str) -> str:
    """The glob of a shard's pages, from the site's root."""
    return f"{shard}/[0-9][0-9]/*/index.html"


class SearchUnavailable(Exception):
    """The Pagefind binary cannot be run here; the site is built without a search index."""


class SearchIndex:
    """Makes the Pagefind bundles of a folder of pages (a `write.Derived`)."""

    prefix = PREFIX

    def __init__(self, warn: Callable[[str], None], refresh: bool = True) -> None:
        self.warn = warn
        self.refresh = refresh
        self._started: dict[str, Future[_Started]] = {}  # shards begun, by name
        self._starting: ThreadPoolExecutor | None = None
        self.read_early = 0  # pages of the last call's shards taken from what `begin` read
        try:
            self.binary = pagefind_service.executable()
        except pagefind_service.PagefindError as why:
            raise SearchUnavailable(str(why)) from None

    def reads(self, name: str) -> bool:
        return _ARTICLE_PAGE.fullmatch(name) is not None

    def shard_of(self, name: str) -> str | None:
        """The shard an output file is searched in: an article page's year."""
        page = _ARTICLE_PAGE.fullmatch(name)
        return page[1] if page else None

    def begin(self, published: Path, pages: Collection[str]) -> None:
        """Start on the shards of these pages (those likely to change) with the published
        pages of those shards, less these: on one service each, waited on in threads, while
        the build goes on. Shards the build turns out not to remake are dropped."""
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
                read = _link_pages(published, links / shard, set(pages))
            except OSError:
                shutil.rmtree(links / shard, ignore_errors=True)
                continue  # (links across file systems, say) made at the end instead
            self._started[shard] = self._starting.submit(_start, self.binary, links, shard, read)

    def end(self) -> None:
        """Stop what `begin` started and the build did not take."""
        started, self._started = self._started, {}
        for future in started.values():
            future.add_done_callback(_close_started)
        if self._starting is not None:
            self._starting.shutdown(wait=False)
            self._starting = None

    def __call__(self, folder: Path, shards: Collection[str]) -> dict[str, bytes]:
        """The bundles of these shards, made from the article pages of the folder; their files
        by site path. A failure is said, not raised: the pages are whole without their index."""
        self.read_early = 0
        try:
            taken = [self._started.pop(s) for s in shards if s in self._started]
            self.end()
            # One that failed to start is made as if it had not been begun.
            started = [future.result() for future in taken if future.exception() is None]
            begun = {one.shard for one in started}
            fresh = [shard for shard in sorted(shards) if shard not in begun]
            with ThreadPoolExecutor(1) as beside:
                others = beside.submit(_index, self.binary, folder, fresh) if fresh else None
                files, self.read_early = _finish_started(folder, started)
                return {**files, **(others.result() if others else {})}
        except SearchUnavailable as why:
            self.warn(f"search: {why}; building without the search index")
        except pagefind_service.PagefindError as why:
            self.warn(f"search: Pagefind failed: {why}; building without the search index")
        except Exception as error:  # noqa: BLE001 (the service fails in many ways; all mean this)
            self.warn(f"search: Pagefind failed ({error}); building without the search index")
        return {}


@dataclass(frozen=True)
class _Started:
    """A shard begun: its service and index, and the pages it read, with their files'
    identity (device, inode) then. Files are replaced, never written in place: the same
    identity in the folder the index is finished from means the same bytes."""

    shard: str
    service: pagefind_service.PagefindService
    index: int
    read: dict[str, tuple[int, int]]
    links: Path  # the folder of links Pagefind read them from, removed when done

    def close(self) -> None:
        self.service.close()
        shutil.rmtree(self.links / self.shard, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.links.rmdir()  # unless another shard's links are still there


def _link_pages(published: Path, folder: Path, left_out: set[str]) -> dict[str, tuple[int, int]]:
    """Links in `folder` to the pages of a shard (`folder` is named as the shard is) that
    are published, but those `left_out`, by name; with the identity of each file linked.
    Pagefind reads them itself: this process pays a few system calls a page, not its bytes."""
    shutil.rmtree(folder, ignore_errors=True)  # left by a build that was killed
    shard = folder.name
    read: dict[str, tuple[int, int]] = {}
    try:
        months = sorted(os.scandir(published / shard), key=lambda entry: entry.name)
    except FileNotFoundError:
        return read
    for month in months:
        if not (month.is_dir() and re.fullmatch(r"\d{2}", month.name)):
            continue
        for story in sorted(os.scandir(month.path), key=lambda entry: entry.name):
            name = f"{shard}/{month.name}/{story.name}/index.html"
            if name in left_out or not story.is_dir():
                continue
            link = folder / month.name / story.name
            link.mkdir(parents=True, exist_ok=True)
            try:
                os.link(os.path.join(story.path, "index.html"), link / "index.html")
            except FileNotFoundError:
                continue  # a folder without a page
            stat = os.stat(link / "index.html")  # of the file linked: the one Pagefind reads
            read[name] = (stat.st_dev, stat.st_ino)
    return read


def _start(binary: Path, links: Path, shard: str, read: dict[str, tuple[int, int]]) -> _Started:
    """A shard begun: Pagefind reads the pages linked for it."""
    service = pagefind_service.PagefindService(binary)
    started = _Started(shard, service, 0, read, links)
    try:
        index = service.new_index()
        # Every page linked must be in it: fewer means the links changed while Pagefind read
        # them (another build of the same folder), and the shard is made at the end instead.
        if read and service.add_directory(index, links.resolve(), _shard_pages(shard)) != len(read):
            raise SearchUnavailable(f"the pages of {shard} changed while they were read")
        return dataclasses.replace(started, index=index)
    except BaseException:
        started.close()
        raise


def _close_started(future: Future[_Started]) -> None:
    if future.exception() is None:
        future.result().close()


def _finish_started(folder: Path, started: list[_Started]) -> tuple[dict[str, bytes], int]:
    """The bundles of the shards begun, each on its own service, at once; and how many of
    their pages were taken from what was read early."""
    if not started:
        return {}, 0
    with ThreadPoolExecutor(len(started)) as pool:
        made = list(pool.map(lambda one: _finish(folder, one), started))
    files = {name: data for shard, _ in made for name, data in sorted(shard.items())}
    return files, sum(early for _, early in made)


def _finish(folder: Path, started: _Started) -> tuple[dict[str, bytes], int]:
    """A shard begun, finished from `folder`: its pages not read yet are added, if every one
    it read is there as it was read; else the shard is indexed anew from `folder`."""
    service, shard = started.service, started.shard
    try:
        now = {
            path.relative_to(folder).as_posix(): path for path in folder.glob(_shard_pages(shard))
        }
        if not now:
            raise SearchUnavailable(f"Pagefind found no page of {shard} to index")
        index, read = started.index, started.read
        if all(name in now and _identity(now[name]) == read[name] for name in read):
            for name in sorted(now.keys() - read.keys()):
                service.add_file(index, name, now[name].read_text("utf-8"))
            early = len(read)
        else:  # a page read early changed after all (a neighbour's title, say)
            service.delete_index(index)
            index = service.new_index()
            service.add_directory(index, folder.resolve(), _shard_pages(shard))
            early = 0
        bundle = urls.search_bundle(shard)
        return {bundle + path: data for path, data in service.files(index).items()}, early
    finally:
        started.close()


def _identity(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_dev, stat.st_ino


def _index(binary: Path, folder: Path, shards: list[str]) -> dict[str, bytes]:
    """The shards shared out over one Pagefind service per core (a service makes its indexes
    one after another, so one alone would leave a core idle)."""
    pending = queue.SimpleQueue[str]()
    for shard in shards:
        pending.put(shard)
    count = max(1, min(len(shards), os.cpu_count() or 1))
    with ThreadPoolExecutor(count) as pool:
        made = list(pool.map(lambda _: _index_in(binary, folder, pending), range(count)))
    return {name: data for files in made for name, data in sorted(files.items())}


def _index_in(binary: Path, folder: Path, pending: queue.SimpleQueue[str]) -> dict[str, bytes]:
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
            if service.add_directory(index, root, _shard_pages(shard)) == 0:
                raise SearchUnavailable(f"Pagefind found no page of {shard} to index")
            for path, data in service.files(index).items():
                files[urls.search_bundle(shard) + path] = data
            service.delete_index(index)
