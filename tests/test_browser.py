"""What a reader sees: the sample portal served under a subpath by a real HTTP server on
loopback, opened in headless Chromium (Debian's) on a desktop and on a phone, checked with
axe-core, clicked through, with and without JavaScript. Screenshots go to tests/screenshots/;
PORTAL_DOCS_SCREENSHOTS=1 also refreshes the README's, in docs/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.test_theme_html import PAGINATE, ROOT, build_sample, missing_tool

try:
    from playwright import sync_api
except ImportError:
    sync_api = None
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "tests" / "screenshots"
DOCS_SHOTS = ROOT / "docs" / "screenshots"
SUBPATH = "/portal/"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


# --- What the content says the pages must show -----------------------------------------------


def _front_matter(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


ARTICLES = sorted(
    (_front_matter(p) for p in (ROOT / "content").glob("*.md")),
    key=lambda a: (a["date"], a["title"]),
    reverse=True,
)
ARTICLE = next(a for a in ARTICLES if "South Korea" in a["countries"] and "health" in a["tags"])
COUNTRY, TAG = "South Korea", "health"


def article_url(article: dict[str, Any]) -> str:
    return f"{article['date']:%Y/%m}/{article['slug']}/"


def titles_with(key: str, value: str) -> set[str]:
    return {a["title"] for a in ARTICLES if value in a[key]}


PAGES = {
    "home": "",
    "article": article_url(ARTICLE),
    "tag": "tags/health/",
    "country": "countries/south-korea/",
}


# --- A real server, a real browser ------------------------------------------------------------


class SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder at SUBPATH only, as GitHub Pages serves a project site."""

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(SUBPATH):
            return "/nonexistent/outside-the-subpath"
        return super().translate_path("/" + path[len(SUBPATH) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_sample(tmp_path_factory.mktemp("browser"), "http://127.0.0.1:8000" + SUBPATH)
    handler = functools.partial(SubpathHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{SUBPATH}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if sync_api is None:
        missing_tool("the playwright package is not installed (pip install -e .[test])")
    if not Path(CHROMIUM).is_file():
        missing_tool("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Tab:
    """A page in a fresh context that records every console error, page error and failed
    request, so a test can assert there were none."""

    def __init__(self, browser: Any, viewport: str, javascript: bool = True):
        self.context = browser.new_context(
            viewport=VIEWPORTS[viewport], java_script_enabled=javascript
        )
        self.page = self.context.new_page()
        self.viewport = viewport
        self.problems: list[str] = []
        page = self.page
        page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on(
            "response",
            lambda r: (
                self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
            ),
        )

    def _failed(self, request: Any) -> None:
        # Following a link cancels what the page was still loading (its favicon, say): that is
        # no fault. A file really missing answers 404, which the response handler records.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def open(self, url: str) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tabs(browser: Any) -> Iterator[Any]:
    opened: list[Tab] = []

    def open_tab(viewport: str = "desktop", javascript: bool = True) -> Tab:
        opened.append(Tab(browser, viewport, javascript))
        return opened[-1]

    yield open_tab
    for tab in opened:
        tab.close()
    problems = [p for tab in opened for p in tab.problems]
    assert not problems, "\n".join(problems)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
    )


def at(page: Any, url: str) -> None:
    """Wait until the page is at url (a click navigates asynchronously)."""
    sync_api.expect(page).to_have_url(url)
    page.wait_for_load_state()


def texts(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if os.environ.get("PORTAL_DOCS_SCREENSHOTS") and name.split("-")[1] in ("home", "article"):
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SHOTS / f"{name}.png"))


# --- The tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", PAGES)
def test_page_looks_right_and_is_accessible(tabs, base_url: str, viewport: str, kind: str) -> None:
    tab = tabs(viewport)
    page = tab.open(base_url + PAGES[kind])

    # The furniture of a news portal, visible on every page.
    brand = page.locator(".masthead .brand")
    assert brand.is_visible() and brand.inner_text() == "Harbin Cooperation News"
    assert brand.get_attribute("href") == SUBPATH
    sections = page.get_by_role("navigation", name="Sections")
    for name in ("Home", "Countries", "Topics", "Archive"):
        assert sections.get_by_role("link", name=name, exact=True).is_visible(), name
    partners = page.get_by_role("navigation", name="Partner countries")
    assert partners.get_by_role("link", name=COUNTRY).is_visible()
    assert partners.locator(".flag").count() >= 3

    # What this page is about.
    h1 = page.locator("h1").inner_text().strip()
    cards = set(texts(page, ".cards .card-title"))
    if kind == "home":
        assert h1 == "Latest news"
        assert texts(page, "main .front > .cards > .card .card-title") == [
            a["title"] for a in ARTICLES[:PAGINATE]
        ]
        pager = page.get_by_role("navigation", name="Pages")
        assert pager.get_by_role("link", name="Older").is_visible()
    elif kind == "article":
        assert h1 == ARTICLE["title"]
        assert page.title().startswith(ARTICLE["title"])
        story = page.locator("article.story")
        for country in ARTICLE["countries"]:
            assert story.get_by_role("link", name=country, exact=True).is_visible()
        assert ARTICLE["summary"][:60] in story.locator(".body").inner_text()
    elif kind == "tag":
        assert h1 == TAG
        assert cards == titles_with("tags", TAG)
    elif kind == "country":
        assert h1.endswith(COUNTRY)
        assert cards == titles_with("countries", COUNTRY)

    # Fits the screen: nothing wider than the viewport, text big enough to read.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], f"{width}px wide"
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16

    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("critical", "serious")]
    assert not serious, serious
    screenshot(page, f"{viewport}-{kind}")


def test_article_typography_is_readable(tabs, base_url: str) -> None:
    page = tabs("desktop").open(base_url + PAGES["article"])
    paragraph = page.locator("article.story .body p").first
    style = paragraph.evaluate(
        """p => { const s = getComputedStyle(p);
                  return {size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight),
                          width: p.getBoundingClientRect().width}; }"""
    )
    assert style["size"] >= 17
    assert style["line"] / style["size"] >= 1.45
    # A comfortable measure: at most about 80 characters to a line.
    assert style["width"] <= 40 * style["size"], style


def test_phone_section_menu_reachable(tabs, base_url: str) -> None:
    """On a phone every section link can be seen: the menu wraps instead of running off."""
    page = tabs("phone").open(base_url)
    for link in page.get_by_role("navigation", name="Sections").get_by_role("link").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, link.inner_text()
        assert box["height"] >= 24, "touch target too small"


def test_following_links(tabs, base_url: str) -> None:
    tab = tabs("desktop")
    page = tab.open(base_url)

    # A headline on the home page leads to its article.
    first = page.locator(".card-title a").first
    title = first.inner_text().strip()
    first.click()
    at(page, base_url + article_url(ARTICLES[0]))
    assert page.locator("h1").inner_text().strip() == title

    # The pager leads to older news, and back.
    page.goto(base_url)
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Older").click()
    at(page, base_url + "page/2/")
    assert texts(page, "main .front > .cards > .card .card-title") == [
        a["title"] for a in ARTICLES[PAGINATE : 2 * PAGINATE]
    ]
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Newer").click()
    at(page, base_url)

    # The partner strip leads to a country; the country page to its article; the article's
    # topic to the tag page that lists it.
    page.get_by_role("navigation", name="Partner countries").get_by_role(
        "link", name=COUNTRY
    ).click()
    at(page, base_url + PAGES["country"])
    page.get_by_role("link", name=ARTICLE["title"], exact=True).click()
    at(page, base_url + PAGES["article"])
    page.locator(".story-tags").get_by_role("link", name=TAG, exact=True).click()
    at(page, base_url + PAGES["tag"])
    assert ARTICLE["title"] in texts(page, ".cards .card-title")


def test_usable_without_javascript(tabs, base_url: str) -> None:
    """With JavaScript off, a phone reader goes from the menu to a country to an article."""
    tab = tabs("phone", javascript=False)
    page = tab.open(base_url)
    assert len(texts(page, ".card-title")) == PAGINATE
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Countries").click()
    at(page, base_url + "countries/")
    page.locator("table").get_by_role("link", name=COUNTRY).click()
    at(page, base_url + PAGES["country"])
    page.get_by_role("link", name=ARTICLE["title"], exact=True).click()
    at(page, base_url + PAGES["article"])
    assert page.locator("h1").inner_text().strip() == ARTICLE["title"]
    screenshot(page, "phone-nojs-article")
