"""How long `portal import` takes on N saved pages, as one new process.

    python bench/import_speed.py [N] [--runs 3] [--dir /dev/shm]

Each page is tests/fixtures/import/cms_page.html (a CMS template: nav, sidebar, comments,
footer) made distinct: its canonical URL, headline and paragraphs carry the page's number, so
none is a duplicate of another. Medians of --runs; files on tmpfs by default, as in run.py.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import" / "cms_page.html"


def write_pages(folder: Path, count: int) -> None:
    template = PAGE.read_text("utf-8")
    folder.mkdir(parents=True)
    for number in range(count):
        page = template.replace("c_1234", f"c_{number}")
        page = re.sub(r"(<h1[^>]*>)", rf"\1No. {number}: ", page, count=1)
        page = page.replace("</p>", f" (item {number})</p>")
        (folder / f"page-{number:05}.html").write_text(page, "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    shm = "/dev/shm" if Path("/dev/shm").is_dir() else None
    parser.add_argument("--dir", default=shm, help="where pages and output go (default tmpfs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-import-bench-", dir=args.dir) as scratch:
        root = Path(scratch)
        write_pages(root / "pages", args.count)
        seconds = []
        for _ in range(args.runs):
            shutil.rmtree(root / "content", ignore_errors=True)
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "generator", "import", "pages"],
                cwd=root,
                capture_output=True,
                text=True,
            )
            seconds.append(time.perf_counter() - started)
        written = len(list((root / "content").glob("*.md")))
        runs = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"{args.count:,} pages: median {statistics.median(seconds):.2f} s ({runs})")
        print(f"  {written:,} files written; {result.stdout.strip().splitlines()[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
