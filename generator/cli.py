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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; the return value is the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "convert":
        return _convert(args)
    return 2


def _convert(args: argparse.Namespace) -> int:
    from generator.convert import convert

    def warn(line: str) -> None:
        print(line, file=sys.stderr)

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
