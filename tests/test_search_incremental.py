"""The search index is incremental and stays true: after each kind of edit, the index an
incremental `portal build` leaves finds, in headless Chromium, exactly what the index of a
cold build of the same content finds (20 queries, with filters), and only the shards (years)
of the pages that changed were made again."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.build import Builder
from generator.config import SiteConfig, load_config
from generator.model.shards import Shards
from tests.test_browser import (
    Tab,
    browser,  # noqa: F401 (the fixture, shared with the theme's browser tests)
)
from tests.test_incremental import COUNTRIES, TAGS, add_story, edit, write_corpus

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("zeppelin", {}),  # only in the body edited
    ("quokka", {}),  # only in the article added
    ("harbinger", {}),  # only in the title of the article renamed
    *((tag, {}) for tag in TAGS),
    *((country, {}) for country in COUNTRIES),
    ("trade", {"country": "Brazil"}),
    ("culture", {"year": "2015"}),
    ("investment", {"section": "Biz updates"}),
]
assert len(QUERIES) == 20

SEARCH = """async ({ bundles, base, queries }) => {
  const pagefind = await import(bundles[0] + "pagefind.js");
  await pagefind.options({ baseUrl: base });
  for (const bundle of bundles.slice(1)) { await pagefind.mergeIndex(bundle, { baseUrl: base }); }
  const found = [];
  for (const [term, filters] of queries) {
    const search = await pagefind.search(term, { filters });
    const pages = await Promise.all(search.results.map((result) => result.data()));
    found.push(pages.map((page, n) => [page.url, search.results[n].score]));
  }
  return found;
}"""


def build(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "without the search index" not in done.stderr, done.stderr


def configure(project: Path, base: str) -> None:
    config = project / "site.yaml"
    text = config.read_text("utf-8").replace("search: false\n", "")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("base_url:"))
    config.write_text(f"{text}\nbase_url: {base}\nsearch: true\n", "utf-8")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A server on loopback for the folder `served` (its sites are linked into it)."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(_Quiet, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield served, httpd.server_port
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def found(tab: Tab, site: Path, base: str) -> list[list[str]]:
    """Each query's results, best first. Results of equal score (from different shards, say)
    come in no set order, and Pagefind 1.2 gives them in a different one from run to run: by
    URL among themselves."""
    bundles = [f"{base}pagefind/{p.name}/" for p in sorted((site / "pagefind").iterdir())][::-1]
    page = tab.open(base + "search/")
    # Plain lists and objects: older Playwrights do not pass tuples as arrays.
    queries = [[term, dict(filters)] for term, filters in QUERIES]
    ranked = page.evaluate(SEARCH, {"bundles": bundles, "base": base, "queries": queries})
    return [[url for url, _ in sorted(q, key=lambda r: (-round(r[1], 6), r[0]))] for q in ranked]


def shard_files(site: Path) -> dict[str, int]:
    """Each shard's entry file, by year: its inode (the same file if the shard was kept)."""
    return {p.parent.name: p.stat().st_ino for p in (site / "pagefind").glob("*/*-entry.json")}


def test_after_every_edit_search_finds_what_a_cold_index_finds(
    tmp_path: Path,
    server: tuple[Path, int],
    browser: Any,  # noqa: F811
) -> None:
    served, port = server
    project = tmp_path / "project"
    write_corpus(project, 40)
    configure(project, f"http://127.0.0.1:{port}/incremental/")
    build(project)
    os.symlink(project / "site", served / "incremental")
    content = project / "content"
    story = content / "story-005.md"
    year = story.read_text("utf-8").split("date: ", 1)[1][:4]
    steps: list[tuple[str, Callable[[], None]]] = [
        ("body", lambda: edit(story, r"\Z", "\nA zeppelin delegation landed.\n")),
        ("added", lambda: _add(content)),
        ("deleted", lambda: (content / "story-003.md").unlink()),
        ("moved", lambda: edit(content / "story-007.md", r"^date: 20..", "date: 2025")),
        ("renamed", lambda: edit(content / "story-009.md", r"^title: .*$", "title: Harbinger")),
    ]  # fmt: skip
    tab = Tab(browser, "desktop")
    try:
        for name, change in steps:
            before = shard_files(project / "site")
            change()
            build(project)
            if name == "body":  # only the edited article's year was indexed again
                after = shard_files(project / "site")
                assert [y for y in after if after[y] != before.get(y)] == [year]
            cold = tmp_path / "cold"
            shutil.rmtree(cold, ignore_errors=True)
            shutil.copytree(
                project, cold, ignore=shutil.ignore_patterns("site", ".site.prev", ".portal-*")
            )
            configure(cold, f"http://127.0.0.1:{port}/cold/")
            build(cold)
            (served / "cold").unlink(missing_ok=True)
            os.symlink(cold / "site", served / "cold")
            incremental = found(tab, project / "site", f"http://127.0.0.1:{port}/incremental/")
            expected = found(tab, cold / "site", f"http://127.0.0.1:{port}/cold/")
            relative = [[u.split("/cold/", 1)[1] for u in urls] for urls in expected]
            mine = [[u.split("/incremental/", 1)[1] for u in urls] for urls in incremental]
            assert mine == relative, name  # the same pages, in the same order
            assert relative[0], "the edited body is found"
            if name != "body":
                assert relative[1], "the added article is found"
    finally:
        tab.close()
    assert not tab.problems, "\n".join(tab.problems)
    assert relative[2], "the renamed article is found by its new title"


def _add(content: Path) -> None:
    add_story(content)
    edit(content / "story-new.md", r"\Z", "\nA quokka was seen at the fair.\n")


def dated(story: Path, day: str, word: str) -> None:
    """The story dated `day` (YYYY-MM-DD), with a word only it holds."""
    edit(story, r"^date: .*$", f"date: {day}")
    edit(story, r"\Z", f"\nA {word} was seen there.\n")


def bundles_listed(site: Path) -> list[str]:
    """The bundles the search page merges, in its order: the first holds the UI."""
    page = (site / "search" / "index.html").read_text("utf-8")
    script = page.split("new PagefindUI(", 1)[1]
    return re.findall(r"bundlePath: \"[^\"]*/(pagefind/[^\"]+/)\"", script)


def pages_in(site: Path, shard: str) -> int:
    entry = json.loads((site / "pagefind" / shard / "pagefind-entry.json").read_text("utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def test_the_current_months_articles_have_a_shard_of_their_own(
    tmp_path: Path,
    server: tuple[Path, int],
    browser: Any,  # noqa: F811
) -> None:
    """An article added or edited this month remakes that month's shard, not its year's; the
    search finds what a cold build's index finds."""
    served, port = server
    project = tmp_path / "project"
    write_corpus(project, 30)
    content = project / "content"
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the site's time zone
    before = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
    month, earlier = f"{today:%Y-%m}", f"{before:%Y}"
    dated(content / "story-001.md", today.isoformat(), "walrus")
    dated(content / "story-002.md", before.isoformat(), "pelican")
    configure(project, f"http://127.0.0.1:{port}/incremental/")
    build(project)
    site = project / "site"
    assert month == Shards.on(today).of(f"{today:%Y}", f"{today:%m}")
    assert month in shard_files(site)
    assert pages_in(site, month) == 1
    assert bundles_listed(site)[0] == f"pagefind/{month}/"  # the newest first
    os.symlink(site, served / "incremental")
    steps: list[tuple[str, Callable[[], None], str]] = [
        ("added today", lambda: dated(_new_story(content), today.isoformat(), "quokka"), month),
        ("edited this month", lambda: edit(content / "story-001.md", r"walrus", "zeppelin"),
         month),
        ("edited last month", lambda: edit(content / "story-002.md", r"pelican", "harbinger"),
         earlier),
    ]  # fmt: skip
    tab = Tab(browser, "desktop")
    try:
        for name, change, remade in steps:
            shards = shard_files(site)
            change()
            build(project)
            after = shard_files(site)
            assert [y for y in after if after[y] != shards.get(y)] == [remade], name
        assert pages_in(site, month) == 2
        cold = tmp_path / "cold"
        shutil.copytree(
            project, cold, ignore=shutil.ignore_patterns("site", ".site.prev", ".portal-*")
        )
        configure(cold, f"http://127.0.0.1:{port}/cold/")
        build(cold)
        os.symlink(cold / "site", served / "cold")
        mine = found(tab, site, f"http://127.0.0.1:{port}/incremental/")
        expected = found(tab, cold / "site", f"http://127.0.0.1:{port}/cold/")
    finally:
        tab.close()
    assert [[u.split("/incremental/", 1)[1] for u in q] for q in mine] == [
        [u.split("/cold/", 1)[1] for u in q] for q in expected
    ]
    assert expected[0] and expected[1] and expected[2]  # zeppelin, quokka, harbinger: found
    assert not tab.problems, "\n".join(tab.problems)


def test_a_new_month_moves_the_last_months_articles_into_their_years_shard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first build of a month (the day is an input like any other) folds the month
    before into its year's shard, and the search page lists the shards there are."""
    project = tmp_path / "project"
    write_corpus(project, 12)
    content = project / "content"
    dated(content / "story-001.md", "2021-11-20", "walrus")
    dated(content / "story-002.md", "2021-12-02", "pelican")
    configure(project, "https://example.org/sub/")
    config = load_config(project / "site.yaml")
    site = project / "site"
    in_2021 = [story for story in content.glob("*.md") if "date: 2021-" in story.read_text()]
    assert len(in_2021) > 2
    for day, pages, first in (
        (dt.date(2021, 12, 3), {"2021": len(in_2021) - 1, "2021-12": 1}, "2021-12"),
        (dt.date(2022, 1, 1), {"2021": len(in_2021)}, "2021"),
    ):
        monkeypatch.setattr(SiteConfig, "today", lambda self, day=day: day)
        Builder(config).build(say=lambda line: None)
        made = {shard: pages_in(site, shard) for shard in shard_files(site) if "2021" in shard}
        assert made == pages, day  # each page in one shard: December's in its own, then not
        assert bundles_listed(site)[0] == f"pagefind/{first}/"
        assert sorted(bundles_listed(site)) == sorted(f"pagefind/{s}/" for s in shard_files(site))


def _new_story(content: Path) -> Path:
    add_story(content)
    return content / "story-new.md"
