"""Two trees of portal built alternately on one corpus, as new processes: a change's speed
against the commit before it, in one run (the machine's drift hits both alike).

    git worktree add /tmp/before REV
    python bench/ab.py /tmp/before . [--count 10000] [--runs 3] [--search]

Each tree builds its own copy of bench/corpus.py's corpus, with its own themes/. Per run and
step (cold, no change, one body edited, one title edited) the trees take turns, in the other
order every other run; the medians are printed with their ratio (after / before).

`--to-today` moves the corpus's dates on so that its newest article is dated today (in the
site's time zone), as a newsroom's site is, and adds two steps: a new article dated today,
and the body of this month's newest article edited.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
STEPS = ("cold", "no change", "body edit", "title edit")
TODAY_STEPS = ("new today", "edit today")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search", action="store_true", help="with the search index")
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None)
    parser.add_argument("--to-today", action="store_true", help="the newest article dated today")
    args = parser.parse_args()
    steps = STEPS + (TODAY_STEPS if args.to_today else ())
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    with tempfile.TemporaryDirectory(prefix="portal-ab-", dir=args.dir) as scratch:
        corpus = Path(scratch) / "corpus"
        subprocess.run(
            [sys.executable, str(BENCH / "corpus.py"), str(args.count), str(corpus)],
            check=True,
            capture_output=True,
        )
        if args.to_today:
            _move_to_today(corpus / "content")
        work = {name: _work_copy(corpus, Path(scratch) / name, tree, args.search)
                for name, tree in trees.items()}  # fmt: skip
        times: dict[tuple[str, str], list[float]] = {}
        for run in range(args.runs):
            order = ("before", "after") if run % 2 == 0 else ("after", "before")
            for step in steps:
                for name in order:
                    _prepare(work[name], step, run)
                    seconds = _build(work[name], trees[name])
                    times.setdefault((step, name), []).append(seconds)
    for step in steps:
        before = statistics.median(times[(step, "before")])
        after = statistics.median(times[(step, "after")])
        print(f"{step:11} before {before:7.2f} s  after {after:7.2f} s  ratio {after / before:.2f}")


def _work_copy(corpus: Path, work: Path, tree: Path, search: bool) -> Path:
    work.mkdir()
    shutil.copytree(corpus / "content", work / "content")
    config = (corpus / "site.yaml").read_text("utf-8")
    config = re.sub(r"(?m)^themes_dir:.*$", f"themes_dir: {tree / 'themes'}", config)
    config = re.sub(r"(?m)^search:.*$", f"search: {'true' if search else 'false'}", config)
    (work / "site.yaml").write_text(config, "utf-8")
    return work


def _move_to_today(content: Path) -> None:
    """Every article's date moved on by the days from the newest to today (Asia/Shanghai, the
    corpus's time zone)."""
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    stories = {story: story.read_text("utf-8") for story in content.glob("*.md")}
    dates = {story: _DATE.search(text) for story, text in stories.items()}
    newest = max(dt.date.fromisoformat(found[1]) for found in dates.values() if found)
    for story, text in stories.items():
        found = dates[story]
        if found:
            day = dt.date.fromisoformat(found[1]) + (today - newest)
            story.write_text(text.replace(found[0], f"date: {day.isoformat()}", 1), "utf-8")


_DATE = re.compile(r"(?m)^date: (\d{4}-\d{2}-\d{2})$")


def _newest(content: Path) -> Path:
    stories = {story: _DATE.search(story.read_text("utf-8")) for story in content.glob("*.md")}
    return max((found[1], story) for story, found in stories.items() if found)[1]


def _prepare(work: Path, step: str, run: int) -> None:
    story = sorted((work / "content").glob("*.md"))[5]
    if step == "new today":  # a copy of the newest, under a slug and title of its own
        newest = _newest(work / "content")
        text = re.sub(r"(?m)^slug: .*$", f"slug: new-today-{run}", newest.read_text("utf-8"))
        text = re.sub(r"(?m)^title: .*$", f"title: New today {run}", text)
        (work / "content" / f"new-today-{run}.md").write_text(text, "utf-8")
    elif step == "edit today":
        story = _newest(work / "content")
        story.write_text(story.read_text("utf-8") + f"\nOne more sentence today {run}.\n", "utf-8")
    elif step == "cold":
        for name in ("site", ".site.prev", ".portal-cache"):
            shutil.rmtree(work / name, ignore_errors=True)
    elif step == "body edit":
        story.write_text(story.read_text("utf-8") + f"\nOne more sentence {run}.\n", "utf-8")
    elif step == "title edit":
        text = story.read_text("utf-8")
        new = re.sub(r"(?m)^title: (['\"]?)", rf"title: \1Run {run} ", text, count=1)
        story.write_text(new, "utf-8")


def _build(work: Path, tree: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree}: build failed\n{done.stderr[-800:]}")
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
