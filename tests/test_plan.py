"""The planner (pages/plan.py): which pages there are, what each shows, and its fingerprint,
which changes exactly when what the page shows changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import Builder
from generator.config import load_config
from generator.model.site import build_site
from generator.pages.planning import Plan, plan
from tests.test_incremental import edit, write_corpus


def planned(root: Path) -> Plan:
    config = load_config(root / "site.yaml")
    return plan(build_site(Builder(config).load_content()), config)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_corpus(tmp_path, 24)
    return tmp_path


def fingerprints(of: Plan) -> dict[str, str]:
    return {page.url: page.fingerprint for page in of.pages}


def test_every_page_once_with_a_fingerprint(project: Path) -> None:
    pages = planned(project).pages
    urls = [page.url for page in pages]
    assert len(urls) == len(set(urls))
    assert all(page.fingerprint for page in pages)
    articles = [page for page in pages if page.template == "article.html"]
    assert len(articles) == 24 and all(page.article == page.url for page in articles)
    assert {"", "tags/", "countries/", "archive/", "feed.xml", "sitemap.xml", "404.html"} <= set(
        urls
    )


def test_a_summary_changes_the_pages_showing_its_card_and_no_other(project: Path) -> None:
    before = planned(project)
    story = project / "content/story-007.md"
    edit(story, r"^summary: .*$", "summary: Told anew.")  # a card shows it; the URL stays
    after = planned(project)
    [url] = [p.url for p in after.pages if p.template == "article.html" and p.context
             and p.context["article"].summary == "Told anew."]  # fmt: skip
    showing = {p.url for p in after.pages if url in p.cards or p.article == url}
    changed = {u for u, f in fingerprints(after).items() if fingerprints(before)[u] != f}
    # The sitemap lists URLs and dates only: a summary is not in it.
    assert changed == showing
    assert url in changed and len(changed) > 2  # its page, its neighbours, lists, feeds


def test_a_part_of_the_site_planned_alone_is_as_in_the_whole_plan(project: Path) -> None:
    whole = planned(project)
    by_url = {page.url: page for page in whole.pages}
    wanted = {"tags/trade/page/2/", "tags/trade/feed.xml", next(iter(by_url))}
    alone = {page.url: page for page in whole.planner.pages(only=wanted)}
    assert alone.keys() == wanted
    for url, page in alone.items():
        assert page.fingerprint == by_url[url].fingerprint
        assert page.context == by_url[url].context


def test_a_page_made_again_without_marks_shows_the_same(project: Path) -> None:
    import dataclasses

    whole = planned(project)
    page = next(p for p in whole.pages if p.url.startswith("countries/") and p.template)
    again = whole.planner.made_again(dataclasses.replace(page, context=None))
    assert again.context == page.context and again.fingerprint == page.fingerprint
    assert whole.render(again) == whole.render(page)


def test_the_menu_is_one_list(project: Path) -> None:
    site_info = planned(project).planner.common["site"]
    assert [link.name for link in site_info.links] == ["Home", "Countries", "Topics", "Archive"]
    text = (project / "site.yaml").read_text("utf-8")
    (project / "site.yaml").write_text(re.sub(r"search: false", "search: true", text), "utf-8")
    with_search = planned(project).planner.common["site"]
    assert with_search.links[-1].url == "search/"
