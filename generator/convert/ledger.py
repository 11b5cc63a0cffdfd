"""The ledger of what convert and import wrote, and the writing itself: a content file is
written only where it is new, or still exactly what was written there last (an editor's change
is kept and reported; `force` overwrites), each write noted first in a journal that survives a
killed run."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import atomic, folders

LEDGER_NAME = ".convert.json"
# Each file a run is about to write, noted before it is written; the run deletes it when it has
# updated the ledger, so only a killed run leaves it behind.
JOURNAL_NAME = ".convert.journal"

Say = Callable[[str], None]


@dataclass
class Report:
    """What a convert run did, file by file."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Journal:
    """The journal of a run's writes, opened on the first: each line is flushed to the
    system before its file is written, so a killed run's files can be adopted."""

    def __init__(self, path: Path):
        self.path = path
        self._file: Any = None

    def note(self, name: str, origin: str, sha: str) -> None:
        if self._file is None:
            self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (kept open)
        self._file.write(json.dumps([name, origin, sha]) + "\n")
        self._file.flush()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_: object) -> None:
        if self._file is not None:
            self._file.close()


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a content file comes from: its ledger name (a seed's file name, or `import:` and
    the article's URL) and how to name it in messages."""

    name: str
    shown: str


def place(
    content_dir: Path,
    name: str,
    origin: Origin,
    data: bytes,
    ledger: dict[str, dict[str, str]],
    force: bool,
    report: Report,
    say: Say,
    journal: Journal | None,
) -> None:
    """Write the content file `name` ('x.md', or a bundle's 'x/index.md') unless an editor
    changed it; `journal` None: only say what would be written (a dry run)."""
    target = content_dir / name
    shown = folders.shown(target)
    entry = ledger.get(name)
    if target.exists():
        current = target.read_bytes()
        if current == data:
            report.unchanged.append(shown)
            ledger[name] = {"seed": origin.name, "sha256": sha256_of(data)}
            return
        if not force and (entry is None or entry["sha256"] != sha256_of(current)):
            report.kept.append(shown)
            say(f"kept {shown}: edited since convert wrote it (--force overwrites)")
            return
    elif entry is not None and not force:
        report.kept.append(shown)
        say(f"skipped {origin.shown}: {shown} was deleted since convert wrote it (--force)")
        return
    report.written.append(shown)
    if journal is None:
        say(f"would write {shown} (from {origin.shown})")
        return
    journal.note(name, origin.name, sha256_of(data))
    target.parent.mkdir(exist_ok=True)  # a new bundle's folder
    atomic.replace_file(target, data)
    ledger[name] = {"seed": origin.name, "sha256": sha256_of(data)}
    say(f"wrote {shown} (from {origin.shown})")


def read_ledger(content_dir: Path) -> dict[str, dict[str, str]]:
    path = content_dir / LEDGER_NAME
    try:
        data = json.loads(path.read_text("utf-8"))
        return {str(k): dict(v) for k, v in data["files"].items()}
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError, AttributeError):
        # A broken ledger only costs protection; treating every file as edited keeps them all.
        return {}


def replay_journal(content_dir: Path, ledger: dict[str, dict[str, str]]) -> dict:
    """Adopt the files a killed run wrote but could not record in the ledger: they would look
    edited, and convert would never update them again. An edited file matches no entry."""
    try:
        lines = (content_dir / JOURNAL_NAME).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ledger
    for line in lines:
        try:
            name, seed, sha = json.loads(line)
            current = (content_dir / _within(name)).read_bytes()
        except (ValueError, TypeError, OSError):
            continue  # a line cut short by the kill, or a file deleted since
        if sha256_of(current) == sha:
            ledger[name] = {"seed": seed, "sha256": sha}
    return ledger


def _within(name: str) -> str:
    """A journal's file name, refused unless it names a content file (`x.md`, `x/index.md`)."""
    parts = Path(name).parts
    bundled = len(parts) == 2 and parts[1] == "index.md"
    if not (len(parts) == 1 or bundled) or ".." in parts or Path(name).is_absolute():
        raise ValueError(name)
    return name


def write_ledger(content_dir: Path, ledger: dict[str, dict[str, str]]) -> None:
    data = {"version": 1, "files": dict(sorted(ledger.items()))}
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    path = content_dir / LEDGER_NAME
    if not path.exists() or path.read_text("utf-8") != text:
        atomic.replace_file(path, text.encode("utf-8"))
    (content_dir / JOURNAL_NAME).unlink(missing_ok=True)


def remove_leftover_temporaries(content_dir: Path) -> None:
    """Temporary files of a convert that was killed before it renamed them into place."""
    for path in content_dir.glob(".*.tmp*"):
        if re.fullmatch(r"\..+\.tmp\d+", path.name) and not path.name.endswith(f"{os.getpid()}"):
            path.unlink(missing_ok=True)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
