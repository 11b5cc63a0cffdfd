"""Processed images kept by key (the image's bytes and the settings), one folder each under
`.portal-cache/images/`: the variants and a record.json written last. A folder is made aside
and renamed into place whole, so a killed build leaves no half-made entry, and two processes
making the same one at once both end with one good copy."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Collection
from dataclasses import asdict
from pathlib import Path

from generator.media.records import ImageRecord, Variant

RECORD = "record.json"
IMAGES = "images"  # the folder of processed images in the cache folder (.portal-cache/)


class ImageCache:
    """The folders of processed images; safe to share with forked workers (no state)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._root = str(folder)

    def folder_of(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def file(self, record: ImageRecord, variant: Variant) -> str:
        """Where one variant's bytes are (joined as text: asked for every variant of every
        image on every build, where Path objects cost several times more)."""
        key = record.key
        return os.path.join(self._root, key[:2], key, variant.file)

    def has(self, record: ImageRecord) -> bool:
        """Whether the record's files are still there (a cache folder deleted by hand)."""
        return os.path.isfile(self.folder_of(record.key) / RECORD)

    def get(self, key: str) -> ImageRecord | None:
        """The record of a processed image; None if it is not kept (or not whole)."""
        try:
            data = json.loads((self.folder_of(key) / RECORD).read_text("utf-8"))
            record = ImageRecord(
                key=data["key"],
                width=data["width"],
                height=data["height"],
                mime=data["mime"],
                variants=tuple(Variant(**v) for v in data["variants"]),
                card=tuple(Variant(**v) for v in data["card"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return record if record.key == key else None

    def put(self, record: ImageRecord, files: dict[str, bytes]) -> None:
        """Keep a processed image (the writer publishes its files from here); OSError if it
        cannot be kept (a full disk)."""
        final = self.folder_of(record.key)
        aside = final.parent / f".{record.key}.{os.getpid()}.tmp"
        try:
            shutil.rmtree(aside, ignore_errors=True)
            aside.mkdir(parents=True)
            for name, data in files.items():
                (aside / name).write_bytes(data)
            (aside / RECORD).write_text(json.dumps(asdict(record)), "utf-8")
            try:
                os.rename(aside, final)
            except OSError:
                if self.get(record.key) is None:  # not another process's good copy
                    shutil.rmtree(final, ignore_errors=True)
                    os.rename(aside, final)
        finally:
            shutil.rmtree(aside, ignore_errors=True)

    def keep_only(self, keys: Collection[str]) -> None:
        """Delete the processed images no article shows any more (and leftovers of killed
        builds); what cannot be deleted now is tried again another time."""
        wanted = set(keys)
        try:
            groups = list(os.scandir(self.folder))
        except OSError:
            return
        for group in groups:
            if not group.is_dir():
                continue
            for entry in os.scandir(group.path):
                if entry.name not in wanted and not _being_made(entry.name):
                    shutil.rmtree(entry.path, ignore_errors=True)


def _being_made(name: str) -> bool:
    """A folder another process is making right now (its pid is alive)."""
    if not name.endswith(".tmp"):
        return False
    try:
        os.kill(int(name.rsplit(".", 2)[1]), 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
