"""What can be wrong with an entry of an input folder, said in one line: a symbolic link that is
broken or loops, a file or folder that cannot be read."""

from __future__ import annotations

import errno
import os
from functools import lru_cache
from pathlib import Path

from generator.errors import InputError


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory where possible.
    Its folder is resolved, not the path itself: a link that loops or leads nowhere is named
    as it is (and Path.resolve would raise)."""
    try:
        real = Path(_real_folder(str(path.parent)), path.name)
        return str(real.relative_to(_real_folder(os.getcwd())))
    except ValueError:
        return str(path)


@lru_cache(maxsize=256)  # a run shows thousands of paths in a few folders
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def unreadable(shown: str, path: str | Path, error: OSError, what: str = "") -> InputError:
    """The problem of a file (or, with what="folder", a folder) that could not be opened."""
    if error.errno == errno.ELOOP:
        reason = "symbolic link loop"
    elif error.errno == errno.ENOENT and os.path.islink(path):
        reason = f"broken symbolic link to {os.readlink(path)}"
    elif error.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied"
    elif error.errno == errno.EISDIR:
        reason = "a folder, not a file"
    else:
        reason = error.strerror or str(error)
    return InputError(shown, f"cannot read{' ' + what if what else ''}: {reason}")


def odd_entry(entry: os.DirEntry[str], folder: Path, shown: str) -> InputError | None:
    """The problem with an entry of `folder` that is not one of its files to read (those report
    their own): a broken or looping symbolic link, a folder leading back to `folder` or one
    that cannot be listed. None when there is nothing wrong, or the entry is hidden."""
    if entry.name.startswith("."):
        return None
    try:
        if entry.is_symlink():
            target = Path(os.path.realpath(entry.path, strict=True))
            if entry.is_dir() and target in (folder.resolve(), *folder.resolve().parents):
                return InputError(shown, "symbolic link loop: leads back to a folder it is in")
        if entry.is_dir():
            with os.scandir(entry.path):
                pass
    except OSError as error:
        return unreadable(shown, entry.path, error, "folder" if _is_folder(entry) else "")
    return None


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False
