"""Files written whole or not at all: a temporary beside the file, renamed over it, so a
process killed while writing leaves the old file (and a hidden `.name.tmpPID` that the next
run removes or ignores)."""

from __future__ import annotations

import os
from pathlib import Path


def replace_file(path: Path, data: bytes) -> None:
    """Write `path` in one step; an OSError (a full disk, no permission) is raised, with no
    temporary left behind."""
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def keep(path: Path, data: bytes) -> bool:
    """Write a cache file in one step, its folder made if need be; False if it could not be
    written (a cache that cannot be kept only means the work is done again next time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError:
        return False
    return True
