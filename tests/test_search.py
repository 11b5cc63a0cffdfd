"""Search with no server: the sample portal built with its Pagefind index under a subpath,
served by a real HTTP server on loopback and searched in headless Chromium (Debian's); and
builds without the index (--no-search, or no Pagefind) that still work and say so.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.test_browser import (
    ARTICLES,
    DOCS_SHOTS,
    SHOTS,
    SUBPATH,
    SubpathHandler,
    Tab,
    article_url,
    at,
    axe_violations,
    browser,  # noqa: F401 (the fixture, shared with the theme's browser tests)
    sync_api,
    texts,
    titles_with,
)
from tests.test_theme_html import ROOT

UKRAINE = "Harbin, Ukraine to further deepen business cooperation"
RESULT_LINKS = ".pagefind-ui__result-title a"


def make_project(folder: Path, base_url: str) -> Path:
    """The sample portal (content, seeds, site.yaml) with the repository's theme."""
    for name in ("content", "seeds"):
        shutil.copytree(ROOT / name, folder / name)
    config = yaml.safe_load((ROOT / "site.yaml").read_text("utf-8")) or {}
    config.update(themes_dir=str(ROOT / "themes"), theme="default", base_url=base_url)
    (folder / "site.yaml").write_text(json.dumps(config), "utf-8")  # JSON is YAML
    return folder


def run_build(project: Path, *options: str, python: list[str] | None = None) -> Any:
    command = python or [sys.executable, "-m", "generator", "build"]
    done = subprocess.run(
        command + list(options), cwd=project, capture_output=True, text=True, timeout=180
    )
    return done


def fragments(site: Path, shard: str = "*") -> list[dict[str, Any]]:
    """What Pagefind stored of each indexed page, in every shard (or one): gzip'd JSON after a
    signature."""
    found = []
    for path in sorted((site / "pagefind").glob(f"{shard}/fragment/*")):
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data[data.index(b"{") :]))
    return found


# --- The built site, served under /portal/ ---------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(site folder, base URL): built with the base URL of the server that serves it."""
    folder = tmp_path_factory.mktemp("search")
    site = folder / "site"
    handler = functools.partial(SubpathHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_port}{SUBPATH}"
    done = run_build(make_project(folder, base))
    assert done.returncode == 0, done.stderr
    assert "without the search index" not in done.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site, base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:  # noqa: F811
    """A desktop tab; the test fails on any console error, page error or failed request."""
    opened = Tab(browser, "desktop")
    yield opened
    opened.close()
    assert not opened.problems, "\n".join(opened.problems)


# --- The index ------------------------------------------------------------------------------


def test_bundle_indexes_only_the_articles(served: tuple[Path, str]) -> None:
    site, _ = served
    # One shard per year with articles, each a whole Pagefind bundle of that year's articles.
    years = {str(a["date"].year) for a in ARTICLES}
    assert {p.name for p in (site / "pagefind").iterdir()} == years
    for year in years:
        bundle = site / "pagefind" / year
        for name in ("pagefind.js", "pagefind-entry.json", "pagefind-ui.js", "pagefind-ui.css"):
            assert (bundle / name).is_file(), name
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        counts = [language["page_count"] for language in entry["languages"].values()]
        assert counts == [sum(str(a["date"].year) == year for a in ARTICLES)], year

    # Only article pages: list, tag, country and search pages are not results.
    pages = {f["url"]: f for f in fragments(site)}
    assert set(pages) == {"/" + article_url(a) for a in ARTICLES}
    ukraine = pages["/" + article_url(next(a for a in ARTICLES if a["title"] == UKRAINE))]
    # Its picture's address from the site's root (under the subpath), not relative to the page.
    assert ukraine["meta"] == {
        "title": UKRAINE,
        "date": "2020-12-04",
        "image": f"{SUBPATH}media/winter-city.jpg",
        "image_alt": next(a for a in ARTICLES if a["title"] == UKRAINE)["image_alt"],
    }
    assert ukraine["filters"] == {
        "country": ["China", "Ukraine"],
        "section": ["Foreign Exchanges"],
        "year": ["2020"],
    }
    # The body is what is searched, with the lead image's caption; the date line and the
    # country chips are not.
    caption = "Harbin, capital of Heilongjiang, China's northernmost province, in winter."
    body = "An economic and trade investment meeting"
    assert ukraine["content"].startswith(f"{UKRAINE}. {caption} Photo: ")
    assert body in ukraine["content"] and "December 4, 2020" not in ukraine["content"]


def test_pages_link_to_search(served: tuple[Path, str]) -> None:
    site, _ = served
    home = (site / "index.html").read_text("utf-8")
    assert f'<a href="{SUBPATH}search/">Search</a>' in home
    assert f'action="{SUBPATH}search/"' in home and 'name="q"' in home
    page = (site / "search" / "index.html").read_text("utf-8")
    assert f'<a href="{SUBPATH}search/" aria-current="page">Search</a>' in page
    newest = max(a["date"].year for a in ARTICLES)
    assert "<noscript>" in page and f'"{SUBPATH}pagefind/{newest}/"' in page


# --- Searching in a browser ------------------------------------------------------------------


def search(page: Any, term: str) -> None:
    page.locator(".pagefind-ui__search-input").fill(term)
    sync_api.expect(page.locator(".pagefind-ui__message")).to_contain_text(f"for {term}")


def result_titles(page: Any) -> set[str]:
    return set(texts(page, RESULT_LINKS))


def toggle_filter(page: Any, group: str, value: str) -> None:
    """Tick or untick a value of a filter group (Pagefind folds each group in a <details>)."""
    block = page.locator("details.pagefind-ui__filter-block").filter(
        has=page.locator("summary", has_text=group)
    )
    try:
        block.wait_for(state="attached", timeout=20_000)
    except sync_api.Error:
        # Seen twice in full runs on a loaded machine, never alone: Pagefind's UI showed the
        # results but not yet its filters. Once more from a fresh page, then fail.
        term = page.locator(".pagefind-ui__search-input").input_value()
        page.reload()
        search(page, term)
        block.wait_for(state="attached", timeout=20_000)
    if block.get_attribute("open") is None:
        block.locator("summary").click()
    block.locator(f'input[value="{value}"]').click()


def expect_results(page: Any, titles: set[str], timeout: float = 10.0) -> None:
    """Wait until the results are exactly these titles (in any order: by relevance)."""
    deadline = time.monotonic() + timeout
    while (shown := result_titles(page)) != titles and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert shown == titles


def test_typing_ukraine_finds_the_article(tab: Tab, served: tuple[Path, str]) -> None:
    _, base = served
    page = tab.open(base + "search/")
    sync_api.expect(page.locator(".pagefind-ui__search-input")).to_be_visible()
    page.locator(".pagefind-ui__search-input").press_sequentially("Ukraine", delay=30)
    link = page.locator(RESULT_LINKS, has_text=UKRAINE)
    sync_api.expect(link).to_be_visible()
    article = next(a for a in ARTICLES if a["title"] == UKRAINE)
    assert link.get_attribute("href") == SUBPATH + article_url(article)
    # The address follows the search box (once the UI has the whole word: wait for it).
    sync_api.expect(page).to_have_url(base + "search/?q=Ukraine")

    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("critical", "serious")]
    assert not serious, serious
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "desktop-search.png"), full_page=True)

    link.click()
    at(page, base + article_url(article))
    assert page.locator("h1").inner_text().strip() == UKRAINE


def test_the_shards_load_before_a_key_is_typed(tab: Tab, served: tuple[Path, str]) -> None:
    """The first results come sooner when the index is loaded while the reader reads: every
    shard's entry is fetched on opening the page, with no key pressed or box focused."""
    site, base = served
    fetched: list[str] = []
    tab.page.on("request", lambda request: fetched.append(request.url))
    page = tab.open(base + "search/")
    shards = sorted(p.name for p in (site / "pagefind").iterdir() if p.is_dir())
    assert len(shards) > 1, "the sample site spans several years: several shards"
    wanted = {f"{base}pagefind/{shard}/pagefind-entry.json" for shard in shards}
    deadline = time.monotonic() + 20
    while not wanted <= {u.partition("?")[0] for u in fetched} and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert wanted <= {u.partition("?")[0] for u in fetched}
    box = page.locator(".pagefind-ui__search-input")
    assert box.input_value() == "" and not box.evaluate("b => b === document.activeElement")


def test_filters_narrow_the_results(tab: Tab, served: tuple[Path, str]) -> None:
    _, base = served
    page = tab.open(base + "search/")
    search(page, "China")  # in the body of every article
    everything = {a["title"] for a in ARTICLES}
    expect_results(page, everything)

    toggle_filter(page, "Country", "South Korea")
    expect_results(page, titles_with("countries", "South Korea"))
    toggle_filter(page, "Country", "South Korea")
    expect_results(page, everything)

    toggle_filter(page, "Year", "2023")
    expect_results(page, {a["title"] for a in ARTICLES if a["date"].year == 2023})
    toggle_filter(page, "Year", "2023")

    toggle_filter(page, "Section", "Biz updates")
    expect_results(page, {a["title"] for a in ARTICLES if a.get("section") == "Biz updates"})
    if os.environ.get("PORTAL_DOCS_SCREENSHOTS"):
        toggle_filter(page, "Section", "Biz updates")
        search(page, "investment")
        page.locator(".pagefind-ui__search-input").blur()
        page.evaluate("window.scrollTo(0, 0)")
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SHOTS / "search.png"))


def test_search_form_on_every_page_leads_to_results(tab: Tab, served: tuple[Path, str]) -> None:
    _, base = served
    page = tab.open(base + "countries/")
    form = page.get_by_role("search")
    form.get_by_label("Search the news").fill("Ukraine")
    form.get_by_role("button", name="Search").click()
    at(page, base + "search/?q=Ukraine")
    sync_api.expect(page.locator(".pagefind-ui__search-input")).to_have_value("Ukraine")
    sync_api.expect(page.locator(RESULT_LINKS, has_text=UKRAINE)).to_be_visible()


def test_search_page_fits_a_phone(browser: Any, served: tuple[Path, str]) -> None:  # noqa: F811
    _, base = served
    tab = Tab(browser, "phone")
    try:
        page = tab.open(base + "search/?q=Ukraine")
        sync_api.expect(page.locator(RESULT_LINKS, has_text=UKRAINE)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{width}px wide"
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.pagefind-ui__search-input'))"
            ".fontSize)"
        )
        assert size >= 16  # a phone does not zoom into the box
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "phone-search.png"), full_page=True)
    finally:
        tab.close()
    assert not tab.problems, "\n".join(tab.problems)


# --- Building without the index ---------------------------------------------------------------


def test_no_search_option_builds_without_index_or_page(tmp_path: Path) -> None:
    project = make_project(tmp_path, "https://example.org/portal/")
    done = run_build(project, "--no-search")
    assert done.returncode == 0, done.stderr
    site = project / "site"
    assert (site / "index.html").is_file() and (site / "2020/12").is_dir()
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    for path in site.rglob("*.html"):
        text = path.read_text("utf-8")
        assert "/portal/search/" not in text and "/portal/pagefind/" not in text, path
        assert ">Search</a>" not in text and 'role="search"' not in text, path


def test_without_pagefind_the_build_works_and_says_so(tmp_path: Path) -> None:
    project = make_project(tmp_path, "https://example.org/portal/")
    no_pagefind = (  # neither package gives a binary (their import fails), nor does PATH
        "import os, sys; os.environ['PATH'] = '/nonexistent'; "
        "sys.modules['pagefind_bin'] = sys.modules['pagefind_bin_extended'] = None; "
        "from generator.cli import main; sys.exit(main(['build']))"
    )
    done = run_build(project, python=[sys.executable, "-c", no_pagefind])
    assert done.returncode == 0, done.stderr
    assert "search: " in done.stderr and "building without the search index" in done.stderr
    site = project / "site"
    assert (site / "index.html").is_file() and not (site / "pagefind").exists()
    # No search page, and no link to one, when there is no index to search.
    assert not (site / "search").exists()
    assert "search/" not in (site / "index.html").read_text("utf-8")


def build_with_pagefind_broken(project: Path) -> str:
    """A build whose Pagefind stops at once; the warning it gives (its build succeeds)."""
    broken = project.parent / "broken-pagefind"
    broken.write_text("#!/bin/sh\nexit 3\n", "utf-8")
    broken.chmod(0o755)
    environment = {**os.environ, "PAGEFIND_BINARY_PATH": str(broken)}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project, env=environment, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("search: Pagefind failed")]
    assert len(said) == 1 and said[0].endswith("to be made again by the next build"), done.stderr
    return said[0]


def indexed(site: Path, shard: str, word: str) -> bool:
    return any(word in json.dumps(fragment) for fragment in fragments(site, shard))


def test_a_shard_pagefind_fails_to_make_is_kept_and_made_by_the_next_build(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project", "https://example.org/portal/")
    assert run_build(project).returncode == 0
    site, shard = project / "site", "2015"
    name = "harbin-gets-plenty-of-project-and-investment-deals-in-beijing.md"  # of 2015
    source = project / "content" / name
    bundle = site / "pagefind" / shard

    def files() -> dict[str, bytes]:
        return {str(p.relative_to(bundle)): p.read_bytes() for p in bundle.rglob("*.*")}

    before = files()
    assert before and not indexed(site, shard, "Zanzibarite")
    source.write_text(source.read_text("utf-8") + "\nA Zanzibarite delegation came too.\n", "utf-8")
    build_with_pagefind_broken(project)
    # The page is published with the edit; its shard is the one before, not gone.
    pages = [p for p in site.glob("2015/*/*/index.html") if "Zanzibarite" in p.read_text("utf-8")]
    assert len(pages) == 1
    assert files() == before
    # Nothing changed since, and Pagefind works again: the next build still makes the shard.
    done = run_build(project)
    assert done.returncode == 0, done.stderr
    assert indexed(site, shard, "Zanzibarite") and files() != before
    assert "owed:" not in (site / ".portal-manifest").read_text("utf-8")


def test_a_new_shard_pagefind_fails_to_make_is_made_by_the_next_build(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", "https://example.org/portal/")
    assert run_build(project).returncode == 0
    site = project / "site"
    assert not (site / "pagefind" / "2011").exists()  # no article of 2011 yet
    # An article that shares no term with the others: no other page's indexed part changes
    # (not one related article), so its new shard is the only one Pagefind fails to make.
    (project / "content" / "lone.md").write_text(
        "---\ntitle: A lone note on Japanese fisheries\ndate: 2011-05-05\nsection: Letters\n"
        "countries: [Japan]\ntags: [fisheries]\nslug: lone-note-on-fisheries\n---\n\n"
        "A short note on the coastal fisheries of Hokkaido.\n",
        "utf-8",
    )
    build_with_pagefind_broken(project)
    assert (site / "2011/05/lone-note-on-fisheries/index.html").is_file()
    assert not (site / "pagefind" / "2011").exists()
    done = run_build(project)  # nothing changed since
    assert done.returncode == 0, done.stderr
    assert (site / "pagefind" / "2011" / "pagefind-entry.json").is_file()
    assert indexed(site, "2011", "Hokkaido")


def test_pictures_pagefind_skips_are_not_read() -> None:
    """`indexed.py` leaves out the images Pagefind skips: a page with and without one of them
    is the same to it exactly when Pagefind's fragments of the two are the same."""
    from generator.output import pagefind_service
    from generator.output.indexed import same_for_index

    def page(after: str) -> str:
        return (
            '<html lang="en"><head><title>T</title></head><body><nav><img src="/nav.png"></nav>'
            "<article data-pagefind-body><h1>Title</h1><p>Some words here.</p></article>"
            f"{after}</body></html>"
        )

    afters = [
        '<aside data-pagefind-ignore="all"><img src="/aside.png"></aside>',
        "<section data-pagefind-ignore='all'><div><img src=\"/deep.png\"></div></section>",
        '<img src="/self.png" data-pagefind-ignore="all">',
        '<aside data-pagefind-ignore><img src="/index.png"></aside>',  # only its text
        '<footer><img src="/footer.png"></footer>',
        '<aside data-pagefind-ignore="all"><img src="/a.png"></aside><img src="/b.png">',
    ]
    with pagefind_service.PagefindService(pagefind_service.executable()) as service:

        def fragment(html: str) -> bytes:
            index = service.new_index()
            service.add_file(index, "a/index.html", html)
            files = service.files(index)
            service.delete_index(index)
            [data] = [data for name, data in files.items() if name.startswith("fragment/")]
            return gzip.decompress(data)

        plain = fragment(page(""))
        for after in afters:
            same = fragment(page(after)) == plain
            assert same_for_index(page("").encode(), page(after).encode()) == same, after
        assert not all(fragment(page(after)) == plain for after in afters)


def test_what_pagefind_reads_of_a_page_is_told_apart_from_the_rest() -> None:
    from generator.output.indexed import indexed_part, same_for_index

    def page(body: str, around: str = "", head: str = "") -> bytes:
        return (
            f'<html lang="en"><head>{head}</head><body><nav>{around}</nav>'
            f"<article data-pagefind-body><h1>Title</h1><article>inner</article>{body}</article>"
            f'<aside data-pagefind-ignore="all">{around}</aside></body></html>'
        ).encode()

    assert same_for_index(page("text", "one"), page("text", "two"))  # outside the body
    assert not same_for_index(page("text"), page("other text"))
    assert indexed_part(page("text")) is not None
    part = indexed_part(page("after the inner article"))  # not ended by the inner one
    assert part is not None and b"after the inner article</article>" in part
    # Pagefind reads these outside the body too: the page's language, its filters and meta,
    # and the picture after the first h1.
    assert not same_for_index(page("text"), page("text").replace(b'lang="en"', b'lang="fr"'))
    marked = page("text", head='<meta data-pagefind-meta="image[content]" content="/a.png">')
    assert indexed_part(marked) is None
    assert indexed_part(page("text", '<b DATA-PAGEFIND-FILTER="kind:x"></b>')) is None
    # Not a picture in an element marked data-pagefind-ignore="all" (the aside), which
    # Pagefind skips (test_pictures_pagefind_skips_are_not_read checks it does).
    assert same_for_index(*[page("text", f'<img src="/{name}.png">') for name in "ab"])
    after_body = [page("text") + f'<img src="/{name}.png">'.encode() for name in "ab"]
    assert not same_for_index(*after_body)  # read: no marked element holds it
    unclosed = [page("text", f'<img src="/{n}.png">').replace(b"</aside>", b"") for n in "ab"]
    assert not same_for_index(*unclosed)  # where the aside ends is not known: its images count
    # With no h1 anywhere, the result's title is the page's <title>.
    untitled = [
        page("text", head=f"<title>{name}</title>").replace(b"<h1>Title</h1>", b"") for name in "ab"
    ]
    assert not same_for_index(*untitled)
    titled = [page("text", head=f"<title>{name}</title>") for name in "ab"]
    assert same_for_index(*titled)  # an h1 is the title: the <title> is not read
    twice = page("<div data-pagefind-body>again</div>")
    assert indexed_part(twice) is None
    assert indexed_part(page("text").replace(b"</article><aside", b"<aside")) is None
