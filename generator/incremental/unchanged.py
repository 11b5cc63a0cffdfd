"""The no-change strategy: a digest of everything a build reads (file stamps, options, code,
today's date), kept with the result of the last build, so that `portal build` with nothing
changed stops at once, the output checked to be the one it wrote."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import time
from collections.abc import Collection
from pathlib import Path

from generator import atomic
from generator.config import SiteConfig
from generator.output.write import MANIFEST
from generator.stages import DEFAULT_THEME, BuildResult, today


class LastBuild:
    """The no-change check of one build: the inputs key as the build began, and the record of
    the last build that wrote the output."""

    def __init__(self, config: SiteConfig, drafts: bool, future: bool):
        self.config, self.drafts, self.future = config, drafts, future
        # The content files' stamps, as the key saw them: the loader need not stat them again.
        self.stamps: dict[str, tuple[int, int]] = {}
        self.inputs = inputs_key(config, drafts, future, stamps=self.stamps)

    def result_if_unchanged(self, out: Path, started: float) -> BuildResult | None:
        """The last build's result when not a file the site is made of changed since, nor the
        output; else None."""
        last = read_last_build(self.config)
        if last and last.get("inputs") == self.inputs == with_output(self.inputs, out, last):
            return BuildResult(**last["result"], seconds=time.perf_counter() - started, out=out)
        return None

    def remember(self, out: Path, result: BuildResult) -> None:
        """Keep the result for the next build, unless an input changed while building (an
        edit mid-build, or a seed this build converted, must be seen by the next one)."""
        if inputs_key(self.config, self.drafts, self.future) == self.inputs:
            write_last_build(self.config, self.inputs, out, result)


LAST_BUILD = "last-build.json"


# The libraries whose version shapes the output (bodies, pages, flags, slugs).
OUTPUT_LIBRARIES = ("markdown", "jinja2", "markupsafe", "yaml", "countryinfo", "slugify", "PIL")


def inputs_key(
    config: SiteConfig,
    drafts: bool,
    future: bool,
    with_content: bool = True,
    with_templates: bool = True,
    stamps: dict[str, tuple[int, int]] | None = None,
) -> str:
    """A digest of everything a build reads: file stamps, options, the code, today's date.
    `stamps` receives the (mtime, size) of the content folder's files, by path."""
    digest = hashlib.sha256(repr((config, drafts, future, today(config))).encode())
    theme = config.path("themes_dir") / config.theme
    content = [config.path("content_dir"), config.path("seeds_dir")] if with_content else []
    templates = [config.path("templates_dir"), theme / "templates", DEFAULT_THEME / "templates"]
    folders = [
        *content,
        *(templates[:1] if with_templates else []),
        config.root / "static",
        theme,
        DEFAULT_THEME,
        Path(__file__).parent.parent,  # the generator's code and data
    ]
    skipped = set() if with_templates else {str(folder) for folder in templates}
    for name in OUTPUT_LIBRARIES:
        # An upgrade rewrites the package: its new stamp is a new input (found, not imported).
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            stat = os.stat(spec.origin)
            digest.update(f"{name}\0{spec.origin}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    content_dir = str(content[0]) if content else None
    for folder in folders:
        digest.update(str(folder).encode())
        keep = stamps if stamps is not None and str(folder) == content_dir else None
        for path, mtime, size in _walk(folder, skipped):
            digest.update(f"{path}\0{mtime}\0{size}\n".encode())
            if keep is not None and size >= 0:  # not one that could not be read
                keep[path] = (mtime, size)
    return digest.hexdigest()


def _walk(
    folder: Path, skipped: Collection[str] = (), walking: frozenset[str] = frozenset()
) -> list[tuple[str, int, int]]:
    """(path, mtime, size) of the files under folder, in name order, but for those under the
    `skipped` folders. Never fails: what cannot be read counts as (path, errno, -1), reported
    by the stage that reads it; a link back to a folder being walked is not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
        walking = walking | {os.path.realpath(folder)}
    except OSError as error:
        return [(str(folder), error.errno or 0, -1)]
    found: list[tuple[str, int, int]] = []
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        try:
            if entry.is_dir():
                if entry.path not in skipped and os.path.realpath(entry.path) not in walking:
                    found += _walk(Path(entry.path), skipped, walking)
                continue
            stat = entry.stat()
            found.append((entry.path, stat.st_mtime_ns, stat.st_size))
        except OSError as error:
            found.append((entry.path, error.errno or 0, -1))
    return found


def with_output(inputs: str, out: Path, last: dict) -> str:
    """The inputs key if the output is still the one the last build wrote, else ''."""
    try:
        stat = (out / MANIFEST).stat()
    except OSError:
        return ""
    return inputs if last.get("manifest") == [stat.st_mtime_ns, stat.st_size, stat.st_ino] else ""


def read_last_build(config: SiteConfig) -> dict | None:
    try:
        data = json.loads((config.path("cache_dir") / LAST_BUILD).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_last_build(config: SiteConfig, inputs: str, out: Path, result: BuildResult) -> None:
    stat = (out / MANIFEST).stat()
    record = {
        "inputs": inputs,
        "manifest": [stat.st_mtime_ns, stat.st_size, stat.st_ino],
        "result": {
            "pages": result.pages,
            "rendered": 0,
            "written": 0,
            "articles": result.articles,
            "tags": result.tags,
            "countries": result.countries,
            "searchable": result.searchable,
        },
    }
    # Not kept: the next build checks everything, slower but not wrong.
    atomic.keep(config.path("cache_dir") / LAST_BUILD, json.dumps(record).encode())
