"""Search shards begun before their pages are made: a new process's build starts on the
shards of the articles it finds changed (`SearchIndex.begin`), Pagefind reading the published
pages of those shards that the build will not change, through hard links, while it plans and
renders; and the pages it will change too, where it can guess them. At the end a shard takes
only its changed pages, once it is sure (by their files) that the others are the ones it read:
none at all when the guesses were right, byte for byte.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.model import urls
from generator.model.shards import Shards
from generator.output import pagefind_service
from generator.output.pagefind_service import SearchUnavailable


@dataclass(frozen=True)
class Started:
    """A shard begun: its service and index, and the pages it read, with their files'
    identity (device, inode) then. Files are replaced, never written in place: the same
    identity in the folder the index is finished from means the same bytes."""

    shard: str
    shards: Shards  # which pages are in which shard
    service: pagefind_service.PagefindService
    index: int
    read: dict[str, tuple[int, int]]
    links: Path  # the folder of each shard's links Pagefind read them from, removed when done
    # The other pages as guessed, by name (encoded), and the bundle made with them at once.
    guessed: dict[str, bytes] = dataclasses.field(default_factory=dict)
    bundle: dict[str, bytes] | None = None

    def close(self) -> None:
        self.service.close()
        shutil.rmtree(self.links / self.shard, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.links.rmdir()  # unless another shard's links are still there


def pages_of(folder: Path, shard: str, shards: Shards) -> Iterator[tuple[str, str]]:
    """The article pages of a shard that `folder` may hold, as `shards.glob` matches them, in
    name order: (name from the site's root, path of a story folder's index.html, which may
    not be there). Plain strings and scandir: Path.glob and relative_to took 0.2 s for a
    year's 600 pages."""
    year, wanted = shards.months(shard)
    try:
        months = sorted(os.scandir(folder / year), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for month in months:
        if not (month.name in wanted and month.is_dir()):
            continue
        for story in sorted(os.scandir(month.path), key=lambda entry: entry.name):
            if story.is_dir():
                page = os.path.join(story.path, "index.html")
                yield f"{year}/{month.name}/{story.name}/index.html", page


def link_pages(
    published: Path, folder: Path, left_out: set[str], shards: Shards
) -> dict[str, tuple[int, int]]:
    """Links in `folder` to the pages of a shard (`folder` is named as the shard is, and is
    the root Pagefind reads them from) that are published, but those `left_out`, by name;
    with the identity of each file linked. Pagefind reads them itself: this process pays a
    few system calls a page, not its bytes."""
    shutil.rmtree(folder, ignore_errors=True)  # left by a build that was killed
    read: dict[str, tuple[int, int]] = {}
    for name, page in pages_of(published, folder.name, shards):
        if name in left_out:
            continue
        link = folder / name
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, link)
        except FileNotFoundError:
            continue  # a folder without a page
        stat = os.stat(link)  # of the file linked: the one Pagefind reads
        read[name] = (stat.st_dev, stat.st_ino)
    return read


def start(
    service: pagefind_service.PagefindService,
    links: Path,
    shard: str,
    shards: Shards,
    read: dict[str, tuple[int, int]],
    guesses: Future[dict[str, str]],
) -> Started:
    """A shard begun: Pagefind reads the pages linked for it, and the bundle is made with the
    others as `guesses` has them once it is given them, if it is (an empty guess: the shard
    waits for its pages)."""
    started = Started(shard, shards, service, 0, read, links)
    try:
        index = service.new_index()
        # Every page linked must be in it: fewer means the links changed while Pagefind read
        # them (another build of the same folder), and the shard is made at the end instead.
        root = (links / shard).resolve()
        if read and service.add_directory(index, root, shards.glob(shard)) != len(read):
            raise SearchUnavailable(f"the pages of {shard} changed while they were read")
        guessed = guesses.result()
        if not guessed:
            return dataclasses.replace(started, index=index)
        for name, html in sorted(guessed.items()):
            service.add_file(index, name, html)
        encoded = {name: html.encode("utf-8") for name, html in guessed.items()}
        return dataclasses.replace(
            started, index=index, guessed=encoded, bundle=service.files(index)
        )
    except BaseException:
        started.close()
        raise


def close_started(future: Future[Started]) -> None:
    if future.exception() is None:
        future.result().close()


def finish_started(folder: Path, started: list[Started]) -> tuple[dict[str, bytes], int]:
    """The bundles of the shards begun, each on its own service, at once; and how many of
    their pages were taken from what was read early."""
    if not started:
        return {}, 0
    with ThreadPoolExecutor(len(started)) as pool:
        made = list(pool.map(lambda one: finish(folder, one), started))
    files = {name: data for shard, _ in made for name, data in sorted(shard.items())}
    return files, sum(early for _, early in made)


def finish(folder: Path, started: Started) -> tuple[dict[str, bytes], int]:
    """A shard begun, finished from `folder`: if every page it read is there as it was read,
    the bundle made with the others as guessed, if they are as guessed, else with them
    added now; else the shard is indexed anew from `folder`."""
    service, shard = started.service, started.shard
    try:
        now: dict[str, tuple[str, tuple[int, int]]] = {}  # page and identity, by name
        for name, page in pages_of(folder, shard, started.shards):
            if (same := _identity(page)) is not None:
                now[name] = (page, same)
        if not now:
            raise SearchUnavailable(f"Pagefind found no page of {shard} to index")
        index, read = started.index, started.read
        as_read = all(name in now and now[name][1] == read[name] for name in read)
        if as_read and started.bundle is not None and _as_guessed(now, read, started.guessed):
            early = len(read) + len(started.guessed)
            bundle = started.bundle
        elif as_read and started.bundle is None:
            for name in sorted(now.keys() - read.keys()):
                with open(now[name][0], encoding="utf-8") as file:
                    service.add_file(index, name, file.read())
            early = len(read)
            bundle = service.files(index)
        else:  # a page read early changed after all (a neighbour's title, say), or a guess
            service.delete_index(index)
            index = service.new_index()
            service.add_directory(index, folder.resolve(), started.shards.glob(shard))
            early = 0
            bundle = service.files(index)
        prefix = urls.search_bundle(shard)
        return {prefix + path: data for path, data in bundle.items()}, early
    finally:
        started.close()


def _as_guessed(
    now: dict[str, tuple[str, tuple[int, int]]],
    read: dict[str, tuple[int, int]],
    guessed: dict[str, bytes],
) -> bool:
    """Whether the pages of the shard not read early are those guessed, byte for byte."""
    if now.keys() - read.keys() != guessed.keys():
        return False
    for name, html in guessed.items():
        with open(now[name][0], "rb") as page:
            if page.read() != html:
                return False
    return True


def _identity(path: str) -> tuple[int, int] | None:
    """The file's (device, inode), None when there is none."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino
