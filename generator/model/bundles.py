"""Page bundles: an article as `content/<name>/index.md` with its images (and any other files)
beside it, published next to the article's page so the article can name them by file name."""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from generator.pickling import fast_pickled

INDEX = "index.md"
# A URL with a scheme, or one from the site's root: not a file of the bundle.
_NOT_LOCAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/)", re.I)


@fast_pickled
@dataclass(frozen=True, slots=True)
class BundleFile:
    """A file of a bundle: its name relative to the bundle ('photo.jpg', 'maps/route.png'),
    where to read it, and its (mtime, size) when the bundle was looked at."""

    name: str
    path: str
    mtime: int
    size: int


def is_local(src: str) -> bool:
    """Whether an image's `src` names a file beside the article rather than a URL."""
    return bool(src) and not _NOT_LOCAL.match(src)


def files_of(folder: str) -> tuple[BundleFile, ...]:
    """The bundle's files but its index.md, hidden files and Markdown, in name order.
    A file that cannot be read now is left out: the article's page says what is missing."""
    found: list[BundleFile] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = os.path.join(root, name)
            if name.startswith(".") or name.endswith(".md"):
                continue
            try:
                stat = os.stat(path)
            except OSError:
                continue
            relative = Path(path).relative_to(folder).as_posix()
            found.append(BundleFile(relative, path, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def stamp_of(index: os.stat_result, files: tuple[BundleFile, ...]) -> tuple[int, int]:
    """One (mtime, size)-like stamp for the index file and every file beside it: it changes
    when any of them is edited, added, renamed or deleted."""
    listing = "\0".join(f"{f.name}\0{f.mtime}\0{f.size}" for f in files)
    newest = max([index.st_mtime_ns, *(f.mtime for f in files)])
    return (newest, index.st_size * 2**32 + zlib.crc32(listing.encode("utf-8")))


def missing(srcs: list[str], files: tuple[BundleFile, ...] | None) -> list[str]:
    """What is wrong with each local `src` an article names: `files` None for an article that
    is not a bundle (it has nowhere to keep images)."""
    names = {f.name for f in files or ()}
    problems = []
    for src in srcs:
        if not is_local(src):
            continue
        if files is None:
            problems.append(f"src {src!r}: an image beside the article needs a page bundle "
                            f"(content/<name>/{INDEX} with {src} beside it)")  # fmt: skip
        elif src not in names:
            problems.append(f"src {src!r}: no such file beside the article")
    return problems


def content_files(content_dir: Path) -> list[Path]:
    """The content files of a folder, flat (`name.md`) and bundled (`name/index.md`), by name."""
    if not content_dir.is_dir():
        return []
    flat = content_dir.glob("*.md")
    bundled = (p for p in content_dir.glob(f"*/{INDEX}") if not p.parent.name.startswith("."))
    return sorted([*flat, *bundled])


def article_name(path: Path) -> str:
    """The name an article's file takes in the folder: `name` of `name.md` or `name/index.md`
    (`path` relative to the content folder)."""
    return path.parent.name if path.name == INDEX and path.parent.name else path.stem


def clashes(files: tuple[BundleFile, ...]) -> list[str]:
    """Files of a bundle that would take the place of the article's own page."""
    return [f"{f.name}: would replace the article's page (rename it)"
            for f in files if f.name == "index.html"]  # fmt: skip


def with_shared(stamp: tuple[int, int], files: tuple[BundleFile, ...]) -> tuple[int, int]:
    """An article's stamp with those of the shared files it shows (content/media/x.jpg): it
    changes when any of them does, so the article is read again and its images prepared."""
    if not files:
        return stamp
    listing = "\0".join(f"{f.name}\0{f.mtime}\0{f.size}" for f in files)
    newest = max([stamp[0], *(f.mtime for f in files)])
    return (newest, stamp[1] * 2**32 + zlib.crc32(listing.encode("utf-8")))


def restat(files: tuple[BundleFile, ...]) -> tuple[BundleFile, ...]:
    """The files as they are now: one gone has the stamp (-1, -1)."""
    found = []
    for file in files:
        try:
            stat = os.stat(file.path)
            found.append(BundleFile(file.name, file.path, stat.st_mtime_ns, stat.st_size))
        except OSError:
            found.append(BundleFile(file.name, file.path, -1, -1))
    return tuple(found)
