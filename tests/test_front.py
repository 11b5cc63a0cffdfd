"""The front page's side column: the most active partner countries over the year up to the
newest article, the latest story of each section; kept exact by builds in a new process after
a title edit, and beside the stories on a desktop, under them on a phone (headless Chromium)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.build import Builder
from generator.config import load_config
from tests.conftest import ROOT, write_files
from tests.imagegen import jpeg
from tests.test_browser import VIEWPORTS, browser  # noqa: F401 (the fixture, shared)
from tests.test_incremental import cold_build, edit

QUIET: dict[str, Any] = {"say": lambda _: None, "warn": lambda _: None}

# (slug, date, section, countries): the newest is 2024-06-01, so the year's window starts on
# 2023-06-03; Chile's two articles are older, Brazil's last is older too.
STORIES = [
    ("port-deal", "2024-06-01", "Biz updates", ["China", "Ukraine", "Germany"]),
    ("students", "2024-05-20", "Foreign Exchanges", ["China", "Ukraine"]),
    ("railway", "2024-03-02", "Biz updates", ["China", "Germany", "Ukraine"]),
    ("festival", "2023-09-09", "Culture", ["China", "Spain"]),
    ("forum", "2023-06-03", "Biz updates", ["China", "Spain", "Brazil"]),
    ("old-mine", "2023-06-02", "Biz updates", ["China", "Chile", "Brazil"]),
    ("old-farm", "2021-01-05", "Foreign Exchanges", ["China", "Chile"]),
]


def write_site(root: Path) -> None:
    files: dict[str, str | bytes] = {
        "site.yaml": f"title: Front\nbase_url: https://example.org/\npaginate: 2\n"
        f"search: false\nthemes_dir: {ROOT / 'themes'}\n"
    }
    for slug, date, section, countries in STORIES:
        files[f"content/{slug}.md"] = (
            f"---\ntitle: Story {slug}\ndate: {date}\nsection: {section}\nslug: {slug}\n"
            f"countries: [{', '.join(countries)}]\ntags: [trade]\nimage: media/{slug}.jpg\n"
            f"image_alt: A drawing for {slug}\n---\n\nThe {slug} story.\n"
        )
        files[f"content/media/{slug}.jpg"] = jpeg(1600, 1000, seed=len(files))
    write_files(root, files)


class _Side(HTMLParser):
    """The side column's two lists, as a reader sees them: partner (name, count) rows, and
    (section, title) rows."""

    def __init__(self) -> None:
        super().__init__()
        self.partners: list[tuple[str, str]] = []
        self.latest: list[tuple[str, str]] = []
        self.note = ""
        self._list: str | None = None
        self._row: list[str] = []
        self._in_note = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("ol", "ul") and {"side-partners", "side-latest"} & set(classes):
            self._list = classes[0]
        elif tag == "li" and self._list:
            self._row = []
        elif tag == "p" and "side-note" in classes:
            self._in_note = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._list:
            cells = [c.strip() for c in self._row if c.strip()]
            rows = self.partners if self._list == "side-partners" else self.latest
            rows.append((cells[0], cells[1]))
        elif tag in ("ol", "ul"):
            self._list = None
        elif tag == "p":
            self._in_note = False

    def handle_data(self, data: str) -> None:
        if self._list:
            self._row.append(data)
        if self._in_note:
            self.note += data


def side_of(page: Path) -> _Side:
    parser = _Side()
    parser.feed(page.read_text("utf-8"))
    return parser


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "front"
    write_site(root)
    Builder(load_config(root / "site.yaml")).build(**QUIET)
    return root


def test_the_side_column_ranks_the_years_partners(project: Path) -> None:
    side = side_of(project / "site" / "index.html")
    # China, the home country, is in every story: left out. Chile only before the window.
    assert side.partners == [("Ukraine", "3"), ("Germany", "2"), ("Spain", "2"), ("Brazil", "1")]
    assert side.note.split() == ["Articles", "since", "June", "3,", "2023"]
    # Sections by their number of articles, each with its newest story.
    assert side.latest == [
        ("Biz updates", "Story port-deal"),
        ("Foreign Exchanges", "Story students"),
        ("Culture", "Story festival"),
    ]
    # Every page of the home list has it; the lists of a section do not.
    assert side_of(project / "site" / "page" / "2" / "index.html").latest == side.latest
    section = project / "site" / "sections" / "culture" / "index.html"
    assert side_of(section).latest == []


class _Pictures(HTMLParser):
    """The <img> of each card of a list, in order, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str | None]] = []
        self._in_card = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" and "card" in (dict(attrs).get("class") or "").split():
            self._in_card = True
        elif tag == "img" and self._in_card and "flag" not in (dict(attrs).get("class") or ""):
            self.cards.append(dict(attrs))
            self._in_card = False


def test_the_lead_story_shows_its_image_wide_and_first(project: Path) -> None:
    pictures = _Pictures()
    pictures.feed((project / "site" / "index.html").read_text("utf-8"))
    lead, second = pictures.cards[0], pictures.cards[1]
    assert lead["alt"] == "A drawing for port-deal"
    assert (lead["loading"], lead["fetchpriority"]) == ("eager", "high")
    widths = [entry.split()[1] for entry in (lead["srcset"] or "").split(", ")]
    assert widths == ["480w", "960w", "1440w"], "the whole image in its widths, not a crop"
    assert "50rem" in (lead["sizes"] or "")
    # The other stories: a small crop, loaded when near.
    assert second["loading"] == "lazy" and "fetchpriority" not in second
    assert [e.split()[1] for e in (second["srcset"] or "").split(", ")] == ["320w", "640w"]
    assert (second["width"], second["height"]) == ("640", "360")


@pytest.mark.parametrize("mode", ["one process", "preview", "new process"])
def test_a_title_edit_reaches_the_column(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "front"
    write_site(root)
    options = {"keep_plan": mode != "new process", "private_output": mode == "preview"}
    builder = Builder(load_config(root / "site.yaml"), **options)
    builder.build(**QUIET)
    # 'festival' is on page 2 of the home list, not page 1: only the column shows it there.
    story = root / "content" / "festival.md"
    edit(story, r"^title: .*$", "title: Lantern night")
    if mode == "new process":  # a new builder: the plan index
        builder = Builder(load_config(root / "site.yaml"), **options)
    builder.build(**QUIET, changed={story.resolve()} if mode == "preview" else None)
    home = root / "site" / "index.html"
    assert ("Culture", "Lantern night") in side_of(home).latest
    clean = cold_build(root, tmp_path / "scratch")
    assert home.read_bytes() == clean["index.html"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("front-served")
    write_site(root)
    Builder(load_config(root / "site.yaml")).build(**QUIET)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_column_sits_beside_the_stories_on_a_desktop(
    browser: Any,  # noqa: F811
    served: str,
    viewport: str,
) -> None:
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    try:
        page.goto(served)
        cards = page.locator(".front > .cards").bounding_box()
        side = page.locator(".front-side").bounding_box()
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.close()
    assert cards and side
    assert width <= VIEWPORTS[viewport]["width"], "nothing wider than the screen"
    if viewport == "desktop":
        assert side["x"] >= cards["x"] + cards["width"], "beside the stories"
        assert side["y"] < cards["y"] + 200, "from the top, not under them"
    else:
        assert side["y"] >= cards["y"] + cards["height"], "under the stories"
