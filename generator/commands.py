"""What each `portal` command does once its arguments are parsed (cli.py parses them and
prints what goes wrong). Each imports the stages it needs when it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.config import SiteConfig


def warn(line: str) -> None:
    print(line, file=sys.stderr)


def check(args: argparse.Namespace) -> int:
    from generator.check import check

    result = check(_load_config(args))
    for problem in result.problems:
        print(problem)
    for review in result.reviews:
        print(review)
    count = len(result.problems)
    summary = f"checked {result.articles:,} articles: {count} problem{'s' if count != 1 else ''}"
    waiting = len({r.path for r in result.reviews})
    if waiting:
        summary += f", {waiting} awaiting review"
    print(summary)
    return 1 if count else 0


def preview(args: argparse.Namespace) -> int:
    """`portal serve` and `portal watch`."""
    import signal

    from generator.preview.session import run

    config = _load_config(args)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # stop as cleanly on SIGTERM as on Ctrl-C

    signal.signal(signal.SIGTERM, interrupt)
    serving = args.command == "serve"
    return run(
        config,
        _config_path(args),
        serve=serving,
        host=args.host if serving else "127.0.0.1",
        port=args.port if serving else 0,
        out=args.out,
        drafts=args.drafts,
        future=args.future,
        warn=warn,
    )


def build(args: argparse.Namespace) -> int:
    config = _load_config(args)
    if args.no_cache:
        from generator.plain import build_plain

        result = build_plain(config, drafts=args.drafts, future=args.future, warn=warn)
    else:
        from generator.build import build

        progress = _progress_printer()
        options = {"drafts": args.drafts, "future": args.future, "asked": args.asked}
        result = build(config, warn=warn, progress=progress, **options)
    print(result.summary())
    return 0


def import_files(args: argparse.Namespace) -> int:
    from generator.importer import import_paths

    options = {"force": args.force, "dry_run": args.dry_run, "pages": args.pages}
    report = import_paths(args.paths, args.content, warn=warn, **options)
    failed = len(report.errors)
    verb = "would write" if args.dry_run else "written"
    print(
        f"imported: {len(report.written)} {verb}, {len(report.unchanged)} unchanged, "
        f"{len(report.kept)} kept, {len(report.skipped)} skipped, {failed} failed"
    )
    return 1 if failed else 0


def convert(args: argparse.Namespace) -> int:
    from generator.convert import convert

    missing = [f for f in args.files if not f.is_file()]
    for path in missing:
        warn(f"{path}: no such seed file")
    files = [f for f in args.files if f.is_file()]
    if args.files and not files:
        return 1
    if not args.files and not args.seeds.is_dir():
        warn(f"{args.seeds}: no such seed folder")
        return 1
    report = convert(args.seeds, args.content, files, force=args.force, warn=warn)
    failed = len(report.errors) + len(missing)
    total = len(report.written) + len(report.unchanged) + len(report.kept) + failed
    print(
        f"converted {total} seed{'s' if total != 1 else ''}: {len(report.written)} written, "
        f"{len(report.unchanged)} unchanged, {len(report.kept)} kept, {failed} failed"
    )
    return 1 if failed else 0


def _config_path(args: argparse.Namespace) -> Path | None:
    from generator.config import CONFIG_NAME

    path = args.config if args.config is not None else Path(CONFIG_NAME)
    return path if path.exists() else None


def _load_config(args: argparse.Namespace) -> SiteConfig:
    from generator.config import CONFIG_NAME, load_config

    path = args.config if args.config is not None else Path(CONFIG_NAME)
    overrides = {
        "content_dir": args.content,
        "output_dir": args.out,
        "base_url": _url(args),
        "search": args.search,
    }
    return load_config(path if args.config is not None or path.exists() else None, overrides)


def _url(args: argparse.Namespace) -> str | None:
    """--base-url; for serve a bare path ('/portal/') is enough."""
    url = args.base_url
    if url and url.startswith("/"):
        return f"http://127.0.0.1{url}"
    return url


def _progress_printer() -> Callable[[int, int], None]:
    """On a terminal, a build longer than a second shows how far it is."""
    import time

    if not sys.stderr.isatty():
        return lambda done, total: None
    started = time.monotonic()
    last = [0.0]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if now - started > 1 and (now - last[0] > 0.2 or done == total):
            last[0] = now
            end = "\n" if done == total else ""
            print(f"\rwriting pages {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    return show
