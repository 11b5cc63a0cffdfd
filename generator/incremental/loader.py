"""Loading the content folder again and again, re-parsing only the files whose stamp changed
(since this process's last load, or through the on-disk index, an earlier process's)."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from generator import folders
from generator.errors import InputError
from generator.incremental.changes import body_edits
from generator.incremental.parsing import (
    Parsed,
    Stamp,
    parse_in_workers,
    parse_one,
    render_body,
    renderer,
)
from generator.media.cache import IMAGES
from generator.media.prepare import Media
from generator.model import bundles
from generator.model.article import Article
from generator.workers import WorkerDied

# Below this many changed files, workers cost more to start than they save.
PARALLEL_MIN = 200
# More edits than this are not one editor's: no page is named before the load (likely_edited).
LIKELY_MAX = 16


class ContentLoader:
    """Loads content files, re-parsing only those whose stamp (mtime, size) changed since the
    last build of this process or, through the on-disk cache, of an earlier one. Bodies are
    rendered in worker processes when many changed (a cold build).
    """

    def __init__(
        self,
        content: Path,
        cache_dir: Path | None,
        allow_html: bool,
        shown: Any = str,
        images: Path | None = None,
    ):
        """`images`: where processed images are kept (by default in `cache_dir`; a loader
        with neither keeps them in a temporary folder of its own)."""
        from generator.incremental import cache

        self.content = content
        self.cache_dir = cache_dir
        self.variant = "html" if allow_html else "text"
        self.store = cache.body_store(cache_dir / cache.BODIES_NAME if cache_dir else None)
        self.shown = shown
        self._known: dict[str, tuple[Stamp, Article]] | None = None
        self._order: list[str] | None = None  # the keys of the last load, sorted
        self._articles: list[Article] = []  # the last load's articles, in that order
        self._position: dict[str, int] = {}  # key -> its place in _order, made when needed
        self._failed: set[str] = set()  # files the last load could not read: read again
        folder = str(content)
        self._prefix = "" if folder == "." else folder + os.sep  # key == str(Path(folder, name))
        self._checked: object = None  # the store file last checked for missing bodies
        # The pages of the articles the last full load found changed in their body alone, if
        # it found no other change (the search index may start on their shards early).
        self.body_edits: dict[str, tuple[Article, Article]] = {}
        self._index = cache.article_index(cache_dir)
        self._pages = cache.PagesByFile(cache_dir)
        self._stamps: dict[str, Stamp] = {}  # the files' own stamps, as the last scan saw them
        if images is None and cache_dir is not None:
            images = cache_dir / IMAGES
        if images is None:
            import tempfile

            self._scratch = tempfile.TemporaryDirectory(prefix="portal-images-")
            images = Path(self._scratch.name)
        self.media = Media(images)

    def load(
        self, hint: Collection[str] | None = None, stamps: dict[str, Stamp] | None = None
    ) -> tuple[list[Article], list[InputError]]:
        """Every article, in file-name order, and every problem found. `hint`, from a watcher,
        names the only files (as `content/name.md`) that may have changed since the last load:
        the others are not looked at again. `stamps` are the files' (mtime, size) as the
        caller saw them a moment ago: used instead of asking again."""
        if self._known is None:
            self._known = self._index.read()
        known = self._known
        # Watching: unless another process replaced the body store, whose bodies must then be
        # checked again (_scan).
        watching = hint is not None and self._order is not None
        failed_before, self._failed = self._failed, set()
        errors: list[InputError] = []  # the scan's own: odd entries (broken links, loops...)
        if hint is not None and watching and self._checked == self.store.generation():
            current, pending, changed = self._look_at({*hint, *failed_before}, known, errors)
        else:
            current, pending = self._scan(known, stamps or {}, errors)
            changed = None
        for path, stamp, article, problems, *_ in self._parse(sorted(pending)):
            if article is not None:
                current[str(path)] = (stamp, article)
            else:
                self._failed.add(str(path))
            errors.extend(problems)
        if changed is None:
            self.body_edits = body_edits(known, current, pending)
        if pending or changed or (changed is None and current != known):
            self._index.write(current, changed=changed)  # the few entries that changed, as a rule
            self._known = current
            read_again = {str(path) for path, _ in pending}
            self._name_pages(current, read_again | (changed or known.keys() - current.keys()))
        if changed is None or current.keys() != known.keys():
            self._order = sorted(current)  # only when the files are not the same
            self._articles = [current[key][1] for key in self._order]
            self._position = {}
        else:  # the same files: the few changed articles put in place of their old versions
            if not self._position:
                self._position = {key: n for n, key in enumerate(self._order or ())}
            self._articles = list(self._articles)
            for key in changed & current.keys():  # not those that could not be read again
                self._articles[self._position[key]] = current[key][1]
        articles = self._articles
        if pending and hint is None:
            # Bodies of deleted or edited files go; a watching process leaves this to the next
            # full load (a stale body costs disk space, never a wrong page). So do images.
            self.store.keep_only({a.body.key for a in articles})
            if not self._failed:  # an article that failed may show its images again soon
                self.media.cache.keep_only(_image_keys(articles))
        self._checked = self.store.generation()
        return articles, errors

    def likely_edited(self, stamps: dict[str, Stamp]) -> list[str]:
        """The pages of the content files whose stamps (taken a moment ago) are not those
        they were last read with, from a small record rather than the whole index: a few at
        most, or none. Files new since have no page yet: they are not named."""
        pages = [
            page
            for key, (stamp, page) in self._pages.read().items()
            if stamps.get(key, stamp) != stamp
        ]
        return pages if len(pages) <= LIKELY_MAX else []

    def _name_pages(self, current: dict[str, tuple[Stamp, Article]], keys: set[str]) -> None:
        """Keep the pages of these files (read again, or gone), with the stamps they were
        read with; of every file, the first time."""

        def named(key: str) -> tuple[Stamp, str] | None:
            entry, stamp = current.get(key), self._stamps.get(key)
            if entry is None or stamp is None or self._is_bundle(key):
                return None
            return stamp, entry[1].url + "index.html"

        def everything() -> dict[str, tuple[Stamp, str]]:
            return {key: page for key in current if (page := named(key)) is not None}

        self._pages.update({key: named(key) for key in keys}, everything)

    def _scan(
        self,
        known: dict[str, tuple[Stamp, Article]],
        stamps: dict[str, Stamp],
        problems: list[InputError],
    ) -> tuple[dict, list]:
        """Every file of the folder: those unchanged since `known`, and those to parse.
        A file changed after `stamps` were taken is read with its old stamp: the next load
        sees the new one and reads it again. Entries no one can read go to `problems`."""
        current: dict[str, tuple[Stamp, Article]] = {}
        pending: list[tuple[Path, Stamp]] = []
        raw: dict[str, Stamp] = {}
        # Names as strings, not Path objects: one per content file.
        with os.scandir(self.content) as listing:
            entries = list(listing)
        for listed in entries:
            name = listed.name
            if not name.endswith(".md"):
                odd = folders.odd_entry(listed, self.content, self.shown(Path(listed.path)))
                if odd is not None:
                    problems.append(odd)
                    continue
                if name.startswith(".") or not os.path.isfile(
                    os.path.join(listed.path, bundles.INDEX)
                ):
                    continue  # not a page bundle: a folder of shared files, say
                name = os.path.join(name, bundles.INDEX)
            key = self._prefix + name
            # A bundle's stamp covers the files beside its index.md, so it is always made here.
            stamp = None if self._is_bundle(key) else stamps.get(key)
            if stamp is None:
                stamp = self._stamp(key, problems)
                if stamp is None:
                    continue
            entry = known.get(key)
            raw[key] = stamp  # pending files are parsed with the stamp of their own file(s)
            if entry and entry[1].shared:
                stamp = bundles.with_shared(stamp, bundles.restat(entry[1].shared))
            if entry and entry[0] == stamp and entry[1].body.key.startswith(self.variant):
                current[key] = entry
            else:
                pending.append((Path(key), raw[key]))
        # Bodies of unchanged files must still be in the store (it may have been deleted);
        # asked once per store file, not on every rebuild of a watching process.
        generation = self.store.generation()
        if generation is None or generation != self._checked:
            stored = self.store.has(entry[1].body.key for entry in current.values())
            for key in [k for k, entry in current.items() if entry[1].body.key not in stored]:
                current.pop(key)
                pending.append((Path(key), raw[key]))
        # So must their processed images (a stat each, of those that have images).
        cache = self.media.cache
        for key in [k for k, (_, a) in current.items() if _images_gone(a, cache)]:
            current.pop(key)
            pending.append((Path(key), raw[key]))
        problems.sort(key=lambda problem: problem.path)  # listed in the folder's own order
        self._stamps = raw
        return current, pending

    def _stamp(self, key: str, problems: list[InputError]) -> Stamp | None:
        """A file's (mtime, size), or a bundle's; None if it is gone, or (a problem) cannot be
        read."""
        try:
            stat = os.stat(key)
        except OSError as error:
            if os.path.lexists(key):  # not deleted while we looked: a broken or looping link
                problems.append(folders.unreadable(self.shown(Path(key)), key, error))
                self._failed.add(key)
            return None
        if self._is_bundle(key):
            return bundles.stamp_of(stat, bundles.files_of(os.path.dirname(key)))
        return (stat.st_mtime_ns, stat.st_size)

    def _is_bundle(self, key: str) -> bool:
        """Whether a key names a page bundle's index.md (`content/<name>/index.md`)."""
        name = key[len(self._prefix) :]
        return name.count(os.sep) == 1 and name.endswith(os.sep + bundles.INDEX)

    def _look_at(
        self,
        keys: Collection[str],
        known: dict[str, tuple[Stamp, Article]],
        problems: list[InputError],
    ) -> tuple[dict, list, set[str]]:
        """The last load's files with `keys` looked at again: those the watcher names (created,
        edited or deleted) and those that could not be read. The others are not listed or
        stat'ed (a call per content file)."""
        current = dict(known)
        pending: list[tuple[Path, Stamp]] = []
        changed: set[str] = set()
        for key in keys:
            if not key.endswith(".md"):
                continue
            stamp = self._stamp(key, problems)
            if stamp is None:
                if current.pop(key, None) is not None:
                    changed.add(key)  # deleted, or no longer readable
                continue
            self._stamps[key] = stamp
            entry = current.get(key)
            seen = stamp
            if entry is not None and entry[1].shared:
                seen = bundles.with_shared(stamp, bundles.restat(entry[1].shared))
            if entry is None or entry[0] != seen:
                current.pop(key, None)
                pending.append((Path(key), stamp))
                changed.add(key)
        return current, pending, changed

    def _parse(self, pending: list[tuple[Path, Stamp]]) -> list[Parsed]:
        """The files parsed, their bodies rendered into the store where it lacks them, their
        images processed where the image cache lacks them. In worker processes when many
        files changed (a cold build: images are processed there too); else here, the images
        to process gathered first and made in workers when there are several."""
        if len(pending) < PARALLEL_MIN:
            media = self.media.deferring()
            results = [self._parse_one(path, stamp, media) for path, stamp in pending]
            jobs = [job for r in results for job in r.deferred]
            if jobs:
                self.media.process_all(jobs)
                results = [
                    self._parse_one(r.path, r.stamp, self.media) if r.deferred else r
                    for r in results
                ]
            parsed = [r for r in results if r.article is not None]
            stored = self.store.has(r.article.body.key for r in parsed if r.article)
            new = [r for r in parsed if r.article and r.article.body.key not in stored]
            render = renderer(self.variant) if new else None
            bodies = {
                r.article.body.key: render_body(render, r.article, r.body)
                for r in new
                if r.article and render
            }
        else:
            try:
                results = parse_in_workers(
                    pending, self.shown, self.store, self.variant, self._is_bundle, self.media
                )
            except WorkerDied as died:
                raise InputError(str(self.content), str(died)) from None
            bodies = {r.article.body.key: r.body for r in results if r.article is not None}
        self.store.put(bodies)
        # An article's stamp covers the shared files it shows, as they were when it was read.
        return [
            r._replace(stamp=bundles.with_shared(r.stamp, r.article.shared)) if r.article else r
            for r in results
        ]

    def _parse_one(self, path: Path, stamp: Stamp, media: Media) -> Parsed:
        bundle = self._is_bundle(str(path))
        return parse_one(path, stamp, self.shown(path), self.store, self.variant, bundle, media)


def _image_keys(articles: list[Article]) -> set[str]:
    return {p.record.key for a in articles for p in a.pictures.values() if p.record}


def _images_gone(article: Article, cache: Any) -> bool:
    """Whether an article's processed images are missing from the cache (deleted by hand)."""
    return any(p.record and not cache.has(p.record) for p in article.pictures.values())
