"""The `portal` command: parse arguments, run the command, print one-line errors.

The commands (commands.py) import the stages inside their bodies, so `portal --help` starts fast.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # as typing's, without importing typing (milliseconds at start-up)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any

    Commands = Any  # argparse's _SubParsersAction, private


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; the return value is the exit code. Bad input, whatever the command, is
    one line per problem (and for a build, that the published site is unchanged)."""
    from generator.incremental import quick

    asked = quick.Asked(sys.argv[1:] if argv is None else argv)
    answer = quick.answer(asked)  # `portal build` again with nothing changed
    if answer is not None:
        print(answer)
        return 0
    import argparse

    from generator import commands
    from generator.errors import InputError, InputErrors

    # A build keeps the command line for that quick answer next time.
    args = _parser().parse_args(asked.argv, namespace=argparse.Namespace(asked=asked))
    run = {
        "convert": commands.convert,
        "import": commands.import_files,
        "build": commands.build,
        "serve": commands.preview,
        "watch": commands.preview,
        "check": commands.check,
    }[args.command]
    try:
        return run(args)
    except (InputErrors, InputError, OSError) as problem:
        where = {"build": args.out or "site", "check": "content"}.get(args.command, "site.yaml")
        lines = problem_lines(problem, where)
        show = print if args.command == "check" else commands.warn
        for line in lines:
            show(line)
        if args.command == "build":
            many = f": {len(lines)} problem(s)" if isinstance(problem, InputErrors) else ""
            show(f"build failed{many}; the previous site is unchanged")
        return 1


def problem_lines(problem: Exception, where: str) -> list[str]:
    """What went wrong, one line per problem: every error of an aggregate, one input error,
    or a system error on a path (a full disk, a read-only or missing folder), no traceback."""
    from generator.errors import InputErrors

    if isinstance(problem, InputErrors):
        return [str(error) for error in problem.errors]
    if isinstance(problem, OSError):
        return [f"{problem.filename or where}: {problem.strerror or problem}"]
    return [str(problem)]


def _parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="portal",
        description="Static site generator for bilateral-cooperation news portals.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_convert, _add_import, _add_build, _add_serve, _add_check, _add_watch):
        add(commands)
    return parser


def _add_convert(commands: Commands) -> None:
    from pathlib import Path

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


def _add_import(commands: Commands) -> None:
    from pathlib import Path

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


def _add_build(commands: Commands) -> None:
    build = commands.add_parser(
        "build",
        help="convert new seeds, then render the site into site/",
        description="Convert seeds that have no content file yet, then render the site. "
        "Options default to site.yaml.",
    )
    _site_options(build, drafts=True)
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything from nothing: no cache read, no page of the last build reused",
    )


def _add_serve(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 with live reload, and rebuild on every change",
        description="Build into a temporary folder, serve it on loopback (under the base URL's "
        "path, as GitHub Pages will), and rebuild and reload open tabs on every change.",
    )
    _site_options(serve, drafts=True)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks one)")


def _add_check(commands: Commands) -> None:
    check = commands.add_parser(
        "check",
        help="validate content and links without writing the site (exit 0 only when clean)",
        description="Load and validate everything; report every problem as file:line: message.",
    )
    _site_options(check)


def _add_watch(commands: Commands) -> None:
    watch = commands.add_parser("watch", help="build, then rebuild on every change (no server)")
    _site_options(watch, drafts=True)


def _site_options(command: argparse.ArgumentParser, drafts: bool = False) -> None:
    from pathlib import Path

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
    if drafts:
        command.add_argument("--drafts", action="store_true", help="include drafts")
        command.add_argument(
            "--future", action="store_true", help="include articles dated after today"
        )
