"""The search index: Pagefind (its binary comes with the `pagefind[bin]` package) indexes the
finished article pages, in shards: one bundle per year, under /pagefind/YEAR/, which the search
page merges in the browser (Pagefind's mergeIndex). An edit remakes only its year's shard.
Searching needs no server.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from generator.model import urls

if TYPE_CHECKING:
    from pagefind.service import PagefindService

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
            return asyncio.run(_index(folder, sorted(shards)))
        except SearchUnavailable as why:
            self.warn(f"search: {why}; building without the search index")
        except Exception as error:  # noqa: BLE001 (the service fails in many ways; all mean this)
            self.warn(f"search: Pagefind failed ({error}); building without the search index")
        return {}


async def _index(folder: Path, shards: list[str]) -> dict[str, bytes]:
    """The shards shared out over one Pagefind service per core, each indexing its shards one
    after another (one service would leave a core idle: its indexes are made in turn)."""
    from pagefind.service import PagefindService

    count = max(1, min(len(shards), os.cpu_count() or 1))
    services = [await PagefindService().launch() for _ in range(count)]
    try:
        parts = [_index_in(service, folder, shards[n::count]) for n, service in enumerate(services)]
        made = await asyncio.gather(*parts)
    finally:
        for service in services:
            await service.close()
    return {name: data for files in made for name, data in sorted(files.items())}


async def _index_in(service: PagefindService, folder: Path, shards: list[str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for shard in shards:
        index = await service.create_index()
        glob = f"{shard}/[0-9][0-9]/*/index.html"
        result = await index.add_directory(str(folder.resolve()), glob=glob)
        if result.get("page_count", 0) == 0:
            raise SearchUnavailable(f"Pagefind found no page of {shard} to index")
        with tempfile.TemporaryDirectory(prefix="portal-pagefind-") as scratch:
            await index.write_files(output_path=scratch)
            bundle = Path(scratch)
            for path in sorted(bundle.rglob("*")):
                if path.is_file():
                    name = urls.search_bundle(shard) + path.relative_to(bundle).as_posix()
                    files[name] = path.read_bytes()
        await index.delete_index()
    return files
