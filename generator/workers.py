"""What the forked worker pools (loading, rendering) share."""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class WorkerDied(Exception):
    """A worker process stopped without a result (killed: out of memory, say)."""


def quiet_worker() -> None:
    """In a worker process: leave Ctrl-C and SIGTERM to the parent, which stops the pool.
    (The CLI turns SIGTERM into KeyboardInterrupt; inherited, every worker would print a
    traceback when the pool is stopped.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def in_workers(
    function: Callable[[Any], Any],
    jobs: Iterable[Any],
    chunksize: int = 1,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[Any]:
    """`function` over `jobs` in one forked process per core (at most 8), results in order.

    A concurrent.futures pool, not multiprocessing.Pool: when a worker dies (the kernel kills
    the biggest process when memory runs out), Pool waits forever for its lost task; this pool
    breaks, and the build stops with WorkerDied."""
    # Imported here: a rebuild that needs no workers does not pay for importing them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")

    def start(*args: Any) -> None:
        quiet_worker()
        gc.enable()  # the parent may have paused collecting while it made what workers share
        if initializer is not None:
            initializer(*args)

    workers = max(1, min(os.cpu_count() or 1, 8))
    pool = ProcessPoolExecutor(workers, context, start, initargs)
    try:
        yield from pool.map(function, jobs, chunksize=chunksize)
    except BrokenProcessPool:
        raise WorkerDied("a worker process stopped without finishing (out of memory?)") from None
    finally:
        # On an error (a template's, say), the jobs not started are dropped, not run for nothing.
        pool.shutdown(wait=True, cancel_futures=True)
