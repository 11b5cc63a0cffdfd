"""How long `portal convert` takes on N seeds shaped like the development set's pages.

    python bench/convert_speed.py [N] [--runs 3] [--dir /dev/shm]

Each seed is one of tests/fixtures/pages/ (all shapes: no blank lines, teasers, captions...)
made distinct: its headline and each paragraph get the seed's number, so no two are copies
of one article (its dates stay as they are).
The whole command runs as a new process, as an editor would run it; medians of --runs.
Seeds and output live on tmpfs (/dev/shm) by default, as in bench/run.py: on this machine's
disk, creating the files costs a second or more, and varies from run to run by as much.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"


def write_seeds(folder: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    pages = sorted(p for p in PAGES.rglob("*.txt"))
    folder.mkdir(parents=True)
    for number in range(count):
        page = rng.choice(pages)
        text = page.read_text("utf-8")
        # A headline of its own (the first line of a headline's length), and paragraphs.
        text = re.sub(r"(?m)^([^\n]{25,120})$", rf"\1 no. {number}", text, count=1)
        text = re.sub(r"(?m)^([^\n]{121,}?)([.!?”\"]*)$", rf"\1 (item {number})\2", text)
        (folder / f"{number:05}_{page.stem}.txt").write_text(text, "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    shm = "/dev/shm" if Path("/dev/shm").is_dir() else None
    parser.add_argument("--dir", default=shm, help="where seeds and output go (default tmpfs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-convert-bench-", dir=args.dir) as scratch:
        root = Path(scratch)
        write_seeds(root / "seeds", args.count)
        seconds = []
        for _ in range(args.runs):
            shutil.rmtree(root / "content", ignore_errors=True)
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "generator", "convert"],
                cwd=root,
                capture_output=True,
                text=True,
            )
            seconds.append(time.perf_counter() - started)
            summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
        written = len(list((root / "content").glob("*.md")))
        where = args.dir or tempfile.gettempdir()
        runs = ", ".join(f"{s:.2f}" for s in seconds)
        median = statistics.median(seconds)
        print(f"{args.count:,} seeds in {where}: median {median:.2f} s over {args.runs} runs")
        print(f"  runs: {runs}; {written:,} files written; {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
