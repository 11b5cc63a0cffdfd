"""The `portal` command: parse arguments, call the pipeline stages, print one-line errors.

Stage modules are imported inside the commands, so `portal --help` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal",
        description="Static site generator for bilateral-cooperation news portals.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    convert = commands.add_parser(
        "convert",
        help="convert raw seed articles (seeds/*.txt) into Markdown content (content/*.md)",
        description="Convert raw seed articles into Markdown with YAML front matter. "
        "A content file edited since convert wrote it is never overwritten without --force.",
    )
    convert.add_argument("--seeds", type=Path, default=Path("seeds"), help="seed folder")
    convert.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    convert.add_argument(
        "--force", action="store_true", help="overwrite content files even if edited"
    )
    convert.add_argument("files", nargs="*", type=Path, metavar="FILE", help="seeds to convert")

    imports = commands.add_parser(
        "import",
        help="import saved web pages, RSS/Atom feeds and WordPress exports into content/*.md",
        description="Each PATH is a saved .html page, a folder of them, a feed or a WordPress "
        "export (WXR), told apart by their content. Nothing is fetched from the network. A "
        "content file edited since it was written is never overwritten without --force.",
    )
    imports.add_argument("--content", type=Path, default=Path("content"), help="content folder")
    imports.add_argument("--force", action="store_true", help="overwrite edited content files")
    imports.add_argument("--dry-run", action="store_true", help="write nothing; say what would be")
    imports.add_argument("--pages", action="store_true", help="also import WordPress pages")
    imports.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")

    build = commands.add_parser(
        "build",
        help="convert new seeds, then render the site into site/",
        description="Convert seeds that have no content file yet, then render the site. "
        "Options default to site.yaml.",
    )
    _site_options(build)
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything from nothing: no cache read, no page of the last build reused",
    )
    build.add_argument("--drafts", action="store_true", help="include drafts")
    build.add_argument("--future", action="store_true", help="include articles dated after today")

    serve = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 with live reload, and rebuild on every change",
        description="Build into a temporary folder, serve it on loopback (under the base URL's "
        "path, as GitHub Pages will), and rebuild and reload open tabs on every change.",
    )
    _site_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks one)")
    serve.add_argument("--drafts", action="store_true", help="include drafts")
    serve.add_argument("--future", action="store_true", help="include articles dated after today")

    check = commands.add_parser(
        "check",
        help="validate content and links without writing the site (exit 0 only when clean)",
        description="Load and validate everything; report every problem as file:line: message.",
    )
    _site_options(check)

    watch = commands.add_parser("watch", help="build, then rebuild on every change (no server)")
    _site_options(watch)
    watch.add_argument("--drafts", action="store_true", help="include drafts")
    watch.add_argument("--future", action="store_true", help="include articles dated after today")
    return parser


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--config", type=Path, default=None, help="site.yaml to use")
    command.add_argument("--content", default=None, help="content folder")
    command.add_argument("--out", default=None, help="output folder")
    command.add_argument("--base-url", default=None, help="URL the site is published at")
    command.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        default=None,
        help="build without the search index",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; the return value is the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "convert":
        return _convert(args)
    if args.command == "import":
        return _import(args)
    if args.command == "build":
        return _build(args)
    if args.command in ("serve", "watch"):
        return _preview(args)
    if args.command == "check":
        return _check(args)
    return 2


def _check(args: argparse.Namespace) -> int:
    from generator.check import check
    from generator.errors import InputError, InputErrors

    try:
        result = check(_load_config(args))
    except (InputErrors, InputError) as failure:
        print("\n".join(_problem_lines(failure, "content")))
        return 1
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


def _preview(args: argparse.Namespace) -> int:
    from generator.errors import InputError, InputErrors
    from generator.preview.session import run

    try:
        config = _load_config(args)
    except (InputErrors, InputError) as problem:
        _warn("\n".join(_problem_lines(problem, "site.yaml")))
        return 1
    import signal

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
        warn=_warn,
    )


def _config_path(args: argparse.Namespace) -> Path | None:
    from generator.config import CONFIG_NAME

    path = args.config if args.config is not None else Path(CONFIG_NAME)
    return path if path.exists() else None


def _warn(line: str) -> None:
    print(line, file=sys.stderr)


def _load_config(args: argparse.Namespace):  # -> SiteConfig
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


def _build(args: argparse.Namespace) -> int:
    from generator.build import build
    from generator.errors import InputError, InputErrors

    try:
        config = _load_config(args)
        if args.no_cache:
            from generator.plain import build_plain

            result = build_plain(config, drafts=args.drafts, future=args.future, warn=_warn)
        else:
            result = build(
                config,
                drafts=args.drafts,
                future=args.future,
                warn=_warn,
                progress=_progress_printer(),
            )
    except (InputErrors, InputError, OSError) as problem:
        lines = _problem_lines(problem, args.out or "site")
        for line in lines:
            _warn(line)
        many = f": {len(lines)} problem(s)" if isinstance(problem, InputErrors) else ""
        _warn(f"build failed{many}; the previous site is unchanged")
        return 1
    print(result.summary())
    return 0


def _problem_lines(problem: Exception, where: str) -> list[str]:
    """What went wrong, one line per problem: every error of an aggregate, one input error,
    or a system error on a path (a full disk, a read-only or missing folder), no traceback."""
    from generator.errors import InputErrors

    if isinstance(problem, InputErrors):
        return [str(error) for error in problem.errors]
    if isinstance(problem, OSError):
        return [f"{problem.filename or where}: {problem.strerror or problem}"]
    return [str(problem)]


def _progress_printer():
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


def _import(args: argparse.Namespace) -> int:
    from generator.importer import import_paths

    report = import_paths(
        args.paths,
        args.content,
        force=args.force,
        dry_run=args.dry_run,
        pages=args.pages,
        warn=_warn,
    )
    failed = len(report.errors)
    verb = "would write" if args.dry_run else "written"
    print(
        f"imported: {len(report.written)} {verb}, {len(report.unchanged)} unchanged, "
        f"{len(report.kept)} kept, {len(report.skipped)} skipped, {failed} failed"
    )
    return 1 if failed else 0


def _convert(args: argparse.Namespace) -> int:
    from generator.convert import convert

    warn = _warn
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
