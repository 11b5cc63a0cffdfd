"""What each reuse strategy saves (docs/PERFORMANCE.md): builds of one corpus with and without
each strategy, search off, as new processes, and `portal serve`'s in-process rebuild.

    python bench/strategies.py [N] [--runs 3] [--dir /dev/shm]

The corpus is bench/corpus.py's first N articles (default 10,000), made in the scratch folder.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUTPUTS = ("site", ".site.prev", ".portal-cache")

IN_PROCESS = r"""
import statistics, sys, time
from pathlib import Path
from generator.build import Builder
from generator.config import load_config
root = Path(sys.argv[1])
story = sorted((root / "content").glob("*.md"))[5]
quiet = {"say": lambda _: None, "warn": lambda _: None}
for keep, own, what in ((True, True, "portal serve: amend in memory, own folder"),
                        (True, False, "amend in memory, folder not its own"),
                        (False, False, "same process, no kept plan (plan index)")):
    builder = Builder(load_config(root / "site.yaml"), keep_plan=keep, private_output=own)
    builder.build(**quiet)
    times = []
    for n in range(7):
        story.write_text(story.read_text() + f"\nIn process {keep} {own} {n}.\n")
        started = time.perf_counter()
        builder.build(changed={story.resolve()} if keep else None, **quiet)
        times.append(time.perf_counter() - started)
    print(f"{what:60} {statistics.median(times) * 1000:6.0f} ms")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="portal-strategies-", dir=args.dir) as scratch:
        root = Path(scratch)
        corpus = root / "corpus"
        subprocess.run(
            [sys.executable, str(BENCH / "corpus.py"), str(args.count), str(corpus)],
            check=True,
            capture_output=True,
        )
        work = root / "work"
        work.mkdir()
        shutil.copytree(corpus / "content", work / "content")
        config = (corpus / "site.yaml").read_text("utf-8")
        config = re.sub(r"(?m)^themes_dir:.*$", f"themes_dir: {REPO / 'themes'}", config)
        (work / "site.yaml").write_text(config + "search: false\n", "utf-8")
        measure(work, args.runs)


def measure(work: Path, runs: int) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    story = sorted((work / "content").glob("*.md"))[5]

    def build(*options: str) -> float:
        started = time.perf_counter()
        command = [sys.executable, "-m", "generator", "build", *options]
        subprocess.run(command, cwd=work, env=env, check=True, capture_output=True)
        return time.perf_counter() - started

    def clean() -> None:
        for name in OUTPUTS:
            shutil.rmtree(work / name, ignore_errors=True)

    def edit(text: str) -> None:
        story.write_text(story.read_text("utf-8") + f"\n{text}\n", "utf-8")

    times: dict[str, list[float]] = {}
    for run in range(runs):
        clean()
        times.setdefault("plain build (--no-cache), cold", []).append(build("--no-cache"))
        clean()
        times.setdefault("incremental build, cold", []).append(build())
        build()  # both output folders equal
        times.setdefault("no change, with the last-build record", []).append(build())
        (work / ".portal-cache/last-build.json").unlink()
        times.setdefault("no change, without it", []).append(build())
        edit(f"An edit {run}.")
        times.setdefault("body edited, new process, with the plan index", []).append(build())
        edit(f"Another edit {run}.")
        (work / ".portal-cache/plan.pickle").unlink()
        times.setdefault("body edited, new process, without it", []).append(build())
    for what, seconds in times.items():
        print(f"{what:60} {statistics.median(seconds):6.2f} s")
    subprocess.run([sys.executable, "-c", IN_PROCESS, str(work)], env=env, check=True)


if __name__ == "__main__":
    main()
