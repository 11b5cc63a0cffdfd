"""What the benchmarks share: a build timed as a whole process (bench/run.py, bench/images.py),
and for bench/convert_speed.py and bench/import_speed.py a command run as a new process in a
scratch folder on tmpfs, its output folder emptied before each run."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def whole_process(
    name: str, command: list[str], folder: Path, env: dict[str, str] | None
) -> dict[str, float]:
    """One build as a new process in `folder`: wall seconds, CPU seconds (user + sys, its
    children included) and peak RSS in MiB (os.wait4); RuntimeError, with the end of what it
    said, if it fails."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    stderr = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{name} failed ({child.returncode}): " + " | ".join(tail))
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def version(command: list[str]) -> str:
    """The first line a tool says of its version, or why it cannot."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except OSError:
        return "not installed"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if done.returncode == 0 and lines else "?"


def remove(folder: Path, names: list[str]) -> None:
    """These files or folders of `folder` gone (what a cold build starts without)."""
    for name in names:
        path = folder / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


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
