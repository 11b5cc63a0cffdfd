"""Edits inside `portal serve` of the article a newsroom edits most: the newest, dated today.

    python bench/serve_today.py [--count 10000] [--edits 7] [--python .venv/bin/python]

Makes bench/corpus.py's corpus with its dates moved on so that the newest article is dated
today (ab.py --to-today), builds it, then edits that article's body and title inside `portal
serve` (run.py's serve_latency): the rebuild each edit logs, and with its search update.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from ab import _move_to_today, _newest
from run import Tool, serve_latency

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--python", default=sys.executable, help="our venv's python")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-serve-", dir=args.dir) as scratch:
        corpus = Path(scratch) / "corpus"
        made = [sys.executable, str(BENCH / "corpus.py"), str(args.count), str(corpus)]
        subprocess.run(made, check=True, capture_output=True)
        _move_to_today(corpus / "content")
        portal = [args.python, "-m", "generator", "build"]
        subprocess.run(portal, cwd=corpus, check=True, capture_output=True)
        tool = Tool(
            "ours", "portal", corpus, portal, [], "content", "", "title: ", "site",
            edited=_newest(corpus / "content"),
        )  # fmt: skip
        for kind, times in serve_latency(tool, args.edits).items():
            medians = {name: statistics.median(values) for name, values in times.items()}
            line = ", ".join(f"{name} {value * 1000:.0f} ms" for name, value in medians.items())
            print(f"{kind}: {line} (medians of {args.edits})")


if __name__ == "__main__":
    main()
