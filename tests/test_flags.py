"""Country flags are SVG images from the theme's flag set (tools/make_flags.py), never emoji:
beside each country's name, loaded in a real browser at the site's root and under a subpath,
published only when shown, and kept exact by incremental builds."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.build import Builder
from generator.config import load_config
from generator.model.gazetteer import load_gazetteer
from generator.output import write
from generator.plain import build_plain
from tests.conftest import ROOT, write_files
from tests.test_browser import browser  # noqa: F401 (the fixture, shared)
from tests.test_incremental import cold_build, snapshot, stamps

FLAGS = ROOT / "themes" / "default" / "static" / "flags"
# Former countries: in the gazetteer (countryinfo), not in the flag set.
WITHOUT_FLAG = {"an", "cs"}
EMOJI_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]")  # a regional indicator letter
QUIET: dict[str, Any] = {"say": lambda _: None, "warn": lambda _: None}

ARTICLE = "2024/03/trade-talks/"
# Each country of the article, with its flag's file; Serbia and Montenegro has none.
SHOWN = {"China": "cn", "South Korea": "kr", "Japan": "jp"}


def story(slug: str, date: str, countries: str) -> str:
    return f"""
        ---
        title: {slug.replace("-", " ").capitalize()}
        date: {date}
        section: Biz updates
        countries: [{countries}]
        tags: [trade]
        summary: About {slug}.
        slug: {slug}
        ---

        Delegations met to talk about {slug}.
        """


def make_site(root: Path, base_url: str) -> Path:
    """A small site on the repository's theme (copied: the incremental tests edit it)."""
    write_files(
        root,
        {
            "content/trade-talks.md": story(
                "trade-talks", "2024-03-05", "China, South Korea, Japan"
            ),
            "content/old-ties.md": story("old-ties", "2005-06-01", "China, Serbia and Montenegro"),
            "content/port-visit.md": story("port-visit", "2023-01-09", "China, South Korea"),
            "site.yaml": json.dumps(
                {
                    "title": "Flag Test",
                    "base_url": base_url,
                    "themes_dir": str(root / "themes"),
                    "search": False,
                }
            ),
        },
    )
    shutil.copytree(ROOT / "themes", root / "themes")
    return root


def build(root: Path) -> Path:
    Builder(load_config(root / "site.yaml")).build(**QUIET)
    return root / "site"


# --- The flag set in the repository ----------------------------------------------------------


def test_the_set_has_a_flag_for_every_country_of_the_gazetteer() -> None:
    codes = {c.iso2.lower() for c in load_gazetteer().countries.values()}
    files = {p.stem for p in FLAGS.glob("*.svg")}
    assert files == codes - WITHOUT_FLAG
    for path in FLAGS.glob("*.svg"):
        svg = path.read_text("utf-8")
        # The 4x3 variant, drawn to its viewBox: the <img> gives it its size.
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"'), path.name
        assert 'viewBox="0 0 640 480"' in svg.split(">", 1)[0], path.name
    licence = (FLAGS / "LICENSE.txt").read_text("utf-8")
    assert "flag-icons" in licence and "The MIT License" in licence


# --- What a build publishes ------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(make_site(tmp_path_factory.mktemp("flags"), "https://example.org/portal/"))


def test_only_the_flags_shown_are_published(built: Path) -> None:
    published = {p.name for p in (built / "flags").iterdir()}
    assert published == {f"{code}.svg" for code in SHOWN.values()} | {"LICENSE.txt"}
    assert (built / "flags/kr.svg").read_bytes() == (FLAGS / "kr.svg").read_bytes()


def test_no_emoji_flags_in_pages_feeds_or_json_ld(built: Path) -> None:
    texts = [p for p in built.rglob("*") if p.suffix in (".html", ".xml", ".json", ".txt")]
    assert any(p.suffix == ".xml" for p in texts) and len(texts) > 10
    for path in texts:
        assert not EMOJI_FLAG.search(path.read_text("utf-8")), path


def test_a_flag_is_a_decorative_image_before_the_name_in_its_link(built: Path) -> None:
    flag = '<img class="flag" src="/portal/flags/kr.svg" width="20" height="15" alt=""'
    home = (built / "index.html").read_text("utf-8")
    assert f'<a href="/portal/countries/south-korea/">{flag}> South Korea</a>' in home
    # In the article's text, which Pagefind indexes, kept out of it: Pagefind would show the
    # first image after the h1 as the search result's picture.
    page = (built / ARTICLE / "index.html").read_text("utf-8")
    searched = f'{flag} data-pagefind-ignore="all">'
    assert f'data-country="South Korea">{searched} South Korea</a>' in page
    # Nor any flag after the h1 (related articles' cards): none is the article's picture.
    after_title = page.split("<h1", 1)[1]
    searched_part = re.sub(
        r'<section[^>]*data-pagefind-ignore="all".*?</section>', "", after_title, flags=re.S
    )
    assert 'class="related"' in after_title and 'class="related"' not in searched_part
    flags = re.findall(r'<img class="flag"[^>]*>', searched_part)
    assert flags and all('data-pagefind-ignore="all"' in f for f in flags), flags
    # A country with no flag in the set shows its name alone, and no broken image.
    old = (built / "2005/06/old-ties/index.html").read_text("utf-8")
    assert 'data-country="Serbia and Montenegro">Serbia and Montenegro</a>' in old


# --- In a browser ----------------------------------------------------------------------------


def handler_under(prefix: str) -> type[http.server.SimpleHTTPRequestHandler]:
    """A handler serving its folder at `prefix` only, as GitHub Pages serves a project site."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            path = path.split("?", 1)[0].split("#", 1)[0]
            if not path.startswith(prefix):
                return "/nonexistent/outside-the-prefix"
            return super().translate_path("/" + path[len(prefix) :])

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="module", params=["/", "/portal/"], ids=["root", "subpath"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The small site built for, and served at, the root or a subpath of a real HTTP server on
    loopback; the URL of its home page."""
    prefix: str = request.param
    # Links are root-relative (the base URL's path), so the port built for needs no server.
    site = build(make_site(tmp_path_factory.mktemp("served"), "http://127.0.0.1:8000" + prefix))
    handler = functools.partial(handler_under(prefix), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# What the browser says of the flag in a country's link: the image, its size, what is beside it.
FLAG_IN_LINK = """link => {
    const img = link.querySelector("img.flag");
    if (!img) return null;
    const box = img.getBoundingClientRect(), next = img.nextSibling;
    const flag = {
        src: img.getAttribute("src"), alt: img.getAttribute("alt"),
        width: img.getAttribute("width"), height: img.getAttribute("height"),
        naturalWidth: img.naturalWidth, shown: [box.width, box.height],
        first: link.firstChild === img, beside: null,
    };
    if (next && next.nodeType === Node.TEXT_NODE) {
        const text = document.createRange();
        text.selectNodeContents(next);
        const words = text.getBoundingClientRect();
        flag.beside = next.textContent.trim();
        flag.gap = words.left - box.right;
        flag.middles = [box.top + box.height / 2, words.top + words.height / 2];
    }
    return flag;
}"""


def flag_beside(link: Any) -> dict[str, Any] | None:
    """The flag of a country's link, once loaded (within a deadline, never a fixed sleep)."""
    image = link.locator("img.flag")
    if image.count() == 0:
        return None
    # `complete` holds once the image loaded, or failed to (then its naturalWidth is 0).
    link.page.wait_for_function("img => img.complete", arg=image.element_handle(), timeout=5000)
    return link.evaluate(FLAG_IN_LINK)


def open_page(browser: Any, url: str) -> tuple[Any, Any, list[str]]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    failures: list[str] = []
    page.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    page.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return context, page, failures


@pytest.mark.parametrize(
    "where, within",
    [
        (ARTICLE, "article.story ul.countries"),  # the article's partner list, not the menu's
        ("countries/", "table.terms-table"),
    ],
    ids=["article", "countries"],
)
def test_each_country_shows_a_loaded_flag_beside_its_name(
    browser: Any,  # noqa: F811
    served: str,
    where: str,
    within: str,
) -> None:
    context, page, failures = open_page(browser, served + where)
    try:
        part = page.locator(within)
        for name, code in SHOWN.items():
            link = part.get_by_role("link", name=name, exact=True)
            assert link.count() == 1, name
            flag = flag_beside(link)
            assert flag is not None, f"{name}: no flag"
            # Served from the site, under its subpath if it has one.
            assert flag["src"] == urlsplit(served).path + f"flags/{code}.svg", name
            assert flag["naturalWidth"] > 0, f"{name}: the image did not load"
            assert (flag["width"], flag["height"], flag["alt"]) == ("20", "15", ""), name
            width, height = flag["shown"]
            assert height > 5 and abs(width / height - 4 / 3) < 0.05, (name, flag["shown"])
            # In the link, first, then the name as text; side by side on one line.
            assert flag["first"] and flag["beside"] == name, (name, flag)
            assert 0 <= flag["gap"] < 10, (name, flag["gap"])
            top, words = flag["middles"]
            assert abs(top - words) < 4, (name, flag["middles"])
        if where == ARTICLE:
            assert flag_beside(part.get_by_role("link", name="Serbia and Montenegro")) is None
        assert not failures, failures
    finally:
        context.close()


# --- Incremental builds ----------------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def flag_steps(root: Path) -> list[tuple[str, Any]]:
    content, flags = root / "content", root / "themes/default/static/flags"
    return [
        ("a country added", lambda: edit(content / "port-visit.md", "South Korea]", "Finland]")),
        ("a flag of the theme changed", lambda: edit(flags / "fi.svg", "#fff", "#eee")),
        # A site's static/ may replace a flag of the theme, like any static file.
        (
            "a flag replaced by the site",
            lambda: write_files(root, {"static/flags/jp.svg": "<svg/>"}),
        ),
        ("a flag no page shows changed", lambda: edit(flags / "fr.svg", "#fff", "#eee")),
        ("a country's last article deleted", lambda: (content / "trade-talks.md").unlink()),
        ("nothing", lambda: None),
    ]


@pytest.mark.parametrize("mode", ["one process", "preview", "new process each build"])
def test_incremental_builds_publish_the_flags_a_cold_build_does(tmp_path: Path, mode: str) -> None:
    root = make_site(tmp_path / "project", "https://example.org/portal/")
    keep = mode != "new process each build"
    options = {"keep_plan": keep, "private_output": mode == "preview"}
    builder = Builder(load_config(root / "site.yaml"), **options)
    builder.build(**QUIET)
    for name, change in flag_steps(root):
        before = stamps(root)
        change()
        after = stamps(root)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        if not keep:
            builder = Builder(load_config(root / "site.yaml"), **options)
        builder.build(changed=changed if mode == "preview" else None, **QUIET)
        incremental = snapshot(root / "site")
        expected = cold_build(root, tmp_path)
        if mode == "preview":  # its own folder's manifest is in page order, not sorted
            manifests = (incremental.pop(write.MANIFEST), expected.pop(write.MANIFEST))
            same = [write.parse_manifest(m.decode("utf-8")) for m in manifests]
            assert same[0] == same[1], name
        assert sorted(incremental) == sorted(expected), name
        assert [n for n in expected if incremental[n] != expected[n]] == [], name
    published = {n for n in incremental if n.startswith("flags/")}
    assert published == {"flags/cn.svg", "flags/fi.svg", "flags/LICENSE.txt"}
    assert incremental["flags/fi.svg"] == (root / "themes/default/static/flags/fi.svg").read_bytes()


def test_built_twice_and_built_plain_the_flags_are_the_same_bytes(tmp_path: Path) -> None:
    root = make_site(tmp_path / "project", "https://example.org/portal/")
    first = snapshot(build(root))
    assert snapshot(build(root)) == first
    plain = make_site(tmp_path / "plain", "https://example.org/portal/")
    build_plain(load_config(plain / "site.yaml"), **QUIET)
    assert snapshot(plain / "site") == first
    assert {"flags/cn.svg", "flags/jp.svg", "flags/kr.svg"} <= set(first)
