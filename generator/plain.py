"""The build with no reuse at all: config -> convert new seeds -> load -> model -> plan ->
render -> write, every article read and rendered and every page made, in a new folder
published in one step. `portal build --no-cache` runs it; the tests hold the incremental
build to it, byte for byte."""

from __future__ import annotations

import dataclasses
import tempfile
import time

from generator import folders
from generator.config import SiteConfig
from generator.incremental.loader import ContentLoader
from generator.media.cache import IMAGES
from generator.model.article import ContentErrors
from generator.model.site import build_site
from generator.output.write import write_whole
from generator.pages.planning import plan
from generator.stages import (
    BuildResult,
    Say,
    convert_new_seeds,
    duplicate_urls,
    home_country,
    output_folder,
    search_index,
    select,
)


def build_plain(
    config: SiteConfig,
    *,
    drafts: bool = False,
    future: bool = False,
    say: Say = print,
    warn: Say = print,
) -> BuildResult:
    """Build config.output_dir from nothing; raises ContentErrors or InputError on bad input,
    leaving the published site as it was."""
    with tempfile.TemporaryDirectory(prefix="portal-no-cache-") as scratch:
        # Compiled templates and the gazetteer would be kept in the cache folder: here, in
        # one that starts empty and goes with the build.
        scratch_config = dataclasses.replace(config, cache_dir=scratch)
        return _build(scratch_config, drafts=drafts, future=future, say=say, warn=warn)


def _build(config: SiteConfig, *, drafts: bool, future: bool, say: Say, warn: Say) -> BuildResult:
    started = time.perf_counter()
    out = output_folder(config)
    convert_new_seeds(config, say, warn)
    # Nothing kept: bodies in memory, processed images in the build's scratch folder.
    images = config.path("cache_dir") / IMAGES
    loader = ContentLoader(
        config.path("content_dir"), None, config.allow_html, folders.shown, images=images
    )
    loaded, errors = loader.load()
    errors += duplicate_urls(loaded)
    if errors:
        raise ContentErrors(errors)
    articles = select(loaded, config, drafts=drafts, future=future)
    search = search_index(config, warn)
    if search is None and config.search:
        config = dataclasses.replace(config, search=False)  # no search page, no links to it
    site = build_site(articles, home_country(config))
    planned = plan(site, config)
    stats = write_whole(planned.pages, out, planned.render, search)
    return BuildResult.of(stats, site, started, out, search is not None)
