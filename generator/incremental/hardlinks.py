"""Hard links between the two output folders: a file both hold is one file, linked (or copied
where the file system has no hard links) and replaced by rename, never rewritten in place."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path


def link(source_root: Path, target_root: Path, name: str) -> bool:
    """Put a hard link to source_root/name at target_root/name; False if there is no source.
    Plain strings and the fewest system calls: after a template change, the next build links
    back every page."""
    source = f"{source_root}{os.sep}{name}"
    target = f"{target_root}{os.sep}{name}"
    folder, _, base = target.rpartition(os.sep)
    temporary = f"{folder}{os.sep}.{base}.tmp"
    try:
        try:
            os.link(source, temporary)
        except FileExistsError:  # left by a killed build
            os.unlink(temporary)
            os.link(source, temporary)
        except FileNotFoundError:
            if not os.path.exists(source):
                return False
            os.makedirs(folder, exist_ok=True)
            os.link(source, temporary)
    except OSError:
        try:
            shutil.copy2(source, temporary)  # a file system without hard links
        except OSError:
            return False
    os.replace(temporary, target)
    # Renaming a link onto another link of the same file does nothing: the temporary stays.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    return True


def link_new(out: Path, spare: Path, name: str, folders: set[str]) -> bool:
    """Hard-link a published file into a spare folder that was just created (the first
    incremental build after a cold one): nothing is there yet, so no temporary is needed.
    `folders`: those made so far. Plain strings, as in `link`: this runs for every page."""
    target = f"{spare}{os.sep}{name}"
    folder = target.rpartition(os.sep)[0]
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    try:
        os.link(f"{out}{os.sep}{name}", target)
    except OSError:
        return False
    return True


def remove_stale(spare: Path, wanted: dict[str, str], held: dict[str, str], sweep: bool) -> None:
    """Delete what the spare holds (`held`, or all its files if `sweep`) that the new build
    does not have. `held` may be only those of the spare's files that can have gone."""
    if sweep:
        stale = [
            p
            for p in spare.rglob("*")
            if p.is_file() and p.relative_to(spare).as_posix() not in wanted
        ]
    elif held.keys() <= wanted.keys():  # as a rule: no set of every name made
        return
    else:
        stale = [spare / name for name in held.keys() - wanted.keys()]
    for path in stale:
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != spare and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False
