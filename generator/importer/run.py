"""Import files into content/: each file read by its kind, duplicates skipped (by URL and by
text, against the batch and what content/ holds), each article written through convert's
ledger, so an editor's change is kept."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator import atomic, folders
from generator.convert import ledger
from generator.convert.topics import load_vocabulary
from generator.errors import InputError
from generator.importer import urls
from generator.importer.article import Imported, front_matter
from generator.model import bundles, frontmatter
from generator.model.gazetteer import load_gazetteer
from generator.model.slugs import slug_for, unique_slug

MAX_BYTES = 20 * 1024 * 1024  # a saved page or an export larger than this is refused
SUFFIXES = (".html", ".htm", ".xhtml", ".xml", ".rss", ".atom")
_SOURCE_URL = re.compile(r"^source_url:\s*['\"]?(?P<url>[^'\"\n]+)", re.M)

Say = Callable[[str], None]


@dataclass
class ImportReport(ledger.Report):
    skipped: list[str] = field(default_factory=list)


def import_paths(
    paths: Iterable[Path],
    content_dir: Path,
    *,
    force: bool = False,
    dry_run: bool = False,
    pages: bool = False,
    say: Say = print,
    warn: Say = print,
) -> ImportReport:
    """Import every file (or every page, feed and export in every folder) given."""
    report = ImportReport()
    items: list[Imported] = []
    for path in _files(paths, report, warn):
        try:
            items += _read(path, pages, report, say)
        except InputError as problem:
            report.errors.append(str(problem))
            warn(str(problem))
    known = _known(content_dir)
    gaz, vocab = load_gazetteer(), load_vocabulary()
    entries = ledger.replay_journal(content_dir, ledger.read_ledger(content_dir))
    taken = {
        bundles.article_name(p.relative_to(content_dir)) for p in bundles.content_files(content_dir)
    }
    by_origin = {entry["seed"]: name for name, entry in entries.items()}
    if not dry_run:
        content_dir.mkdir(parents=True, exist_ok=True)
    with ledger.Journal(content_dir / ledger.JOURNAL_NAME) as journal:
        placed: dict[str, str] = {}  # origins written in this run -> their content file
        for item in items:
            origin = ledger.Origin(_origin(item), item.where)
            name = by_origin.get(origin.name)
            duplicate = placed.get(origin.name) or (None if name else _duplicate(item, known))
            if duplicate:
                report.skipped.append(item.where)
                say(f"skipped {item.where}: duplicate of {duplicate}")
                continue
            if name is None:
                slug = unique_slug(slug_for(item.title, origin.name), taken)
                # With images of its own the article is a page bundle, they beside it.
                name = f"{slug}/{bundles.INDEX}" if item.images else slug + ".md"
            slug = bundles.article_name(Path(name))
            taken.add(slug)
            target = content_dir / name
            _remember(item, folders.shown(target), known)
            placed[origin.name] = folders.shown(target)
            fields = front_matter(item, slug, gaz, vocab)
            data = frontmatter.dump(fields, item.body).encode("utf-8")
            write = None if dry_run else journal
            ledger.place(content_dir, name, origin, data, entries, force, report, say, write)
            if target.name == bundles.INDEX and placed[origin.name] not in report.kept:
                _copy_images(item, target.parent, force, dry_run, report, say)
    if not dry_run and content_dir.is_dir():
        ledger.write_ledger(content_dir, entries)
    return report


def _files(paths: Iterable[Path], report: ImportReport, warn: Say) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # A browser's "save page, complete" folder (`page_files/`) holds no articles.
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES
                            and not p.is_dir() and "_files" not in p.parent.name)  # fmt: skip
        elif path.exists() or os.path.lexists(path):
            found.append(path)
        else:
            report.errors.append(f"{folders.shown(path)}: no such file or folder")
            warn(report.errors[-1])
    return found


def _read(path: Path, pages: bool, report: ImportReport, say: Say) -> list[Imported]:
    from generator.importer.sniff import kind_of

    shown = folders.shown(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(shown, f"larger than {MAX_BYTES // 2**20} MB: not a page or a feed")
        data = path.read_bytes()
    except OSError as error:
        raise folders.unreadable(shown, path, error) from None
    kind = kind_of(data, shown)
    if kind == "page":
        from generator.importer.pages import read_page

        return [read_page(data, shown, path.parent)]
    if kind == "feed":
        from generator.importer.feeds import read_feed

        return read_feed(data, shown)
    from generator.importer.wordpress import read_export

    export = read_export(data, shown, pages)
    for what, count in sorted(export.skipped.items()):
        say(f"{shown}: skipped {count} {what} item{'s' if count != 1 else ''}")
        report.skipped += [f"{shown}: {what}"] * count
    return export.items


def _copy_images(
    item: Imported, bundle: Path, force: bool, dry_run: bool, report: ImportReport, say: Say
) -> None:
    """Copy a page's own images into its article's bundle; an image an editor replaced there
    is kept unless `force`."""
    for image in item.images:
        target = bundle / image.name
        shown, source = folders.shown(target), folders.shown(image.source)
        try:
            data = image.source.read_bytes()
            current = target.read_bytes() if target.exists() else None
        except OSError as error:
            report.errors.append(str(folders.unreadable(source, image.source, error)))
            say(report.errors[-1])
            continue
        if current == data:
            continue
        if current is not None and not force:
            say(f"kept {shown}: not the page's image (--force overwrites)")
        elif dry_run:
            say(f"would copy {source} to {shown}")
        else:
            atomic.replace_file(target, data)
            say(f"copied {source} to {shown}")


def _origin(item: Imported) -> str:
    """The ledger's name for an imported article: its URL, else its id, else its file."""
    if item.source_url:
        return "import:" + urls.canonical(item.source_url)
    return "import:" + (item.entry_id or item.where)


def _fingerprint(body: str) -> str:
    """The text's words, lower case, without punctuation or Markdown: two copies of one
    article at different URLs, or formatted apart, have the same."""
    words = re.findall(r"[^\W_]+", body.lower())
    return hashlib.sha256(" ".join(words[:400]).encode()).hexdigest()


def _known(content_dir: Path) -> dict[str, str]:
    """Canonical URL or text fingerprint -> the content file that has it."""
    known: dict[str, str] = {}
    if not content_dir.is_dir():
        return known
    for path in bundles.content_files(content_dir):
        try:
            text = path.read_text("utf-8", errors="replace")
        except OSError:
            continue
        match = _SOURCE_URL.search(text[:8192])
        if match:
            known["url:" + urls.canonical(match["url"].strip())] = folders.shown(path)
        body = text.split("\n---\n", 1)[-1]
        known["text:" + _fingerprint(body)] = folders.shown(path)
    return known


def _duplicate(item: Imported, known: dict[str, str]) -> str | None:
    if item.source_url and "url:" + urls.canonical(item.source_url) in known:
        return known["url:" + urls.canonical(item.source_url)]
    return known.get("text:" + _fingerprint(item.body))


def _remember(item: Imported, shown: str, known: dict[str, str]) -> None:
    if item.source_url:
        known.setdefault("url:" + urls.canonical(item.source_url), shown)
    known.setdefault("text:" + _fingerprint(item.body), shown)
