"""Stage 5b: write pages into a staging folder and swap it in, so a failed or killed build never
leaves a half-written site. Pages whose fingerprint is unchanged are hard-linked from the
previous build instead of rendered; files whose bytes are unchanged keep their old inode.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError
from generator.plan import Page

MANIFEST = ".portal-manifest.json"


@dataclass(frozen=True, slots=True)
class WriteStats:
    pages: int
    rendered: int  # pages whose fingerprint changed, so they went through a template
    written: int  # files whose bytes changed


def write_site(
    pages: Sequence[Page],
    out: Path,
    render: Callable[[Page], bytes],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> WriteStats:
    """Write every page into a fresh copy of `out` and swap it in atomically."""
    _remove_leftovers(out)
    _check_output_folder(out, pages)
    old = _read_manifest(out)
    staging = out.parent / f".{out.name}.staging"
    staging.mkdir(parents=True)
    manifest: dict[str, str] = {}
    rendered = written = 0
    try:
        for done, page in enumerate(pages, start=1):
            target = staging / page.output
            previous = out / page.output
            target.parent.mkdir(parents=True, exist_ok=True)
            if old.get(page.output) == page.fingerprint and previous.is_file():
                _link_or_copy(previous, target)
            else:
                data = page.data if page.data is not None else render(page)
                rendered += page.data is None
                if previous.is_file() and _same_bytes(previous, data):
                    _link_or_copy(previous, target)
                else:
                    target.write_bytes(data)
                    written += 1
            manifest[page.output] = page.fingerprint
            progress(done, len(pages))
        (staging / MANIFEST).write_text(json.dumps(manifest, sort_keys=True, indent=0) + "\n")
        _swap_in(staging, out)
    finally:
        _remove_leftovers(out)
    return WriteStats(len(pages), rendered, written)


def _check_output_folder(out: Path, pages: Sequence[Page]) -> None:
    seen: set[str] = set()
    for page in pages:
        if page.output in seen:
            raise InputError(str(out / page.output), "two pages would be written to this file")
        seen.add(page.output)
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).exists())
    ):
        raise InputError(
            str(out),
            f"exists and was not written by portal (no {MANIFEST}); "
            "remove it or choose another output folder",
        )


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap_in(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
    elif not _exchange(staging, out):
        # No atomic exchange here: two renames, with a moment where the old copy is aside.
        aside = out.parent / f".{out.name}.old"
        out.rename(aside)
        staging.rename(out)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def _remove_leftovers(out: Path) -> None:
    """Staging and aside folders of this or an earlier, killed build."""
    aside = out.parent / f".{out.name}.old"
    if aside.is_dir() and not out.exists():
        aside.rename(out)  # killed between the two renames: the previous site comes back
    for name in (f".{out.name}.staging", f".{out.name}.old"):
        leftover = out.parent / name
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
