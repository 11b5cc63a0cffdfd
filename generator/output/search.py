"""The search index: Pagefind (its binary comes with the `pagefind[bin]` package) indexes the
finished article pages, in shards: one bundle per year, under /pagefind/YEAR/, which the search
page merges in the browser (Pagefind's mergeIndex). An edit remakes only its year's shard.
Searching needs no server.
"""

from __future__ import annotations

import os
import queue
import re
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generator.model import urls
from generator.output import pagefind_service

PREFIX = urls.SEARCH_INDEX
# Only article pages are indexed: lists and term pages would repeat every headline as a result,
# and reading them would double Pagefind's time.
_ARTICLE_PAGE = re.compile(r"(\d{4})/\d{2}/[^/]+/index\.html")


class SearchUnavailable(Exception):
    """The Pagefind binary cannot be run here; the site is built without a search index."""


class SearchIndex:
    """Makes the Pagefind bundles of a folder of pages (a `write.Derived`)."""

    prefix = PREFIX

    def __init__(self, warn: Callable[[str], None], refresh: bool = True) -> None:
        self.warn = warn
        self.refresh = refresh
        try:
            import pagefind.index  # noqa: F401
        except ImportError as error:
            raise SearchUnavailable(f"the pagefind package is not installed ({error})") from None

    def reads(self, name: str) -> bool:
        return _ARTICLE_PAGE.fullmatch(name) is not None

    def shard_of(self, name: str) -> str | None:
        """The shard an output file is searched in: an article page's year."""
        page = _ARTICLE_PAGE.fullmatch(name)
        return page[1] if page else None

    def __call__(self, folder: Path, shards: Collection[str]) -> dict[str, bytes]:
        """The bundles of these shards, made from the article pages of the folder; their files
        by site path. A failure is said, not raised: the pages are whole without their index."""
        try:
            return _index(folder, sorted(shards))
        except SearchUnavailable as why:
            self.warn(f"search: {why}; building without the search index")
        except pagefind_service.PagefindError as why:
            self.warn(f"search: Pagefind failed: {why}; building without the search index")
        except Exception as error:  # noqa: BLE001 (the service fails in many ways; all mean this)
            self.warn(f"search: Pagefind failed ({error}); building without the search index")
        return {}


def _index(folder: Path, shards: list[str]) -> dict[str, bytes]:
    """The shards shared out over one Pagefind service per core (a service makes its indexes
    one after another, so one alone would leave a core idle)."""
    binary = pagefind_service.executable()
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
            if service.add_directory(index, root, f"{shard}/[0-9][0-9]/*/index.html") == 0:
                raise SearchUnavailable(f"Pagefind found no page of {shard} to index")
            for path, data in service.files(index).items():
                files[urls.search_bundle(shard) + path] = data
            service.delete_index(index)
