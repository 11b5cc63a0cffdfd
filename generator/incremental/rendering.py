"""Rendering pages into the spare output folder: a page whose bytes equal the published file's
is linked to it instead; many pages are spread over one forked process per core. Each says
whether the derived files (the search index) read it as they read the published one."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from generator.errors import InputError
from generator.incremental.hardlinks import link, same_bytes
from generator.output.write import Derived, Progress, put_file, write_file
from generator.pages.records import Page
from generator.workers import WorkerDied, in_workers

# Above this many pages to render, rendering is spread over one process per core.
PARALLEL_MIN = 400


def render_all(
    pages: list[Page],
    out: Path,
    spare: Path,
    render: Callable[[Page], bytes],
    progress: Progress,
    fresh: bool,
    derived: Derived | None = None,
) -> tuple[int, set[str]]:
    """Render pages into the spare folder. (How many went through a template; those that
    `derived` reads, rendered anew, that it reads as it read the published ones.)"""
    templated = sum(page.template is not None for page in pages)
    if templated >= PARALLEL_MIN and hasattr(os, "fork"):
        return _render_in_workers(pages, out, spare, render, progress, fresh, derived)
    alike: set[str] = set()
    for done, page in enumerate(pages, start=1):
        if put(out, spare, page, render, fresh, derived):
            alike.add(page.output)
        progress(done, len(pages))
    return templated, alike


def put(
    out: Path,
    spare: Path,
    page: Page,
    render: Callable[[Page], bytes],
    fresh: bool,
    derived: Derived | None = None,
) -> bool:
    """Put the page in the spare folder; True if `derived` reads it, and reads it as it read
    the published version."""
    if page.source is not None:
        put_file(page.source, f"{spare}{os.sep}{page.output}")
        return False
    data = page.data if page.data is not None else render(page)
    name = page.output
    # Plain strings, as in hardlinks.link: after a template change this runs for every page.
    published = f"{out}{os.sep}{name}"
    if same_bytes(published, data) and link(out, spare, name):
        # Same bytes as published: share the file, keep its date.
        return derived is not None and derived.reads(name)
    alike = derived is not None and derived.reads(name) and _read_alike(published, data, derived)
    target = f"{spare}{os.sep}{name}"
    if fresh:
        # A spare folder this build made holds no file shared with the published one, and a
        # killed build leaves it without a manifest (swept next time): write in place, without
        # a rename per file.
        write_file(target, data)
        return alike
    folder, _, base = target.rpartition(os.sep)
    temporary = f"{folder}{os.sep}.{base}.tmp"
    write_file(temporary, data)
    os.replace(temporary, target)
    return alike


def _read_alike(published: str, data: bytes, derived: Derived) -> bool:
    try:
        with open(published, "rb") as file:
            before = file.read()
    except OSError:
        return False  # a new page
    return derived.reads_same(before, data)


_job: tuple[Path, Path, Callable[[Page], bytes], list[Page], bool, Derived | None] | None = None


def _render_chunk(bounds: tuple[int, int]) -> tuple[int, list[str]]:
    assert _job is not None
    out, spare, render, pages, fresh, derived = _job
    alike = [
        page.output
        for page in pages[bounds[0] : bounds[1]]
        if put(out, spare, page, render, fresh, derived)
    ]
    return bounds[1] - bounds[0], alike


def _render_in_workers(
    pages: list[Page],
    out: Path,
    spare: Path,
    render: Callable[[Page], bytes],
    progress: Progress,
    fresh: bool,
    derived: Derived | None,
) -> tuple[int, set[str]]:
    """Forked workers inherit the pages and templates; each renders and writes a share."""
    import gc

    global _job
    _job = (out, spare, render, pages, fresh, derived)
    # Forked workers share the parent's memory until they write to it; a collection in a
    # worker writes to every object it scans, so copies the heap page by page. Frozen objects
    # are not scanned.
    gc.freeze()
    chunk = 64
    bounds = [(start, min(start + chunk, len(pages))) for start in range(0, len(pages), chunk)]
    done = 0
    alike: set[str] = set()
    try:
        for count, names in in_workers(_render_chunk, bounds):
            done += count
            alike.update(names)
            progress(done, len(pages))
    except WorkerDied as died:
        raise InputError(str(out), f"{died}; nothing was published") from None
    finally:
        _job = None
        gc.unfreeze()
    return sum(page.template is not None for page in pages), alike
