"""What one build leaves for the next, in `.portal-cache/`: parsed articles (small, loaded at
start) and rendered Markdown bodies (large, read only for the article pages being rendered).
"""

from __future__ import annotations

import operator
import os
import pickle
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator import atomic
from generator.model.site import Layout

INDEX_NAME = "articles.pickle"
BODIES_NAME = "bodies.sqlite"
# Bump when Article or the body rendering changes shape, so old caches are ignored.
FORMAT = 7


# Above this many keys asked, reading every key the store holds is faster than looking each up.
_LOOKUPS_MAX = 2000


class BodyStore:
    """Rendered bodies by key, in SQLite; safe to use from forked workers (one connection each)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._memory: dict[str, str] = {}
        self._local = threading.local()

    def __reduce__(self) -> tuple[Any, ...]:
        return (body_store, (self.path,))

    def generation(self) -> object:
        """Which store file this is (its inode); None when there is none on disk."""
        if self.path is None:
            return "memory"
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino)

    def get(self, key: str) -> str:
        if key in self._memory:
            return self._memory[key]
        row = self._connection().execute("SELECT html FROM bodies WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"rendered body {key} is missing from the cache")
        return row[0]

    def has(self, keys: Iterable[str]) -> set[str]:
        """Which of the keys the store holds."""
        keys = list(keys)
        found = {k for k in keys if k in self._memory}
        if self.path is None:
            return found
        try:
            connection = self._connection()
            if len(keys) > _LOOKUPS_MAX:  # every body of a big site: one pass over the keys
                wanted = set(keys)
                found.update(row[0] for row in connection.execute("SELECT key FROM bodies"))
                return found & wanted
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(f"SELECT key FROM bodies WHERE key IN ({marks})", chunk)
                found.update(row[0] for row in rows)
        except (sqlite3.Error, OSError):
            pass  # an unreadable cache holds nothing: the bodies are rendered again
        return found

    def put(self, items: dict[str, str]) -> None:
        if not items:
            return
        if self.path is None:
            self._memory.update(items)
            return
        try:
            connection = self._connection()
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO bodies (key, html) VALUES (?, ?)", items.items()
                )
        except (sqlite3.Error, OSError):
            # A full disk or a broken cache costs speed, not the build: keep them in memory.
            self._memory.update(items)

    def keep_only(self, keys: set[str]) -> None:
        """Forget bodies of articles that no longer exist, when they are many."""
        if self.path is None:
            return
        try:
            self._prune(keys)
        except (sqlite3.Error, OSError):
            pass  # pruning can wait for a build with a healthier disk

    def _prune(self, keys: set[str]) -> None:
        connection = self._connection()
        count = connection.execute("SELECT COUNT(*) FROM bodies").fetchone()[0]
        if count > 2 * len(keys) + 100:
            stale = [
                (row[0],)
                for row in connection.execute("SELECT key FROM bodies")
                if row[0] not in keys
            ]
            with connection:
                connection.executemany("DELETE FROM bodies WHERE key = ?", stale)

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        assert self.path is not None
        try:
            inode = self.path.stat().st_ino
        except OSError:
            inode = None  # the cache was deleted (by hand, or a clean): start a new one
        # A forked worker opens its own connection; so does anyone after the file was replaced.
        if getattr(local, "pid", None) != os.getpid() or local.inode != inode or inode is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            local.connection = sqlite3.connect(self.path, timeout=30)
            local.connection.execute(
                "CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT NOT NULL)"
            )
            local.connection.execute("PRAGMA synchronous = OFF")  # a cache: losing it is fine
            local.pid = os.getpid()
            local.inode = self.path.stat().st_ino
        return local.connection


_STORES: dict[Path | None, BodyStore] = {}


def body_store(path: Path | None) -> BodyStore:
    """The one store of a path in this process (articles coming back from workers share it)."""
    store = _STORES.get(path)
    if store is None:
        store = _STORES[path] = BodyStore(path)
    return store


class DeltaStore:
    """A dict kept as a pickle, with what changed since in a second, small pickle: saving one
    changed entry does not write all of them again.

    The delta names the base it amends (a random token), so a base written by another process
    in between is never amended by a stale delta. When the delta would hold more than a tenth
    of the entries, the whole dict is written as a new base instead.
    """

    def __init__(self, path: Path | None, version: int):
        self.path = path
        self.version = version
        self._token = ""
        self._loaded: dict[Any, Any] = {}  # what read() returned (base + delta)
        self._delta: set[Any] = set()  # keys that differ from the base on disk

    def read(self) -> dict[Any, Any]:
        """The saved dict; empty when missing, from another version or unreadable."""
        base = self._load(self.path)
        if base is None:
            self._token, self._loaded, self._delta = "", {}, set()
            return {}
        entries = dict(base["entries"])
        delta = self._load(self._delta_path())
        if delta is not None and delta["token"] == base["token"]:
            for key, value in delta["entries"].items():
                if value is None:
                    entries.pop(key, None)
                else:
                    entries[key] = value
            self._delta = set(delta["entries"])
        else:
            self._delta = set()
        self._token, self._loaded = base["token"], entries
        return dict(entries)

    def write(
        self,
        entries: dict[Any, Any],
        same: Callable[[Any, Any], bool] = operator.is_,
        changed: set[Any] | None = None,
    ) -> None:
        """Save `entries`; values not the `same` as those read are the changed ones, unless
        the caller knows which keys `changed` since the last read or write."""
        if self.path is None:
            return
        loaded = self._loaded
        if changed is None:
            missing = object()
            changed = {k for k, v in entries.items() if not same(loaded.get(k, missing), v)}
            changed |= loaded.keys() - entries.keys()
        delta = self._delta | changed
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._token and len(delta) <= max(100, len(entries) // 10):
                record = {k: entries.get(k) for k in delta}
                _dump(
                    self._delta_path(),
                    {"version": self.version, "token": self._token, "entries": record},
                )
                self._delta = delta
            else:
                token = os.urandom(8).hex()
                _dump(self.path, {"version": self.version, "token": token, "entries": entries})
                self._delta_path().unlink(missing_ok=True)
                self._token, self._delta = token, set()
            self._loaded = dict(entries)
        except OSError:
            pass  # nothing saved: the next build re-reads more files, it is never wrong

    def update(self, changes: dict[Any, Any]) -> None:
        """Save what was read or written last with these entries changed (None: removed),
        without going through all the others."""
        if self.path is None:
            return
        for key, value in changes.items():
            if value is None:
                self._loaded.pop(key, None)
            else:
                self._loaded[key] = value
        self.write(self._loaded, changed=set(changes))

    def _delta_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.stem + ".delta" + self.path.suffix)

    def _load(self, path: Path | None) -> dict[str, Any] | None:
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                data = pickle.load(handle)
        except Exception:  # missing, cut short, or of classes that changed: start again
            return None
        if not isinstance(data, dict) or data.get("version") != self.version:
            return None
        return data


def _dump(path: Path, data: Any) -> None:
    atomic.replace_file(path, pickle.dumps(data, pickle.HIGHEST_PROTOCOL))


def article_index(folder: Path | None) -> DeltaStore:
    """The articles of the last build by path."""
    return DeltaStore(folder / INDEX_NAME if folder else None, FORMAT)


class PagesByFile:
    """The page of each content file (not a bundle's) with the file's stamp as it was read: a
    new process names the pages an edit will likely change from it, before it loads the
    content (the search index starts on their shards). Kept as a delta store: a build writes
    the few files it read again, not 100,000 entries."""

    NAME = "pages-by-file.pickle"

    def __init__(self, folder: Path | None):
        self._store = DeltaStore(folder / self.NAME if folder else None, FORMAT)
        self._read: dict[str, tuple[tuple[int, int], str]] | None = None

    def read(self) -> dict[str, tuple[tuple[int, int], str]]:
        if self._read is None:
            self._read = self._store.read()
        return self._read

    def update(
        self,
        changes: dict[str, tuple[tuple[int, int], str] | None],
        everything: Callable[[], dict[str, tuple[tuple[int, int], str]]],
    ) -> None:
        """Keep these entries changed (None: gone); `everything` when none was kept yet."""
        kept = self.read()
        if not kept:
            self._read = everything()
            self._store.write(self._read, changed=set(self._read))
            return
        self._store.update(changes)
        for key, value in changes.items():
            if value is None:
                kept.pop(key, None)
            else:
                kept[key] = value


class LayoutCache:
    """The last site layout (model/site.py) and the key of its inputs, in one small pickle."""

    NAME = "layout.pickle"

    def __init__(self, folder: Path | None):
        self.path = folder / self.NAME if folder else None
        self._entry: tuple[str, Layout] | None = None

    def get(self, key: str) -> Layout | None:
        if self._entry is None and self.path is not None:
            try:
                with open(self.path, "rb") as handle:
                    found, value = pickle.load(handle)
                # Kept as plain tuples: the pickle holds no class of ours.
                self._entry = (found, Layout(*value))
            except Exception:  # missing, cut short, or of another shape: start again
                self._entry = None
        if self._entry is not None and self._entry[0] == key:
            return self._entry[1]
        return None

    def put(self, key: str, value: Layout) -> None:
        self._entry = (key, value)
        if self.path is None:
            return
        entry = (key, tuple(value))
        atomic.keep(self.path, pickle.dumps(entry, pickle.HIGHEST_PROTOCOL))
