"""The shared part of bench/convert_speed.py and bench/import_speed.py: a command run as a new
process in a scratch folder on tmpfs, its output folder emptied before each run."""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def arguments(what: str, default: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=default, help=f"how many {what}")
    parser.add_argument("--runs", type=int, default=3)
    # tmpfs, as in bench/run.py: on this machine's disk, creating the files costs a second or
    # more, and varies from run to run by as much.
    shm = "/dev/shm" if Path("/dev/shm").is_dir() else None
    parser.add_argument("--dir", default=shm, help="where inputs and output go (default tmpfs)")
    return parser.parse_args()


def run(args: argparse.Namespace, write_inputs: Callable[[Path], None], command: list[str]) -> None:
    """Time `python -m generator COMMAND` in a scratch folder holding the inputs; print the
    median of the runs and the command's last line."""
    with tempfile.TemporaryDirectory(prefix="portal-bench-", dir=args.dir) as scratch:
        root = Path(scratch)
        write_inputs(root)
        seconds = []
        last = ""
        for _ in range(args.runs):
            shutil.rmtree(root / "content", ignore_errors=True)
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "generator", *command],
                cwd=root,
                capture_output=True,
                text=True,
            )
            seconds.append(time.perf_counter() - started)
            last = (result.stdout.strip().splitlines() or [""])[-1]
        written = len(list((root / "content").glob("*.md")))
        runs = ", ".join(f"{s:.2f}" for s in seconds)
        where = args.dir or tempfile.gettempdir()
        print(f"{args.count:,} in {where}: median {statistics.median(seconds):.2f} s ({runs})")
        print(f"  {written:,} files written; {last}")
