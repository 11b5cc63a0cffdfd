"""Images made ready for the articles that show them: found in the cache by their bytes and
the settings, else processed once (in this process, or many at once in worker processes)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.media.cache import ImageCache
from generator.media.read import ImageProblem
from generator.media.records import ImageRecord
from generator.media.settings import ImageSettings, load_settings

# Fewer images than this to process are done here: starting workers would cost more.
PARALLEL_MIN = 2


class Deferred(Exception):
    """The image is not processed yet, and this pass does not process: the loader does it
    afterwards, many at once, and parses the article again."""

    def __init__(self, key: str, path: str, name: str):
        super().__init__(path)
        self.job = (key, path, name)


class Media:
    """What parsing needs to prepare an article's images. `process_now` False defers the
    processing of an image not in the cache (the loader then does many in workers)."""

    def __init__(
        self, folder: Path, settings: ImageSettings | None = None, process_now: bool = True
    ):
        self.cache = ImageCache(folder)
        self.settings = settings or load_settings()
        self.process_now = process_now
        # Results of this process, problems too: a broken image is read again only when it
        # changes (its key does), not on every rebuild of a watching process.
        self.known: dict[str, ImageRecord | str] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        # A worker gets the folder and settings, not this process's memo.
        return (Media, (self.cache.folder, self.settings, self.process_now))

    def deferring(self) -> Media:
        """The same media, deferring the images it would have to process."""
        other = Media(self.cache.folder, self.settings, process_now=False)
        other.known = self.known
        return other

    def record(self, path: str, name: str) -> ImageRecord:
        """The processed image of the file at `path` (named `name`): ImageProblem if it cannot
        be published, Deferred if it must be processed and this pass does not."""
        try:
            with open(path, "rb") as file:
                data = file.read()
        except FileNotFoundError:
            raise ImageProblem("no such file") from None
        except OSError as error:
            raise ImageProblem(f"cannot be read: {error.strerror or error}") from None
        key = f"{hashlib.sha256(data).hexdigest()[:32]}-{self.settings.digest}"
        known = self.known.get(key) or self.cache.get(key)
        if isinstance(known, str):
            raise ImageProblem(known)
        if known is not None:
            self.known[key] = known
            return known
        if not self.process_now:
            raise Deferred(key, path, name)
        return self._make(key, data, name)

    def _make(self, key: str, data: bytes, name: str) -> ImageRecord:
        from generator.media.variants import process

        try:
            made = process(data, name, self.settings)
        except ImageProblem as problem:
            self.known[key] = str(problem)
            raise
        record = ImageRecord(
            key,
            made.width,
            made.height,
            made.mime,
            tuple(v for v, _ in made.variants),
            tuple(v for v, _ in made.card),
        )
        files = {v.file: data for v, data in (*made.variants, *made.card)}
        try:
            self.cache.put(record, files)
        except OSError as error:
            raise ImageProblem(f"cannot be kept in {self.cache.folder}: {error}") from None
        self.known[key] = record
        return record

    def process_all(self, jobs: Iterable[tuple[str, str, str]]) -> None:
        """Process deferred images (key, path, name), in worker processes when there are
        several; each result, or problem, is remembered for the next parse."""
        todo = list({key: (key, path, name) for key, path, name in jobs}.values())
        if len(todo) >= PARALLEL_MIN and hasattr(os, "fork"):
            from generator.workers import in_workers

            results = in_workers(_process_job, [(self, job) for job in todo])
        else:
            results = (_process_job((self, job)) for job in todo)
        for key, result in results:
            self.known[key] = result


def _process_job(job: tuple[Media, tuple[str, str, str]]) -> tuple[str, ImageRecord | str]:
    media, (key, path, name) = job
    try:
        record = media.record(path, name)
        return record.key, record  # its own key: the file may have changed since it was hashed
    except ImageProblem as problem:
        return key, str(problem)
