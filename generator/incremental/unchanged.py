"""The no-change strategy: a digest of everything a build reads (file stamps, options, code,
today's date), kept with the result of the last build, so that `portal build` with nothing
changed stops at once, the output checked to be the one it wrote."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import json
import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from generator import atomic
from generator.config import SiteConfig
from generator.incremental import quick
from generator.output.write import MANIFEST
from generator.stages import DEFAULT_THEME, BuildResult, today


class LastBuild:
    """The no-change check of one build: the inputs key as the build began, and the record of
    the last build that wrote the output. `asked`, the command line that asked for the build,
    lets the next one with the same answer at once (quick.py)."""

    def __init__(
        self, config: SiteConfig, drafts: bool, future: bool, asked: quick.Asked | None = None
    ):
        self.config, self.drafts, self.future, self.asked = config, drafts, future, asked
        # The content files' stamps, as the key saw them: the loader need not stat them again.
        self.stamps: dict[str, tuple[int, int]] = {}
        walks = asked.walks if asked is not None else None  # the quick check's, if it walked
        self.files = input_files(config, stamps=self.stamps, walks=walks)
        self.inputs = inputs_key(config, drafts, future, self.files)
        self._quick = quick_record(config)
        if self._quick is not None:
            quick.forget(self._quick)  # until this build is done: its inputs may change now

    def result_if_unchanged(self, out: Path, started: float) -> BuildResult | None:
        """The last build's result when not a file the site is made of changed since, nor the
        output; else None."""
        last = read_last_build(self.config)
        if last and last.get("inputs") == self.inputs == with_output(self.inputs, out, last):
            result = BuildResult(**last["result"], seconds=time.perf_counter() - started, out=out)
            self._keep_quick(out, result)
            return result
        return None

    def remember(self, out: Path, result: BuildResult) -> None:
        """Keep the result for the next build, with the inputs key as this build began: an
        input changed while building (an edit, a seed this build converted) has a stamp the
        key does not hold, so the next build sees it."""
        write_last_build(self.config, self.inputs, out, result)
        self._keep_quick(out, result)

    def _keep_quick(self, out: Path, result: BuildResult) -> None:
        if self.asked is None or self._quick is None:
            return
        config = self.config
        named = os.path.abspath(quick.config_file(self.asked.argv))
        summary = result.summary(seconds=quick.SECONDS)
        with contextlib.suppress(OSError):  # not kept: the next build checks everything
            quick.keep(
                self._quick, self.asked, named, _day(config),
                os.path.abspath(out / MANIFEST), self.files, summary,
            )  # fmt: skip


def _day(config: SiteConfig) -> tuple[dt.datetime, dt.datetime]:
    """When today, in the site's time zone, began and when tomorrow begins."""
    zone = ZoneInfo(config.timezone)
    day = today(config)
    tomorrow = day + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), zone), dt.datetime.combine(tomorrow, dt.time(), zone)


LAST_BUILD = "last-build.json"


# The libraries whose version shapes the output (bodies, pages, flags, slugs).
OUTPUT_LIBRARIES = ("markdown", "jinja2", "markupsafe", "yaml", "countryinfo", "slugify", "PIL")


def quick_record(config: SiteConfig) -> str | None:
    """Where the quick check looks for its record (beside the config file), if this build's
    cache is there."""
    cache = config.path("cache_dir")
    if cache.absolute() != (config.root / quick.CACHE_FOLDER).absolute():
        return None
    return str(cache / quick.RECORD)


def input_files(
    config: SiteConfig,
    with_content: bool = True,
    with_templates: bool = True,
    stamps: dict[str, tuple[int, int]] | None = None,
    walks: dict[str, list[tuple[str, int, int]]] | None = None,
) -> quick.Inputs:
    """The files a build reads, walked: content and seeds, templates, static files, themes,
    the generator's code and data, the libraries that shape the output. `stamps` receives
    the (mtime, size) of the content folder's files, by path; `walks`, see quick.files_key."""
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
    libraries = []
    for name in OUTPUT_LIBRARIES:
        # An upgrade rewrites the package: its new stamp is a new input (found, not imported).
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            libraries.append((name, spec.origin))
    stamped = str(content[0]) if content else None
    named = list(dict.fromkeys(str(folder) for folder in folders))  # the theme may be the default
    return quick.Inputs(named, libraries, skipped, stamps, stamped, walks)


def inputs_key(
    config: SiteConfig,
    drafts: bool,
    future: bool,
    files: quick.Inputs | None = None,
    with_content: bool = True,
    with_templates: bool = True,
) -> str:
    """A digest of everything a build reads: file stamps, options, the code, today's date."""
    if files is None:
        files = input_files(config, with_content, with_templates)
    options = repr((config, drafts, future, today(config)))
    return hashlib.sha256(f"{options}\0{files.files}".encode()).hexdigest()


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
