"""How long `portal import` takes on N saved pages, as one new process.

    python bench/import_speed.py [N] [--runs 3] [--dir /dev/shm]

Each page is tests/fixtures/import/cms_page.html (a CMS template: nav, sidebar, comments,
footer) made distinct: its canonical URL, headline and paragraphs carry the page's number, so
none is a duplicate of another. Medians of --runs; files on tmpfs by default, as in run.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import timed  # bench/timed.py, beside this script

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
    args = timed.arguments("pages", 1000)
    timed.run(args, lambda root: write_pages(root / "pages", args.count), ["import", "pages"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
