"""Seeds/*.txt -> content/*.md, never overwriting what an editor changed.

A ledger (`content/.convert.json`) records, for every content file convert wrote, its seed and
the SHA-256 of the bytes written. A file whose bytes no longer match was edited: it is kept.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator import folders
from generator.convert import furniture, ledger
from generator.convert.fields import extract
from generator.convert.head import RawArticle, read_article
from generator.convert.ledger import JOURNAL_NAME, Report
from generator.convert.sites import recognise
from generator.convert.text import decode, split_blocks
from generator.convert.topics import load_vocabulary
from generator.errors import InputError
from generator.model import bundles, frontmatter
from generator.model.gazetteer import load_gazetteer
from generator.model.slugs import slug_for, unique_slug

_SEED_LINE = re.compile(r"^seed:\s*['\"]?(?P<seed>[^'\"\n]+?)['\"]?\s*$", re.M)


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
    entries = ledger.replay_journal(content_dir, ledger.read_ledger(content_dir))
    if only_new:
        # The cheap test first: a build calls this every time, and usually nothing is new.
        done = {entry["seed"] for entry in entries.values()}
        targets = [t for t in targets if t.name not in done]
        if not targets:
            return report
    owners = _owners(content_dir, entries)
    if only_new:
        targets = [t for t in targets if t.name not in owners]
        if not targets:
            return report
    wanted = {_real(t) for t in targets}
    parsed = _parse_all(sorted({*corpus, *targets}), wanted, report, warn)
    recurring = furniture.recurring_blocks((p.raw.layout, p.raw.body) for p in parsed.values())
    _say_copies(list(parsed.values()), wanted, say)
    content_dir.mkdir(parents=True, exist_ok=True)
    ledger.remove_leftover_temporaries(content_dir)
    taken = {
        bundles.article_name(p.relative_to(content_dir)) for p in bundles.content_files(content_dir)
    }
    gaz, vocab = load_gazetteer(), load_vocabulary()
    with ledger.Journal(content_dir / JOURNAL_NAME) as journal:
        for seed in targets:
            item = parsed.get(_real(seed))
            if item is None:
                continue
            owned = owners.get(seed.name)
            name = owned or unique_slug(slug_for(item.raw.title, seed.name), taken) + ".md"
            slug = bundles.article_name(Path(name))
            taken.add(slug)
            body = furniture.strip(item.raw.body, item.raw.layout, recurring)
            extracted = extract(item.raw, body, seed.name, slug, gaz, vocab)
            data = frontmatter.dump(extracted.fields, extracted.body).encode("utf-8")
            origin = ledger.Origin(seed.name, folders.shown(seed))
            ledger.place(content_dir, name, origin, data, entries, force, report, say, journal)
    ledger.write_ledger(content_dir, entries)
    return report


def _parse_all(
    seeds: list[Path], wanted: set[Path], report: Report, warn: Say
) -> dict[Path, _Parsed]:
    """Every seed read, by its real path; the problems of the `wanted` ones reported (the
    others are read only for the furniture their site repeats)."""
    parsed: dict[Path, _Parsed] = {}
    for seed in seeds:
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
    return parsed


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


def _owners(content_dir: Path, ledger: dict[str, dict[str, str]]) -> dict[str, str]:
    """seed name -> content file name, from the ledger and from files' `seed:` lines."""
    owners = {entry["seed"]: name for name, entry in ledger.items()}
    for path in bundles.content_files(content_dir):
        try:
            head = path.read_text("utf-8", errors="replace")[:4096]
        except OSError:
            continue
        match = _SEED_LINE.search(head)
        if match:
            owners.setdefault(match["seed"], path.relative_to(content_dir).as_posix())
    return owners


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
