"""The plan index (incremental/planindex.py): a new process plans only the pages showing a
changed article, and the pages it keeps from the index are those a whole plan makes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.build import Builder
from generator.config import load_config
from generator.incremental.cache import LayoutCache
from generator.incremental.planindex import PlanIndexStore, structure_key
from generator.model.site import build_site
from generator.pages.planning import Plan, plan
from tests.test_incremental import edit, write_corpus

SOURCES = "the options, code and static files"


def index_plan(root: Path) -> Plan:
    """A plan as a new `portal build` process makes it, through the index in the cache."""
    config = load_config(root / "site.yaml")
    articles = Builder(config).load_content()
    store = PlanIndexStore(config.path("cache_dir"))
    return store.plan(articles, config, SOURCES, LayoutCache(None))


def whole_plan(root: Path) -> Plan:
    config = load_config(root / "site.yaml")
    return plan(build_site(Builder(config).load_content()), config)


def test_a_body_edit_plans_only_that_articles_page(tmp_path: Path) -> None:
    write_corpus(tmp_path, 24)
    index_plan(tmp_path)  # the index is written
    edit(tmp_path / "content/story-009.md", r"\Z", "\nOne more paragraph.\n")
    again = index_plan(tmp_path)
    with_context = [page.url for page in again.pages if page.template and page.context]
    [story] = [a.url for a in again.planner.site.articles if a.path.endswith("story-009.md")]
    assert with_context == [story]
    whole = {page.url: page for page in whole_plan(tmp_path).pages}
    assert [p.url for p in again.pages] == list(whole)
    for page in again.pages:  # the others, kept from the index, as a whole plan has them
        assert page.fingerprint == whole[page.url].fingerprint, page.url


def test_a_page_kept_without_context_renders_as_planned(tmp_path: Path) -> None:
    write_corpus(tmp_path, 12)
    index_plan(tmp_path)
    edit(tmp_path / "content/story-003.md", r"\Z", "\nAnother paragraph.\n")
    again = index_plan(tmp_path)
    whole = whole_plan(tmp_path)
    kept = next(p for p in again.pages if p.template == "term.html" and p.context is None)
    [same] = [p for p in whole.pages if p.url == kept.url]
    assert again.render(kept) == whole.render(same)


def test_the_structure_is_what_decides_which_pages_there_are(tmp_path: Path) -> None:
    write_corpus(tmp_path, 6)
    articles = Builder(load_config(tmp_path / "site.yaml")).load_content()
    key = structure_key(build_site(articles), SOURCES)
    retitled = [dataclasses.replace(articles[0], title="Another title"), *articles[1:]]
    assert structure_key(build_site(retitled), SOURCES) == key  # pages change, not which
    retagged = [dataclasses.replace(articles[0], tags=("energy",)), *articles[1:]]
    assert structure_key(build_site(retagged), SOURCES) != key
    assert structure_key(build_site(articles), "other options") != key
