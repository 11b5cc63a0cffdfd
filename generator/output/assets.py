"""Static files of the theme and the site; CSS and JS get content-hashed names for caching."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

HASHED_SUFFIXES = (".css", ".js")


@dataclass(frozen=True, slots=True)
class Asset:
    """A static file: its logical name ('style.css'), published URL, bytes and their digest."""

    name: str
    url: str
    data: bytes
    digest: str


def collect(folders: list[Path]) -> dict[str, Asset]:
    """Assets by name; a file in a later folder replaces one of the same name in an earlier one."""
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(folder).as_posix()] = path
    assets: dict[str, Asset] = {}
    for name, path in sorted(found.items()):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        assets[name] = Asset(name, _published_name(name, digest), data, digest)
    return assets


def _published_name(name: str, digest: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot or "." + suffix not in HASHED_SUFFIXES:
        return name
    return f"{stem}.{digest[:10]}.{suffix}"
