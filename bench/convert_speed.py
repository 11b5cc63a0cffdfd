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

import random
import re
import sys
from pathlib import Path

import timed  # bench/timed.py, beside this script

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
    args = timed.arguments("seeds", 2000)
    timed.run(args, lambda root: write_seeds(root / "seeds", args.count), ["convert"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
