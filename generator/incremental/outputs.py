"""The output pair: the incremental build's way of writing. Two folders take turns: `site/`
(what is published) and `.site.prev/` (the spare). A build brings the spare up to date,
touching only files whose fingerprint differs from what that folder holds (rendering them),
swaps the two in one step, then links what it changed into the new spare, so both folders are
equal again for the next build. Files are replaced by rename, never rewritten in place,
because the two folders share files as hard links.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.errors import InputError
from generator.output.write import (
    MANIFEST,
    OLD_MANIFEST,
    Derived,
    Progress,
    WriteStats,
    check_names,
    read_manifest,
    recover,
    swap,
    write_file,
    write_manifest,
)
from generator.pages.records import Page
from generator.workers import WorkerDied, in_workers

# Above this many pages to render, rendering is spread over one process per core.
PARALLEL_MIN = 400


def write_site(
    pages: Sequence[Page],
    out: Path,
    render: Callable[[Page], bytes],
    progress: Progress = lambda done, total: None,
    derived: Derived | None = None,
    trust_own: bool = False,
    renewed: Sequence[Page] | None = None,
) -> WriteStats:
    """Make `out` hold exactly these pages, switching to the new version in one step.
    `trust_own`: nothing but this process changes the two folders (a preview's own).
    `renewed`: with `trust_own`, the only pages that may differ from those of this process's
    last call for `out` (a watch-mode rebuild of a few pages): the others are not looked at."""
    recover(out)
    published, wrote_published = read_manifest(out)
    spare = out.parent / f".{out.name}.prev"
    fresh = not spare.exists()
    held, wrote_held = read_manifest(spare) if spare.is_dir() else ({}, False)
    # Both folders as this process left them: their files are trusted to be there, not looked
    # at one by one (25,000 stats), and pages named as last time are not checked again.
    trusted = trust_own and wrote_published and wrote_held
    # At 10,000 articles, going through 25,000 pages and names is most of a one-page rebuild.
    candidates = renewed if trusted and renewed is not None else pages
    wanted = dict(published) if candidates is renewed else {}
    wanted.update({page.output: page.fingerprint for page in candidates})
    same_names = len(wanted) == (len(published) if candidates is renewed else len(candidates))
    if candidates is renewed and not same_names:  # a renewed page has a new name after all
        candidates, same_names = pages, False
        wanted = {page.output: page.fingerprint for page in pages}
    checked = trusted and same_names  # the names were checked when they were written
    if checked and candidates is not renewed:  # (renewed ones have the names of last time)
        checked = wanted.keys() <= published.keys()
    if not checked:
        check_names(out, pages)
    prefix = derived.prefix if derived else None
    previous_derived = (
        {k: v for k, v in published.items() if k.startswith(prefix)} if prefix else {}
    )
    if candidates is renewed:
        unchanged = all(published.get(p.output) == p.fingerprint for p in renewed)
    else:
        published_pages = (
            {k: v for k, v in published.items() if k not in previous_derived}
            if previous_derived
            else published
        )
        unchanged = published_pages == wanted
    if unchanged and (previous_derived or derived is None):
        return WriteStats(len(pages), 0, 0)  # nothing changed: not a file is touched
    # A killed build left the spare without its manifest, or with a manifest cut short.
    swept = spare.is_dir() and not held
    spare.mkdir(parents=True, exist_ok=True)
    (spare / MANIFEST).unlink(missing_ok=True)  # from now on the spare is being changed
    to_render: list[Page] = []
    changed: list[str] = []  # files whose fingerprint is not the published one
    folders: set[Path] = set()
    spare_prefix = f"{spare}{os.sep}"  # plain strings: Path objects cost more than the stat
    for page in candidates:
        name, fingerprint = page.output, page.fingerprint
        before = published.get(name)
        if before != fingerprint:
            changed.append(name)
        if held.get(name) == fingerprint and (trusted or os.path.isfile(spare_prefix + name)):
            continue
        if before == fingerprint:
            linked = _link_new(out, spare, name, folders) if fresh else None
            if linked or (linked is None and _link(out, spare, name)):
                continue
        to_render.append(page)
    rendered = _render_all(to_render, out, spare, render, progress, fresh)
    if derived is not None:
        html_changed = derived.refresh and any(derived.reads(name) for name in changed)
        remake = html_changed or not previous_derived
        trusted_held = held if trusted else None
        made = _derive(derived, out, spare, previous_derived, remake, trusted_held)
        changed += [name for name, value in made.items() if published.get(name) != value]
        for name in previous_derived.keys() - made.keys():
            wanted.pop(name, None)  # copied from the published manifest with the pages
        wanted.update(made)
    # Renewed pages keep their names: of two folders holding the published files, only
    # derived ones can have gone (no sets of 25,000 names compared).
    kept_names = candidates is renewed and held is published
    _remove_stale(spare, wanted, previous_derived if kept_names else held, swept)
    (spare / OLD_MANIFEST).unlink(missing_ok=True)
    # A preview's own folder is never published: its manifest need not be in canonical order.
    write_manifest(spare, wanted, canonical=not trust_own)
    swap(spare, out)
    try:
        may_go = previous_derived if candidates is renewed else published
        _catch_up(out, spare, wanted, published, changed, may_go)
    except OSError:
        pass  # the site is published; the spare, left without a manifest, is swept next time
    return WriteStats(len(pages), rendered, len(changed))


def _catch_up(
    out: Path,
    spare: Path,
    wanted: dict[str, str],
    holds: dict[str, str],
    changed: list[str],
    may_go: dict[str, str],
) -> None:
    """After the swap the spare holds the build before (`holds`): bring it up to this one (the
    `changed` files) with hard links, so that the next build starts from two equal folders and
    touches only what it changes itself, whatever this build changed (a template edit: every
    page). Files the spare holds that are not wanted are among `may_go`."""
    fresh = not spare.exists()
    (spare / MANIFEST).unlink(missing_ok=True)  # killed while catching up: the next one sweeps
    folders: set[Path] = set()
    out_prefix, spare_prefix = f"{out}{os.sep}", f"{spare}{os.sep}"
    for name in changed:
        if fresh:
            if _link_new(out, spare, name, folders):
                continue
        elif name in holds:
            # Unpublished and without a manifest now: no temporary file needed, two calls.
            try:
                os.unlink(spare_prefix + name)
                os.link(out_prefix + name, spare_prefix + name)
                continue
            except OSError:
                pass
        _link(out, spare, name)
    _remove_stale(spare, wanted, may_go, sweep=False)
    (spare / OLD_MANIFEST).unlink(missing_ok=True)
    _link(out, spare, MANIFEST)  # the same file: this process's own, so trusted next time


def _derive(
    derived: Derived,
    out: Path,
    spare: Path,
    previous: dict[str, str],
    remake: bool,
    held: dict[str, str] | None,
) -> dict[str, str]:
    """The derived files, remade when a page they read changed, else carried over (`held`: what
    the spare is trusted to hold already, so not linked again)."""
    if not remake:
        for name, fingerprint in previous.items():
            if held is None or held.get(name) != fingerprint:
                _link(out, spare, name)
        return previous
    files = derived(spare)
    for name, data in files.items():
        if not name.startswith(derived.prefix):
            raise ValueError(f"derived file {name!r} is outside {derived.prefix!r}")
        _put(out, spare, Page(name, None, {}, "", data), lambda page: b"", fresh=False)
    return {name: hashlib.sha256(data).hexdigest()[:32] for name, data in files.items()}


def _render_all(
    pages: list[Page],
    out: Path,
    spare: Path,
    render: Callable[[Page], bytes],
    progress: Progress,
    fresh: bool,
) -> int:
    """Render pages into the spare folder; returns how many went through a template."""
    templated = sum(page.data is None for page in pages)
    if templated >= PARALLEL_MIN and hasattr(os, "fork"):
        return _render_in_workers(pages, out, spare, render, progress, fresh)
    for done, page in enumerate(pages, start=1):
        _put(out, spare, page, render, fresh)
        progress(done, len(pages))
    return templated


def _put(out: Path, spare: Path, page: Page, render: Callable[[Page], bytes], fresh: bool) -> None:
    data = page.data if page.data is not None else render(page)
    name = page.output
    # Plain strings, as in _link: after a template change this runs 25,000 times.
    if _same_bytes(f"{out}{os.sep}{name}", data) and _link(out, spare, name):
        return  # same bytes as published: share the file, keep its date
    target = f"{spare}{os.sep}{name}"
    if fresh:
        # A spare folder this build made holds no file shared with the published one, and a
        # killed build leaves it without a manifest (swept next time): write in place. A cold
        # build at 10,000 articles saves 25,000 renames.
        write_file(target, data)
        return
    folder, _, base = target.rpartition(os.sep)
    temporary = f"{folder}{os.sep}.{base}.tmp"
    write_file(temporary, data)
    os.replace(temporary, target)


_job: tuple[Path, Path, Callable[[Page], bytes], list[Page], bool] | None = None


def _render_chunk(bounds: tuple[int, int]) -> int:
    assert _job is not None
    out, spare, render, pages, fresh = _job
    for page in pages[bounds[0] : bounds[1]]:
        _put(out, spare, page, render, fresh)
    return bounds[1] - bounds[0]


def _render_in_workers(
    pages: list[Page],
    out: Path,
    spare: Path,
    render: Callable[[Page], bytes],
    progress: Progress,
    fresh: bool,
) -> int:
    """Forked workers inherit the pages and templates; each renders and writes a share."""
    import gc

    global _job
    _job = (out, spare, render, pages, fresh)
    # Forked workers share the parent's memory until they write to it; a collection in a
    # worker writes to every object it scans, so copies the heap page by page. Frozen objects
    # are not scanned (~0.3 s of a cold build at 10,000 articles).
    gc.freeze()
    chunk = 64
    bounds = [(start, min(start + chunk, len(pages))) for start in range(0, len(pages), chunk)]
    done = 0
    try:
        for count in in_workers(_render_chunk, bounds):
            done += count
            progress(done, len(pages))
    except WorkerDied as died:
        raise InputError(str(out), f"{died}; nothing was published") from None
    finally:
        _job = None
        gc.unfreeze()
    return sum(page.data is None for page in pages)


def _link(source_root: Path, target_root: Path, name: str) -> bool:
    """Put a hard link to source_root/name at target_root/name; False if there is no source.
    Plain strings and the fewest system calls: after a template change, the next build links
    back 25,000 files."""
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


def _link_new(out: Path, spare: Path, name: str, folders: set[Path]) -> bool:
    """Hard-link a published file into a spare folder that was just created (the first
    incremental build after a cold one): nothing is there yet, so no temporary is needed."""
    target = spare / name
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    try:
        os.link(out / name, target)
    except OSError:
        return False
    return True


def _remove_stale(spare: Path, wanted: dict[str, str], held: dict[str, str], sweep: bool) -> None:
    """Delete what the spare holds (`held`, or all its files if `sweep`) that the new build
    does not have. `held` may be only those of the spare's files that can have gone."""
    if sweep:
        stale = [
            p
            for p in spare.rglob("*")
            if p.is_file() and p.relative_to(spare).as_posix() not in wanted
        ]
    elif held.keys() <= wanted.keys():  # as a rule: no set of 25,000 names made
        return
    else:
        stale = [spare / name for name in held.keys() - wanted.keys()]
    for path in stale:
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != spare and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False
