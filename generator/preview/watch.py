"""Watchdog events -> debounced rebuilds. The builder is passed in as a callable."""

from __future__ import annotations

import fnmatch
import itertools
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

# Editors' swap, backup and temporary files, and our own atomic-write temporaries.
IGNORED_NAMES = ("*~", "*.swp", "*.swx", "*.swo", "*.tmp", "*.tmp[0-9]*", "4913", ".#*", "#*#",
                 ".DS_Store", "*.kate-swp", ".*")  # fmt: skip
QUIET_SECONDS = 0.1  # events must stop for this long before a rebuild starts
MAX_WAIT_SECONDS = 1.0  # but a steady stream of events still rebuilds this often
FLUSH_MARKER = ".portal-flush-"  # the name of `Watcher.flush`'s marker files, never a change


class _Collector(FileSystemEventHandler):
    def __init__(self, watcher: Watcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder "changes" whenever a file in it does: the file's event says more
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw and FLUSH_MARKER in str(raw):
                self.watcher.marker_seen(Path(str(raw)).name)
            elif raw:
                self.watcher.record(Path(str(raw)))


class Watcher:
    """Watches folders and files; calls `rebuild(changed paths)` once per burst of changes."""

    def __init__(
        self,
        paths: Iterable[Path],
        rebuild: Callable[[set[Path]], object],
        ignore: Iterable[Path] = (),
    ):
        self.paths = [p.resolve() for p in paths]
        self.ignore = [p.resolve() for p in ignore]
        self.rebuild = rebuild
        self._changed: set[Path] = set()
        self._lock = threading.Condition()  # notified when a change or a marker is recorded
        self._rebuilding = False
        self.folders: list[Path] = []  # those watched, each through an observer of its own
        self._markers: set[str] = set()
        self._marker_numbers = itertools.count()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._observer = Observer()
        self._thread = threading.Thread(target=self._loop, name="portal-rebuild", daemon=True)

    def start(self) -> None:
        for path in self.paths:
            # A file (site.yaml) is watched through its folder, without descending.
            folder = path if path.is_dir() else path.parent
            if folder.is_dir() and folder not in self.folders:
                self.folders.append(folder)
                self._observer.schedule(_Collector(self), str(folder), recursive=path.is_dir())
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._thread.join(timeout=5)

    def record(self, path: Path) -> None:
        """Note a changed path, unless it is ignored or outside what we watch."""
        path = path.absolute()
        if self._ignored(path):
            return
        with self._lock:
            self._changed.add(path)
        self._wake.set()

    def marker_seen(self, name: str) -> None:
        with self._lock:
            self._markers.add(name)
            self._lock.notify_all()

    def flush(self, folder: Path, timeout: float) -> bool:
        """Wait until every change made in `folder` (one of `folders`) before this call has
        been seen, and the rebuild it caused (if any) has ended; False after `timeout`.

        A marker file written into the folder is seen after the events that came before it:
        a test can tell that nothing more will happen without sleeping "long enough"."""
        name = f"{FLUSH_MARKER}{next(self._marker_numbers)}"
        marker = folder / name
        deadline = time.monotonic() + timeout
        marker.write_bytes(b"")
        try:
            with self._lock:
                return self._lock.wait_for(
                    lambda: name in self._markers and not self._changed and not self._rebuilding,
                    max(0.0, deadline - time.monotonic()),
                )
        finally:
            marker.unlink(missing_ok=True)

    def _ignored(self, path: Path) -> bool:
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in IGNORED_NAMES):
            return True
        if any(path == p or p in path.parents for p in self.ignore):
            return True  # the output folder: writing it must never trigger a rebuild
        for root in self.paths:
            if path == root:
                return False
            if root in path.parents:
                # Inside a hidden folder (.git, a staging folder) is not a change to the site.
                return any(part.startswith(".") for part in path.relative_to(root).parts)
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            if self._stop.is_set():
                return
            first = time.monotonic()
            # Debounce: a save via temp file and rename, or a checkout of 100 files, is one burst.
            while True:
                self._wake.clear()
                if self._wake.wait(QUIET_SECONDS) and time.monotonic() - first < MAX_WAIT_SECONDS:
                    continue
                break
            with self._lock:
                changed, self._changed = self._changed, set()
                self._rebuilding = bool(changed)
            try:
                if changed and not self._stop.is_set():
                    self.rebuild(changed)
            finally:
                with self._lock:
                    self._rebuilding = False
                    self._lock.notify_all()
