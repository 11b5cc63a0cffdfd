"""The quick no-change check: `portal build` asked again with nothing changed answers from a
record the last build kept, before the stages (YAML, Jinja, Markdown) are imported, so it
costs little more than Python's start-up and one walk of the inputs.

The record holds what the build's inputs key (unchanged.py) was made of, less what needs the
config parsed: the command line (with the folder it ran in and the Python that ran it), the
config file's stamp, the folders and libraries walked, and when today (in the site's time
zone) begins and ends. Anything else, or any doubt, and the build runs as usual. It imports
only the standard library, and little of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time

TYPE_CHECKING = False  # as typing's: typing and datetime cost milliseconds, a share of it all
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Collection, Sequence
    from typing import Any

CACHE_FOLDER = ".portal-cache"  # the default cache_dir, beside site.yaml
RECORD = "quick-build.json"
CONFIG_NAME = "site.yaml"
SECONDS = "{seconds}"  # where the summary line says how long the build took
# What a build reads from the environment besides its files.
ENVIRONMENT = ("PAGEFIND_BINARY_PATH", "TZ")


class Asked:
    """A command line, and the walks of its inputs the quick check made (rows by folder):
    the build it then runs takes them as its own rather than walking again."""

    __slots__ = ("argv", "walks")

    def __init__(self, argv: Sequence[str]) -> None:
        self.argv = list(argv)
        self.walks: dict[str, list[tuple[str, int, int]]] = {}


def answer(asked: Asked) -> str | None:
    """The last build's summary line if the command line asks for the very build the record
    was made by, nothing it read has changed and its output is as it left it; else None."""
    started = time.perf_counter()
    argv = asked.argv
    if not argv or argv[0] != "build" or any(a in ("-h", "--help", "--no-cache") for a in argv):
        return None
    try:
        with open(record_path(argv), encoding="utf-8") as file:
            record = json.load(file)
        same = (
            record["call"] == call(argv)
            and record["config"] == _stamp(record["config"][0])
            and record["today"][0] <= time.time() < record["today"][1]
            and record["output"] == _stamp(record["output"][0], inode=True)
            and record["files"]
            == files_key(record["folders"], record["libraries"], walks=asked.walks)
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # no record, or not one this code wrote: the build decides
    if not same:
        return None
    summary: str = record["summary"]
    return summary.replace(SECONDS, f"{time.perf_counter() - started:.1f}")


def call(argv: Sequence[str]) -> dict[str, Any]:
    """What, besides the files, makes one `portal build` another: its arguments, the folder
    it runs in, the Python and environment it runs with."""
    return {
        "argv": list(argv),
        "cwd": os.getcwd(),
        "python": [sys.prefix, sys.version],
        "environment": {name: os.environ.get(name) for name in ENVIRONMENT},
    }


def config_file(argv: Sequence[str]) -> str:
    """The config file a build reads: the one --config names, else ./site.yaml (where
    `portal build` looks; it need not exist)."""
    config = CONFIG_NAME
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            config = argv[i + 1]
        elif arg.startswith("--config="):
            config = arg.partition("=")[2]
    return config


def record_path(argv: Sequence[str]) -> str:
    """Where the record is: the default cache folder, beside the config file."""
    return os.path.join(os.path.dirname(config_file(argv)), CACHE_FOLDER, RECORD)


def keep(
    path: str,
    asked: Asked,
    config_file: str,
    today: tuple[dt.datetime, dt.datetime],
    output: str,
    inputs: Inputs,
    summary: str,
) -> None:
    """Write the record of a build that read `inputs` (as they were when it began) on the
    day `today` (its start and the next day's) and wrote `output` (its manifest), ending
    with `summary` (SECONDS where its time goes)."""
    record = {
        "call": call(asked.argv),
        "config": _stamp(config_file),
        "today": [today[0].timestamp(), today[1].timestamp()],
        "output": _stamp(output, inode=True),
        "folders": inputs.folders,
        "libraries": inputs.libraries,
        "files": inputs.files,
        "summary": summary,
    }
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}")
    os.makedirs(folder, exist_ok=True)
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(record, file)
    os.replace(temporary, path)


def forget(path: str) -> None:
    """Drop the record: the next build checks everything."""
    try:
        os.unlink(path)
    except OSError:
        pass


class Inputs:
    """The files a build reads, walked once: the folders (in order), the libraries whose
    version shapes the output (name, the file found for it), and a digest of their stamps."""

    def __init__(
        self,
        folders: Sequence[str],
        libraries: Sequence[tuple[str, str]],
        skipped: Collection[str] = (),
        stamps: dict[str, tuple[int, int]] | None = None,
        stamped: str | None = None,
        walks: dict[str, list[tuple[str, int, int]]] | None = None,
    ) -> None:
        self.folders = list(folders)
        self.libraries = [list(library) for library in libraries]
        self.files = files_key(folders, self.libraries, skipped, stamps, stamped, walks)


def files_key(
    folders: Sequence[str],
    libraries: Sequence[Sequence[str]],
    skipped: Collection[str] = (),
    stamps: dict[str, tuple[int, int]] | None = None,
    stamped: str | None = None,
    walks: dict[str, list[tuple[str, int, int]]] | None = None,
) -> str:
    """A digest of the stamps of the libraries' files and of every file under the folders
    (but the `skipped` ones). `stamps` receives the (mtime, size) of the files under the
    folder `stamped`, by path; `walks`, when given, the rows of each folder walked whole,
    and gives them back instead of walking again."""
    digest = hashlib.sha256()
    for name, origin in libraries:
        try:
            stat = os.stat(origin)
            digest.update(f"{name}\0{origin}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        except OSError:
            digest.update(f"{name}\0{origin}\0gone\n".encode())
    for folder in folders:
        digest.update(folder.encode())
        keep = stamps if stamps is not None and folder == stamped else None
        rows = walks.get(folder) if walks is not None and not skipped else None
        if rows is None:
            rows = walk(folder, skipped)
            if walks is not None and not skipped:
                walks[folder] = rows
        for path, mtime, size in rows:
            digest.update(f"{path}\0{mtime}\0{size}\n".encode())
            if keep is not None and size >= 0:  # not one that could not be read
                keep[path] = (mtime, size)
    return digest.hexdigest()


def walk(folder: str, skipped: Collection[str] = ()) -> list[tuple[str, int, int]]:
    """(path, mtime, size) of the files under folder, in name order, but for those under the
    `skipped` folders. Never fails: what cannot be read counts as (path, errno, -1), reported
    by the stage that reads it; a link back to a folder being walked is not followed."""
    found: list[tuple[str, int, int]] = []
    _walk_into(folder, os.path.realpath(folder), skipped, frozenset(), found)
    return found


def _walk_into(
    folder: str, real: str, skipped: Collection[str], above: frozenset[str], found: list
) -> None:
    """`walk` from `folder`, whose path with links resolved is `real`; `above`, the real
    paths of the folders it is in."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        found.append((folder, error.errno or 0, -1))
        return
    walking = above | {real}
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        try:
            if entry.is_dir():
                # Only a link can lead back up: other folders' real paths need no lookup.
                inner = (
                    os.path.realpath(entry.path)
                    if entry.is_symlink()
                    else os.path.join(real, entry.name)
                )
                if entry.path not in skipped and inner not in walking:
                    _walk_into(entry.path, inner, skipped, walking, found)
                continue
            stat = entry.stat()
            found.append((entry.path, stat.st_mtime_ns, stat.st_size))
        except OSError as error:
            found.append((entry.path, error.errno or 0, -1))


def _stamp(path: str, inode: bool = False) -> list[Any]:
    """The path with its mtime and size (and inode), or with None when it is not there."""
    try:
        stat = os.stat(path)
    except OSError:
        return [path, None]
    return [path, stat.st_mtime_ns, stat.st_size, *([stat.st_ino] if inode else [])]
