"""How soon the search page shows its first results: a built site served from 127.0.0.1, its
search page opened in headless Chromium (Debian's), a word typed, and the time from the first
key to the first result on screen. Each run opens a fresh browser context, so nothing is cached.

Both ends are taken inside the page (performance.now() at the first keydown, and when a
mutation observer first sees a result in the document): a wait from outside, by Playwright,
polls the page at growing intervals (up to 500 ms) and added up to half a second.

    python bench/search_latency.py SITE_FOLDER [--word trade] [--runs 5]

SITE_FOLDER is the output of a `portal build` with search on, whose base URL has no subpath
(the bench corpus's does not).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import threading
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


# Sets window.benchFirstResult: milliseconds from the first keydown to the first result.
_WATCH = """() => {
  let typed = null;
  document.addEventListener("keydown", () => { if (typed === null) typed = performance.now(); },
                            true);
  new MutationObserver((changes, observer) => {
    if (typed !== null && document.querySelector(".pagefind-ui__result")) {
      observer.disconnect();
      window.benchFirstResult = performance.now() - typed;
    }
  }).observe(document.body, { subtree: true, childList: true });
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--word", default="trade")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--at-once",
        action="store_true",
        help="type as soon as the box shows, not once the page is idle (the index loading)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/search/"
    # A shard per year (pagefind/YEAR/) and this month (YEAR-MONTH/), or one whole index.
    shards = len([p for p in (args.site / "pagefind").iterdir() if p.name[:4].isdigit()]) or 1
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            for _ in range(args.runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                box = page.locator(".pagefind-ui__search-input")
                box.wait_for()
                if not args.at_once:  # a reader starts typing after a moment, not at once
                    page.wait_for_load_state("networkidle")
                page.evaluate(_WATCH)
                box.press_sequentially(args.word)
                page.wait_for_function(
                    "() => window.benchFirstResult !== undefined", timeout=60_000
                )
                times.append(page.evaluate("() => window.benchFirstResult") / 1000)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    print(
        f"{shards} shards, '{args.word}': first results after "
        f"{statistics.median(times) * 1000:.0f} ms (median of {args.runs}; "
        f"{', '.join(f'{t * 1000:.0f}' for t in times)} ms)"
    )


if __name__ == "__main__":
    main()
