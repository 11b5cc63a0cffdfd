"""The output pair: the incremental build's way of writing. Two folders take turns: `site/`
(what is published) and `.site.prev/` (the spare). A build brings the spare up to date,
touching only files whose fingerprint differs from what that folder holds (rendering them),
swaps the two in one step, then links what it changed into the new spare, so both folders are
equal again for the next build. Files are replaced by rename, never rewritten in place,
because the two folders share files as hard links.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.incremental.hardlinks import link, link_new, remove_stale
from generator.incremental.rendering import put, render_all
from generator.output.write import (
    MANIFEST,
    OLD_MANIFEST,
    Derived,
    Progress,
    WriteStats,
    check_names,
    read_manifest,
    recover,
    shards_of,
    swap,
    write_manifest,
)
from generator.pages.records import Page


@dataclass(frozen=True)
class _Pair:
    """The two output folders as a build finds them."""

    out: Path
    spare: Path
    published: dict[str, str]  # the published folder's manifest
    held: dict[str, str]  # the spare's ({} when it has none)
    fresh: bool  # no spare yet: the first incremental build after a cold one
    # Both folders as this process left them: their files are trusted to be there, not looked
    # at one by one, and pages named as last time are not checked again.
    trusted: bool

    @classmethod
    def open(cls, out: Path, trust_own: bool) -> _Pair:
        recover(out)
        published, wrote_published = read_manifest(out)
        spare = out.parent / f".{out.name}.prev"
        fresh = not spare.exists()
        held, wrote_held = read_manifest(spare) if spare.is_dir() else ({}, False)
        trusted = trust_own and wrote_published and wrote_held
        return cls(out, spare, published, held, fresh, trusted)


@dataclass(frozen=True)
class _Wanted:
    """The pages a build looks at, and the manifest it wants the published folder to have."""

    candidates: Sequence[Page]
    manifest: dict[str, str]
    only_renewed: bool  # the candidates are the renewed pages: the others are as last time
    same_names: bool  # the files are those of the published folder


def write_site(
    pages: Sequence[Page],
    out: Path,
    render: Callable[[Page], bytes],
    progress: Progress = lambda done, total: None,
    derived: Derived | None = None,
    trust_own: bool = False,
    renewed: Sequence[Page] | None = None,
    defer_derived: bool = False,
    stale: Collection[str] = (),
) -> WriteStats:
    """Make `out` hold exactly these pages, switching to the new version in one step.
    `trust_own`: nothing but this process changes the two folders (a preview's own).
    `renewed`: with `trust_own`, the only pages that may differ from those of this process's
    last call for `out` (a watch-mode rebuild of a few pages): the others are not looked at.
    `defer_derived`: the shards of derived files whose pages changed are kept as they were
    (but for new ones) and named in the stats, for a next call to make as `stale`."""
    pair = _Pair.open(out, trust_own)
    want = _wanted(pair, pages, renewed)
    if not _names_known_good(pair, want):
        check_names(out, pages)
    derived_before = _derived_files(pair.published, derived)
    unchanged = _unchanged(pair, want, derived_before) and (derived_before or derived is None)
    unchanged = unchanged and not (derived and _derived_owed(derived, derived_before, want))
    if unchanged and not stale:
        return WriteStats(len(pages), 0, 0)  # nothing changed: not a file is touched
    # A killed build left the spare without its manifest, or with a manifest cut short.
    swept = pair.spare.is_dir() and not pair.held
    rendered, changed, alike = _fill_spare(pair, want.candidates, render, progress, derived)
    # Renewed pages keep their names: of two folders holding the published files, only
    # derived ones can have gone (no sets of every name compared).
    kept_names = want.only_renewed and pair.held is pair.published
    held = derived_before if kept_names else pair.held
    derived_held = _derived_files(held, derived)
    # Pages gone from the site leave the spare first: the derived files are made from it.
    remove_stale(pair.spare, {**want.manifest, **derived_held}, held, swept)
    left: set[str] = set()
    owed: set[str] = set()
    if derived is not None:
        # A page whose new version the derived files read as the published one leaves its
        # shard as it is (a title edit changes its neighbours' links, not what they index).
        read_anew = [name for name in changed if name not in alike]
        left, owed = _update_derived(
            pair, derived, derived_before, changed, read_anew, want.manifest, defer_derived,
            set(stale),
        )  # fmt: skip
        remove_stale(pair.spare, want.manifest, derived_held, sweep=False)
    (pair.spare / OLD_MANIFEST).unlink(missing_ok=True)
    # A preview's own folder is never published: its manifest need not be in canonical order.
    write_manifest(pair.spare, want.manifest, canonical=not trust_own)
    swap(pair.spare, out)
    try:
        may_go = derived_before if want.only_renewed else pair.published
        _catch_up(out, pair.spare, want.manifest, pair.published, changed, may_go)
    except OSError:
        pass  # the site is published; the spare, left without a manifest, is swept next time
    return WriteStats(len(pages), rendered, len(changed), frozenset(left), frozenset(owed))


def _wanted(pair: _Pair, pages: Sequence[Page], renewed: Sequence[Page] | None) -> _Wanted:
    if pair.trusted and renewed is not None:
        manifest = dict(pair.published)
        manifest.update({page.output: page.fingerprint for page in renewed})
        if len(manifest) == len(pair.published):
            return _Wanted(renewed, manifest, True, True)
        # A renewed page has a new name after all: every page is looked at, and checked.
        return _Wanted(pages, {p.output: p.fingerprint for p in pages}, False, False)
    manifest = {page.output: page.fingerprint for page in pages}
    return _Wanted(pages, manifest, False, len(manifest) == len(pages))


def _names_known_good(pair: _Pair, want: _Wanted) -> bool:
    """Whether the names were checked when they were written (those of the last build)."""
    if not (pair.trusted and want.same_names):
        return False
    return want.only_renewed or want.manifest.keys() <= pair.published.keys()


def _derived_files(published: dict[str, str], derived: Derived | None) -> dict[str, str]:
    """The derived files the published folder holds, by name."""
    if derived is None or not derived.prefix:
        return {}
    return {k: v for k, v in published.items() if k.startswith(derived.prefix)}


def _unchanged(pair: _Pair, want: _Wanted, derived_before: dict[str, str]) -> bool:
    """Whether every page has the fingerprint of the published one."""
    published = pair.published
    if want.only_renewed:
        return all(published.get(p.output) == p.fingerprint for p in want.candidates)
    if derived_before:
        published = {k: v for k, v in published.items() if k not in derived_before}
    return published == want.manifest


def _fill_spare(
    pair: _Pair,
    candidates: Sequence[Page],
    render: Callable[[Page], bytes],
    progress: Progress,
    derived: Derived | None,
) -> tuple[int, list[str], set[str]]:
    """Bring the spare up to these pages: linking published files it lacks, rendering those
    whose fingerprint changed. (How many were rendered, the files not as published, and
    those of them `derived` reads as it read the published ones.)"""
    out, spare, published, held = pair.out, pair.spare, pair.published, pair.held
    spare.mkdir(parents=True, exist_ok=True)
    (spare / MANIFEST).unlink(missing_ok=True)  # from now on the spare is being changed
    to_render: list[Page] = []
    changed: list[str] = []  # files whose fingerprint is not the published one
    folders: set[str] = set()
    spare_prefix = f"{spare}{os.sep}"  # plain strings: Path objects cost more than the stat
    for page in candidates:
        name, fingerprint = page.output, page.fingerprint
        before = published.get(name)
        if before != fingerprint:
            changed.append(name)
        if held.get(name) == fingerprint and (pair.trusted or os.path.isfile(spare_prefix + name)):
            continue
        if before == fingerprint:
            linked = link_new(out, spare, name, folders) if pair.fresh else None
            if linked or (linked is None and link(out, spare, name)):
                continue
        to_render.append(page)
    rendered, alike = render_all(to_render, out, spare, render, progress, pair.fresh, derived)
    return rendered, changed, alike


def _update_derived(
    pair: _Pair,
    derived: Derived,
    before: dict[str, str],
    changed: list[str],
    read_anew: list[str],
    manifest: dict[str, str],
    defer: bool = False,
    stale: set[str] | None = None,
) -> tuple[set[str], set[str]]:
    """Remake the shards of derived files that a page `read_anew` (changed, and not read as
    before) or a new or deleted page is read for (every shard that has no files yet), and the
    `stale` and owed ones; carry the others over; put them in `changed` and the manifest.
    With `defer`, the shards touched are carried over too (but for new ones): they are the
    first set returned, to be made later. The second: the shards that could not be made."""
    shards = shards_of(derived, manifest)
    gone = (name for name in pair.published.keys() - manifest.keys() if name not in before)
    touched = shards_of(derived, [*read_anew, *gone]) | (stale or set()) | _owed(derived, before)
    held = {_shard_of_file(derived, name) for name in before}
    touched |= derived.outdated(pair.out, held & shards)  # pages moved in from another
    refresh = derived.refresh and not defer
    remake = {s for s in shards if s not in held or (refresh and s in touched)}
    kept = {n: f for n, f in before.items() if _shard_of_file(derived, n) in shards - remake}
    made, owed = _derive(derived, pair, kept, remake, before)
    changed += [name for name, value in made.items() if pair.published.get(name) != value]
    for name in before.keys() - made.keys():
        manifest.pop(name, None)  # copied from the published manifest with the pages
    manifest.update(made)
    return ((touched & shards) - remake if defer and derived.refresh else set()), owed


# Marks the manifest entry of a derived file kept because its shard could not be made again.
OWED = "owed:"


def _owed(derived: Derived, files: dict[str, str]) -> set[str]:
    """The shards whose files are owed (see OWED), by the manifest's entries for them."""
    return {_shard_of_file(derived, n) for n, value in files.items() if value.startswith(OWED)}


def _derived_owed(derived: Derived, before: dict[str, str], want: _Wanted) -> bool:
    """Whether a shard is owed: kept when it could not be made, or without files at all (it
    could not be made, and had none to keep)."""
    if _owed(derived, before):
        return True
    held = {_shard_of_file(derived, name) for name in before}
    return not shards_of(derived, want.manifest) <= held


def _shard_of_file(derived: Derived, name: str) -> str:
    return name[len(derived.prefix) :].partition("/")[0]


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
    folders: set[str] = set()
    out_prefix, spare_prefix = f"{out}{os.sep}", f"{spare}{os.sep}"
    for name in changed:
        if fresh:
            if link_new(out, spare, name, folders):
                continue
        elif name in holds:
            # Unpublished and without a manifest now: no temporary file needed, two calls.
            try:
                os.unlink(spare_prefix + name)
                os.link(out_prefix + name, spare_prefix + name)
                continue
            except OSError:
                pass
        link(out, spare, name)
    remove_stale(spare, wanted, may_go, sweep=False)
    (spare / OLD_MANIFEST).unlink(missing_ok=True)
    link(out, spare, MANIFEST)  # the same file: this process's own, so trusted next time


def _derive(
    derived: Derived,
    pair: _Pair,
    kept: dict[str, str],
    remake: set[str],
    before: dict[str, str],
) -> tuple[dict[str, str], set[str]]:
    """The derived files: those of the `kept` shards carried over (linked, unless the spare is
    trusted to hold them already), those of the shards to `remake` made anew; and the shards
    that could not be made. Those keep their files `before`, if they had any, as owed: a
    search that finds what it found before is better than none (derived.warn said why)."""
    held = pair.held if pair.trusted else None
    for name, fingerprint in kept.items():
        if held is None or held.get(name) != fingerprint:
            link(pair.out, pair.spare, name)
    files = derived(pair.spare, remake) if remake else {}
    owed = remake - {_shard_of_file(derived, name) for name in files}
    carried = {
        name: fingerprint if fingerprint.startswith(OWED) else OWED + fingerprint
        for name, fingerprint in before.items()
        if _shard_of_file(derived, name) in owed
    }
    for name in carried:
        link(pair.out, pair.spare, name)
    for name, data in files.items():
        if not name.startswith(derived.prefix):
            raise ValueError(f"derived file {name!r} is outside {derived.prefix!r}")
        put(pair.out, pair.spare, Page(name, None, {}, "", data), lambda page: b"", fresh=False)
    made = {name: hashlib.sha256(data).hexdigest()[:32] for name, data in files.items()}
    return {**kept, **carried, **made}, owed
