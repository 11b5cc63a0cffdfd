"""What the forked worker pools (loading, rendering) share."""

from __future__ import annotations

import signal


def quiet_worker() -> None:
    """In a worker process: leave Ctrl-C and SIGTERM to the parent, which stops the pool.
    (The CLI turns SIGTERM into KeyboardInterrupt; inherited, every worker would print a
    traceback when the pool is stopped.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
