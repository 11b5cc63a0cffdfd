"""Write the pages so that a failed or killed build never leaves a half-written site.

The plain way (`write_whole`): render every page into a new folder beside the published one,
with its manifest (each file's fingerprint), and swap the two in one step (Linux renameat2
RENAME_EXCHANGE, else three renames that `recover` completes). The incremental build keeps
the two folders and touches only what changed (incremental/outputs.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import shutil
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator.errors import InputError
from generator.model.shards import Shards
from generator.pages.records import Page

MANIFEST = ".portal-manifest"

# The manifest's name and format before 2026-11-23 (JSON): accepted as portal's own, not read.
OLD_MANIFEST = ".portal-manifest.json"

MANIFEST_HEADER = "portal manifest 2"


Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class WriteStats:
    pages: int
    rendered: int  # pages whose fingerprint changed, so they went through a template
    written: int  # files written or replaced in the published folder
    # Shards of derived files whose pages changed but which were left as they were, to be
    # made by a later call (write_site's `defer_derived`, then `stale`).
    stale: frozenset[str] = frozenset()
    # Shards that could not be made (Pagefind failed): kept as they were, if they were, and
    # owed (their manifest entries say so): the next build makes them whatever it finds.
    owed: frozenset[str] = frozenset()


class Derived(Protocol):
    """Files made from the finished pages (a search index), in shards: the files of shard S
    are under `prefix` + S + '/', made from the pages `shard_of` puts in S. It says what went
    wrong itself and returns what it could make: it does not raise."""

    prefix: str
    refresh: bool  # False keeps the previous files even when pages they read changed
    shards: Shards  # which shard a page is read for, as of the day it was made

    def reads(self, name: str) -> bool:
        """Whether a change to this output file calls for new derived files."""
        ...

    def shard_of(self, name: str) -> str | None:
        """The shard an output file is read for, if it is read."""
        ...

    def reads_same(self, before: bytes, after: bytes) -> bool:
        """Whether two versions of a file it reads make the same derived files."""
        ...

    def __call__(self, folder: Path, shards: Collection[str]) -> dict[str, bytes]:
        """The files of these shards, made from the pages in `folder`."""
        ...

    def outdated(self, folder: Path, shards: Collection[str]) -> set[str]:
        """Those of these shards, whose files `folder` holds, that were made for other pages
        than `shard_of` now puts in them (at a new month, say): to be made again."""
        ...

    def begin(
        self, published: Path, pages: Collection[str], guessed: Mapping[str, str] | None = None
    ) -> None:
        """Start, from the `published` folder, on the shards of these pages (those likely to
        change), while the pages are made: work ahead, which a call then takes up. `guessed`:
        what some of these pages will likely hold, by name (or later, through `guess`)."""
        ...

    def begun(self) -> set[str]:
        """The pages the work begun waits to be given guesses of."""
        ...

    def guess(self, guessed: Mapping[str, str]) -> None:
        """What the pages the work begun waits on will likely hold, by name."""
        ...

    def end(self) -> None:
        """Drop the work begun that no call took up."""
        ...


def shards_of(derived: Derived, names: Iterable[str]) -> set[str]:
    """The shards of the derived files that these output files are read for."""
    return {shard for shard in map(derived.shard_of, names) if shard is not None}


def write_whole(
    pages: Sequence[Page],
    out: Path,
    render: Callable[[Page], bytes],
    derived: Derived | None = None,
) -> WriteStats:
    """Render every page into a new folder beside `out`, with its manifest, and swap the two
    in one step; no file of an earlier build is looked at or reused."""
    recover(out)
    check_names(out, pages)  # names inside the site, and never over a folder not ours
    spare = out.parent / f".{out.name}.prev"
    shutil.rmtree(spare, ignore_errors=True)
    spare.mkdir(parents=True)
    for page in pages:
        if page.source is not None:
            put_file(page.source, f"{spare}{os.sep}{page.output}")
            continue
        data = page.data if page.data is not None else render(page)
        write_file(f"{spare}{os.sep}{page.output}", data)
    manifest = {page.output: page.fingerprint for page in pages}
    if derived is not None:
        for name, data in derived(spare, shards_of(derived, manifest)).items():
            write_file(f"{spare}{os.sep}{name}", data)
            manifest[name] = hashlib.sha256(data).hexdigest()[:32]
    write_manifest(spare, manifest)
    swap(spare, out)
    return WriteStats(len(pages), sum(p.template is not None for p in pages), len(manifest))


def write_file(path: str, data: bytes) -> None:
    """Write `path`, making its folder if there is none yet (asked only then)."""
    try:
        with open(path, "wb") as file:
            file.write(data)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data)


def put_file(source: str, target: str) -> None:
    """Put the file `source` (a processed image in the cache, never rewritten in place) at
    `target`: a hard link, or a copy where there are none; replaced by rename."""
    folder, _, base = target.rpartition(os.sep)
    temporary = f"{folder}{os.sep}.{base}.tmp"
    os.makedirs(folder, exist_ok=True)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)  # left by a killed build
        try:
            os.link(source, temporary)
        except FileNotFoundError:
            raise
        except OSError:
            shutil.copyfile(source, temporary)  # another file system, or one without links
    except FileNotFoundError:
        raise InputError(source, "gone from the image cache while building: build again") from None
    os.replace(temporary, target)


def check_names(out: Path, pages: Sequence[Page]) -> None:
    names = [page.output for page in pages]
    if len(set(names)) == len(names) and _all_inside(names):
        pages = []  # as a rule: all checked at once, not one by one
    seen: set[str] = set()
    for page in pages:  # which one is wrong, and how
        if not _inside(page.output):
            # Names come from slugs that cannot do this; this is the last line of defence.
            raise InputError(str(out), f"refusing to write {page.output!r}: not inside the site")
        if page.output in seen:
            raise InputError(str(out / page.output), "two pages would be written to this file")
        seen.add(page.output)
    ours = (out / MANIFEST).exists() or (out / OLD_MANIFEST).exists()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not ours)):
        raise InputError(
            str(out),
            f"exists and was not written by portal (no {MANIFEST}); "
            "remove it or choose another output folder",
        )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# The bytes names joined by line breaks may hold: printable ASCII but for the backslash and
# the colon, the line breaks between them, and the bytes of any other character (UTF-8).
_JOINED_NAME_BYTES = bytes(
    b for b in range(256) if (0x20 <= b < 0x7F and b not in b"\\:") or b == 0x0A or b >= 0x80
)
# A part that is empty, or '.' or '..': between two of '/' and a line break, in names joined
# by line breaks with one before and one after.
_EMPTY_PARTS = tuple(f"{a}{b}" for a in "/\n" for b in "/\n")
_DOT_PARTS = tuple(f"{a}{dots}{b}" for a in "/\n" for dots in (".", "..") for b in "/\n")


def _all_inside(names: list[str]) -> bool:
    """Whether `_inside` holds for every name, looked at all at once: a search for each bad
    part over all names is many times faster than a pattern tried at every character."""
    text = "\n".join(names)
    if text.count("\n") != len(names) - 1:
        return False  # a name holds a line break
    # (surrogatepass: a name `_inside` lets through is not refused here for its encoding)
    if text.encode("utf-8", "surrogatepass").translate(None, _JOINED_NAME_BYTES):
        return False  # a control character, a backslash or a colon
    framed = f"\n{text}\n"
    if any(part in framed for part in _EMPTY_PARTS):
        return False
    if "/." not in framed and "\n." not in framed:
        return True  # no part starts with a dot (as a rule)
    return not any(part in framed for part in _DOT_PARTS)


def _inside(name: str) -> bool:
    """A relative, normalised POSIX path with no '..', no control character, no backslash."""
    if not name or name.startswith("/") or _CONTROL.search(name) or "\\" in name or ":" in name:
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") for part in parts)


# Manifests this process wrote or read, by the identity of their file: a watching builder reads
# the two it wrote before without parsing every entry again.
_manifests: dict[tuple[int, int, int, int], tuple[dict[str, str], bool]] = {}


def read_manifest(folder: Path) -> tuple[dict[str, str], bool]:
    """The folder's manifest, and whether this process wrote it."""
    path = folder / MANIFEST
    try:
        stat = path.stat()
        known = _manifests.get(_identity(stat))
        if known is not None:
            return known
        manifest = parse_manifest(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}, False
    _manifests[_identity(stat)] = (manifest, False)
    return manifest, False


def write_manifest(folder: Path, manifest: dict[str, str], canonical: bool = True) -> None:
    path = folder / MANIFEST
    path.write_text(manifest_text(manifest, canonical), "utf-8")
    if len(_manifests) > 8:
        _manifests.clear()
    _manifests[_identity(path.stat())] = (manifest, True)


def manifest_text(manifest: dict[str, str], canonical: bool = True) -> str:
    """A header with the count, then one `fingerprint<TAB>file` line per file, sorted if
    `canonical` (the same files, the same bytes, whatever the order of the pages). Nothing to
    escape: file names hold no control characters (`_inside`), nor do fingerprints. Much
    faster to read and write than JSON."""
    lines = [f"{fingerprint}\t{name}\n" for name, fingerprint in manifest.items()]
    if canonical:
        lines.sort()
    text = f"{MANIFEST_HEADER} {len(manifest)}\n" + "".join(lines)
    if text.count("\t") != len(manifest) or text.count("\n") != len(manifest) + 1:
        raise ValueError("a page's name or fingerprint has a tab or a line break")  # a bug
    return text


def parse_manifest(text: str) -> dict[str, str]:
    """The manifest in `text`; ValueError if it is not whole (a build killed writing it)."""
    header, _, body = text.partition("\n")
    name, _, count = header.rpartition(" ")
    fields = body.replace("\n", "\t").split("\t")
    # Two fields per line, and the empty one after the last line break.
    if name != MANIFEST_HEADER or not count.isdigit() or len(fields) != 2 * int(count) + 1:
        raise ValueError("not a whole manifest")
    return dict(zip(fields[1::2], fields[0:-1:2], strict=True))


def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)


def swap(spare: Path, out: Path) -> None:
    if not out.exists():
        spare.rename(out)
    elif not _exchange(spare, out):
        # No atomic exchange on this system: three renames, recovered by recover if killed.
        aside = out.parent / f".{out.name}.old"
        out.rename(aside)
        spare.rename(out)
        aside.rename(spare)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def recover(out: Path) -> None:
    """A build killed between the fallback's renames left the published site aside."""
    aside = out.parent / f".{out.name}.old"
    if aside.is_dir() and not out.exists():
        aside.rename(out)
    elif aside.is_dir():
        shutil.rmtree(aside, ignore_errors=True)
