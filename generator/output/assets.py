"""Static files of the theme and the site; CSS and JS get content-hashed names for caching."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

HASHED_SUFFIXES = (".css", ".js")


@dataclass(frozen=True)
class Asset:
    """A static file: its logical name ('style.css'), published URL and file. Its bytes are read
    when first asked for: of the theme's 250 flags, a site publishes the few it shows."""

    name: str
    url: str
    path: Path

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def collect(folders: list[Path]) -> dict[str, Asset]:
    """Assets by name; a file in a later folder replaces one of the same name in an earlier one."""
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(folder).as_posix()] = path
    return {name: _asset(name, path) for name, path in sorted(found.items())}


def _asset(name: str, path: Path) -> Asset:
    stem, dot, suffix = name.rpartition(".")
    if not dot or "." + suffix not in HASHED_SUFFIXES:
        return Asset(name, name, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Asset(name, f"{stem}.{digest[:10]}.{suffix}", path)
