"""The search index: Pagefind (its binary comes with the `pagefind[bin]` package) indexes the
finished HTML pages; the bundle is published under /pagefind/. Searching needs no server.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

PREFIX = "pagefind/"
# Only article pages are indexed: lists and term pages would repeat every headline as a result,
# and reading them would double Pagefind's time.
ARTICLE_PAGES = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"
_ARTICLE_PAGE = re.compile(r"\d{4}/\d{2}/[^/]+/index\.html")


class SearchUnavailable(Exception):
    """The Pagefind binary cannot be run here; the site is built without a search index."""


class SearchIndex:
    """Makes the Pagefind bundle of a folder of pages (a `write.Derived`)."""

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

    def __call__(self, folder: Path) -> dict[str, bytes]:
        """Index every article page of the folder; the bundle's files by their site path.

        A failure is said, not raised: the pages are whole without their search index.
        """
        try:
            return asyncio.run(_index(folder))
        except SearchUnavailable as why:
            self.warn(f"search: {why}; building without the search index")
        except Exception as error:  # noqa: BLE001 (the service fails in many ways; all mean this)
            self.warn(f"search: Pagefind failed ({error}); building without the search index")
        return {}


async def _index(folder: Path) -> dict[str, bytes]:
    from pagefind.index import PagefindIndex

    with tempfile.TemporaryDirectory(prefix="portal-pagefind-") as scratch:
        # The index writes its bundle when the context closes: straight into the scratch folder.
        async with PagefindIndex(config={"output_path": scratch}) as index:
            result = await index.add_directory(str(folder.resolve()), glob=ARTICLE_PAGES)
            if result.get("page_count", 0) == 0:
                raise SearchUnavailable("Pagefind found no page to index")
        bundle = Path(scratch)
        return {
            PREFIX + path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        }
