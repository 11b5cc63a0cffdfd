"""Stage 1: seeds/*.txt -> content/*.md, never overwriting what an editor changed.

A ledger (`content/.convert.json`) records, for every content file convert wrote, its seed and
the SHA-256 of the bytes written. A file whose bytes no longer match was edited: it is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator import folders, frontmatter
from generator.convert import furniture
from generator.convert.fields import Extracted, extract
from generator.convert.head import RawArticle, read_article, recognise
from generator.convert.text import decode, split_blocks
from generator.convert.topics import load_vocabulary
from generator.errors import InputError
from generator.gazetteer import load_gazetteer
from generator.slugs import slug_for, unique_slug

LEDGER_NAME = ".convert.json"
# Each file a run is about to write, noted before it is written; the run deletes it when it has
# updated the ledger, so only a killed run leaves it behind.
JOURNAL_NAME = ".convert.journal"
_SEED_LINE = re.compile(r"^seed:\s*['\"]?(?P<seed>[^'\"\n]+?)['\"]?\s*$", re.M)


@dataclass
class Report:
    """What a convert run did, file by file."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Parsed:
    seed: Path
    raw: RawArticle


Say = Callable[[str], None]


def convert(
    seeds_dir: Path,
    content_dir: Path,
    files: Iterable[Path] = (),
    *,
    force: bool = False,
    only_new: bool = False,
    say: Say = print,
    warn: Say = print,
) -> Report:
    """Convert the given seed files (default: every seed in seeds_dir) into content_dir.

    Every seed in seeds_dir is read, converted or not, so that furniture that recurs across a
    source's pages is recognised. `only_new` converts just the seeds that never had a content file.
    """
    report = Report()
    corpus = _list_seeds(seeds_dir, report, warn) if seeds_dir.is_dir() else []
    targets = sorted({_real(p): p for p in files}.values()) if files else corpus
    ledger = _replay_journal(content_dir, _read_ledger(content_dir))
    if only_new:
        # The cheap test first: a build calls this every time, and usually nothing is new.
        done = {entry["seed"] for entry in ledger.values()}
        targets = [t for t in targets if t.name not in done]
        if not targets:
            return report
    owners = _owners(content_dir, ledger)
    if only_new:
        targets = [t for t in targets if t.name not in owners]
        if not targets:
            return report
    wanted = {_real(t) for t in targets}
    parsed: dict[Path, _Parsed] = {}
    for seed in sorted({*corpus, *targets}):
        try:
            parsed[_real(seed)] = _parse(seed)
        except InputError as error:
            if _real(seed) in wanted:
                report.errors.append(str(error))
                warn(str(error))
        except OSError as error:
            if _real(seed) in wanted:
                report.errors.append(str(folders.unreadable(folders.shown(seed), seed, error)))
                warn(report.errors[-1])
    recurring = furniture.recurring_blocks((p.raw.layout, p.raw.body) for p in parsed.values())
    _say_copies(list(parsed.values()), wanted, say)
    content_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftover_temporaries(content_dir)
    taken = {p.stem for p in content_dir.glob("*.md")}
    gaz, vocab = load_gazetteer(), load_vocabulary()
    with _Journal(content_dir / JOURNAL_NAME) as journal:
        for seed in targets:
            item = parsed.get(_real(seed))
            if item is None:
                continue
            owned = owners.get(seed.name)
            name = owned or unique_slug(slug_for(item.raw.title, seed.name), taken) + ".md"
            taken.add(Path(name).stem)
            body = furniture.strip(item.raw.body, item.raw.layout, recurring)
            extracted = extract(item.raw, body, seed.name, Path(name).stem, gaz, vocab)
            _place(content_dir / name, seed, extracted, ledger, force, report, say, journal)
    _write_ledger(content_dir, ledger)
    return report


class _Journal:
    """The journal of a run's writes, opened on the first: each line is flushed to the
    system before its file is written, so a killed run's files can be adopted."""

    def __init__(self, path: Path):
        self.path = path
        self._file: Any = None

    def note(self, target: Path, seed: Path, sha: str) -> None:
        if self._file is None:
            self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (kept open)
        self._file.write(json.dumps([target.name, seed.name, sha]) + "\n")
        self._file.flush()

    def __enter__(self) -> _Journal:
        return self

    def __exit__(self, *_: object) -> None:
        if self._file is not None:
            self._file.close()


def _say_copies(parsed: list[_Parsed], wanted: set[Path], say: Say) -> None:
    """One line for each seed that is a copy of another: both are converted whole."""
    for members in furniture.same_articles([p.raw.body for p in parsed]):
        first, *copies = [parsed[i].seed for i in members]
        for copy in copies:
            if _real(copy) in wanted:
                say(
                    f"{folders.shown(copy)}: the same article as {folders.shown(first)}; "
                    "both converted whole (delete one content file to publish it once)"
                )


def _parse(seed: Path) -> _Parsed:
    path = folders.shown(seed)
    blocks = split_blocks(decode(seed.read_bytes(), path))
    if not blocks:
        raise InputError(path, "no text (only blank lines)")
    layout = recognise(blocks)
    return _Parsed(seed, read_article(blocks, layout, path))


def _place(
    target: Path,
    seed: Path,
    extracted: Extracted,
    ledger: dict[str, dict[str, str]],
    force: bool,
    report: Report,
    say: Say,
    journal: _Journal,
) -> None:
    data = frontmatter.dump(extracted.fields, extracted.body).encode("utf-8")
    shown = folders.shown(target)
    entry = ledger.get(target.name)
    if target.exists():
        current = target.read_bytes()
        if current == data:
            report.unchanged.append(shown)
            ledger[target.name] = {"seed": seed.name, "sha256": _sha(data)}
            return
        if not force and (entry is None or entry["sha256"] != _sha(current)):
            report.kept.append(shown)
            say(f"kept {shown}: edited since convert wrote it (--force overwrites)")
            return
    elif entry is not None and not force:
        report.kept.append(shown)
        say(f"skipped {folders.shown(seed)}: {shown} was deleted since convert wrote it (--force)")
        return
    journal.note(target, seed, _sha(data))
    _atomic_write(target, data)
    ledger[target.name] = {"seed": seed.name, "sha256": _sha(data)}
    report.written.append(shown)
    say(f"wrote {shown} (from {folders.shown(seed)})")


def _owners(content_dir: Path, ledger: dict[str, dict[str, str]]) -> dict[str, str]:
    """seed name -> content file name, from the ledger and from files' `seed:` lines."""
    owners = {entry["seed"]: name for name, entry in ledger.items()}
    for path in sorted(content_dir.glob("*.md")):
        try:
            head = path.read_text("utf-8", errors="replace")[:4096]
        except OSError:
            continue
        match = _SEED_LINE.search(head)
        if match:
            owners.setdefault(match["seed"], path.name)
    return owners


def _read_ledger(content_dir: Path) -> dict[str, dict[str, str]]:
    path = content_dir / LEDGER_NAME
    try:
        data = json.loads(path.read_text("utf-8"))
        return {str(k): dict(v) for k, v in data["files"].items()}
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError, AttributeError):
        # A broken ledger only costs protection; treating every file as edited keeps them all.
        return {}


def _replay_journal(content_dir: Path, ledger: dict[str, dict[str, str]]) -> dict:
    """Adopt the files a killed run wrote but could not record in the ledger: they would look
    edited, and convert would never update them again. An edited file matches no entry."""
    try:
        lines = (content_dir / JOURNAL_NAME).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ledger
    for line in lines:
        try:
            name, seed, sha = json.loads(line)
            current = (content_dir / Path(name).name).read_bytes()
        except (ValueError, TypeError, OSError):
            continue  # a line cut short by the kill, or a file deleted since
        if _sha(current) == sha:
            ledger[name] = {"seed": seed, "sha256": sha}
    return ledger


def _write_ledger(content_dir: Path, ledger: dict[str, dict[str, str]]) -> None:
    data = {"version": 1, "files": dict(sorted(ledger.items()))}
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    path = content_dir / LEDGER_NAME
    if not path.exists() or path.read_text("utf-8") != text:
        _atomic_write(path, text.encode("utf-8"))
    (content_dir / JOURNAL_NAME).unlink(missing_ok=True)


def _remove_leftover_temporaries(content_dir: Path) -> None:
    """Temporary files of a convert that was killed before it renamed them into place."""
    for path in content_dir.glob(".*.tmp*"):
        if re.fullmatch(r"\..+\.tmp\d+", path.name) and not path.name.endswith(f"{os.getpid()}"):
            path.unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _list_seeds(seeds_dir: Path, report: Report, warn: Say) -> list[Path]:
    """The seed files (*.txt) of the folder; its odd entries (a broken or looping link, a
    folder that cannot be read) are reported, once each."""
    seeds = []
    with os.scandir(seeds_dir) as listing:
        for entry in sorted(listing, key=lambda e: e.name):
            if entry.name.endswith(".txt") and not entry.name.startswith("."):
                seeds.append(Path(entry.path))  # a broken one is reported when read
                continue
            problem = folders.odd_entry(entry, seeds_dir, folders.shown(Path(entry.path)))
            if problem is not None:
                report.errors.append(str(problem))
                warn(report.errors[-1])
    return sorted(seeds)


@cache  # asked of each seed several times in a run
def _real(path: Path) -> Path:
    """The file a path names, for telling two names of one file apart; a path that loops or
    leads nowhere stands for itself (Path.resolve would raise)."""
    return Path(os.path.realpath(path))
