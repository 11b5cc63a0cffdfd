"""Load: the preview server answers thousands of requests from 50 concurrent clients on
loopback while the site is rebuilt every ~200 ms, without one failed request.

Bounded: every client stops at its share of requests or at the deadline, whichever comes first.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from tests.test_preview import Running, preview  # noqa: F401 (the fixture)

CLIENTS = 50
REQUESTS = 5_000
DEADLINE = 120  # seconds: the test stops by itself, pass or fail
EDIT_EVERY = 0.2


def test_preview_serves_5000_requests_from_50_clients_during_rebuilds(
    preview: Running,  # noqa: F811 (the fixture imported above)
) -> None:
    root = preview.root
    url = urlsplit(preview.base_url)
    base = url.path  # /portal/
    out = root.parent / "out"
    article = next(out.glob("2020/12/harbin-ukraine*/index.html")).parent
    css = next(out.glob("style.*.css")).name
    paths = {
        base: 200,
        f"{base}{article.relative_to(out).as_posix()}/": 200,
        f"{base}tags/": 200,
        f"{base}tags/trade/": 200,
        f"{base}countries/ukraine/": 200,
        f"{base}feed.xml": 200,
        f"{base}sitemap.xml": 200,
        f"{base}{css}": 200,
        f"{base}no/such/page/": 404,
    }
    results = hammer(url.hostname or "127.0.0.1", url.port or 80, list(paths.items()), root)
    statuses, failures, seconds, rebuilds = results
    total = sum(statuses.values())
    print(
        f"{total:,} requests from {CLIENTS} clients in {seconds:.1f} s "
        f"({total / seconds:,.0f} requests/s) across {rebuilds} rebuilds",
        end=" ",
    )
    assert not failures, failures[:5]
    assert total >= REQUESTS, f"only {total} requests before the deadline"
    log = preview.log + preview.errors
    assert rebuilds >= 3, log[-5:]
    assert not [line for line in log if "failed" in line or "internal error" in line], [
        line for line in log if not line.startswith("rebuilt")
    ]


def hammer(
    host: str, port: int, paths: list[tuple[str, int]], root: Path
) -> tuple[Counter[int], list[str], float, int]:
    """CLIENTS threads share REQUESTS requests while a thread edits an article every 200 ms."""
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + DEADLINE
    done = threading.Event()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        for index in range(REQUESTS // CLIENTS):
            if time.monotonic() > deadline:
                return
            path, expected = paths[(number + index) % len(paths)]
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                status = response.status
                problem = None if status == expected and body else f"{path}: {status}"
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                status, problem = 0, f"{path}: {error!r}"
            with lock:
                statuses[status] += 1
                if problem:
                    failures.append(problem)
        connection.close()

    edits: list[int] = []

    def editor() -> None:
        article = next((root / "content").glob("harbin-ukraine*.md"))
        original = article.read_text("utf-8")
        while not done.wait(EDIT_EVERY) and time.monotonic() < deadline:
            number = len(edits) + 1
            # Saved as editors save: a whole new file renamed over the old one.
            temporary = article.with_name(f".{article.name}.swp")
            temporary.write_text(original + f"\nEdit number {number}.\n", "utf-8")
            os.replace(temporary, article)
            edits.append(number)

    def get(path: str) -> str:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        connection.request("GET", path)
        body = connection.getresponse().read().decode("utf-8")
        connection.close()
        return body

    def epoch() -> int:
        return json.loads(get(paths[0][0] + "__portal/poll?epoch=-1"))["epoch"]

    first = epoch()
    editing = threading.Thread(target=editor, daemon=True)
    editing.start()
    started = time.monotonic()
    clients = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(max(0.0, deadline - time.monotonic()) + 5)
    seconds = time.monotonic() - started
    done.set()
    editing.join(10)
    # The last edit's rebuild: its text on the article's page (an edit's rebuild must finish).
    page, _ = paths[1]
    last = f"Edit number {edits[-1]}." if edits else ""
    give_up = time.monotonic() + 30
    while last not in get(page) and time.monotonic() < give_up:
        time.sleep(0.05)
    assert last in get(page), f"{last!r} never shown"
    return statuses, failures, seconds, epoch() - first
