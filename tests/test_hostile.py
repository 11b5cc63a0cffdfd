"""Hostile content cannot escape: not out of the output folder, not into a reader's browser."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from generator.config import ConfigErrors, load_config
from generator.errors import InputError
from generator.incremental.outputs import write_site
from generator.model.article import ContentErrors
from generator.pages.records import Page
from tests.test_build import build_project, make_project


def every_file(root: Path) -> set[Path]:
    return {p.resolve() for p in root.parent.rglob("*") if p.is_file()}


def test_names_cannot_leave_the_output_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    nasty = [
        "../../../escape", "/etc/passwd", "..", "a/../../b", "C:\\\\Windows", "CON", "nul",
        "lpt1", "x" * 5000, "Trade", "trade", "TRADE", "\u0000zero", "..\\\\..\\\\win",
    ]  # fmt: skip
    quoted = ", ".join(json.dumps(n) for n in nasty)
    (root / "content/nasty.md").write_text(
        f'---\ntitle: Nasty names\ndate: 2021-05-05\nsection: "../../sections"\n'
        f"tags: [{quoted}]\ncountries: [{quoted}]\nplaces: [{quoted}]\n---\n\nBody.\n"
    )
    before = every_file(root)
    out = build_project(root)
    written = every_file(root) - before
    site = (root / "site").resolve()
    spare = (root / ".site.prev").resolve()
    cache = (root / ".portal-cache").resolve()
    for path in written:
        assert site in path.parents or spare in path.parents or cache in path.parents, path
    assert not (tmp_path / "escape").exists() and not (root / "escape").exists()
    tags = {p.name for p in (out / "tags").iterdir() if p.is_dir()}
    assert "trade" in tags and not {"Trade", "TRADE"} & tags  # one page, whatever the case
    assert {"con-", "nul-", "lpt1-"} <= tags  # Windows-reserved names get a suffix
    assert all(len(name) <= 80 for name in tags)
    assert all(".." not in name and "\\" not in name for name in tags)


def test_a_bad_slug_is_an_error(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    for number, slug in enumerate(["../../x", "/abs", "UPPER", "a" * 500, "a b", "nul\u0000"]):
        (root / f"content/s{number}.md").write_text(
            f"---\ntitle: T{number}\ndate: 2021-01-01\nslug: {json.dumps(slug)}\n---\n\nB.\n"
        )
    with pytest.raises(ContentErrors) as caught:
        build_project(root)
    assert len(caught.value.errors) == 6
    assert all(e.key == "slug" and e.line == 4 for e in caught.value.errors)


def test_writer_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    for name in ("../x.html", "/abs.html", "a/../../x", "a\\b", "c:x", "a//b", "x\x00"):
        with pytest.raises(InputError, match="not inside the site"):
            write_site([Page(name, None, {}, "f", b"x")], tmp_path / "out", lambda p: b"")
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "out").exists()


def test_the_writers_check_of_all_names_at_once_agrees_with_the_check_of_each() -> None:
    from generator.output.write import _all_inside, _inside

    rng = random.Random(5)
    alphabet = ["a", "/", ".", "\n", "\\", ":", "\x00", "\x1f", "\x7f", "-", "é", "\x85", "\ud800"]
    for _ in range(20_000):
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        assert _all_inside(["ok/index.html", name]) == _inside(name), repr(name)
    assert _all_inside(["index.html", "2024/01/a/index.html", "..a/b", ".well-known/x"])


def test_yaml_object_tags_are_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "content/evil.md").write_text(
        "---\ntitle: !!python/object/apply:os.system ['touch pwned']\ndate: 2021-01-01\n---\n\nB.\n"
    )
    with pytest.raises(ContentErrors) as caught:
        build_project(root)
    [error] = caught.value.errors
    assert error.line == 2 and "invalid YAML" in str(error)
    assert not (root / "pwned").exists() and not Path("pwned").exists()


def test_script_in_title_tag_summary_shows_as_text(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "content/xss.md").write_text(
        '---\ntitle: "<script>alert(1)</script>"\ndate: 2021-01-01\n'
        'tags: ["<img src=x onerror=alert(2)>"]\ncountries: [China]\n'
        'summary: "</script><script>alert(3)</script>"\nsection: "<b>bold</b>"\n---\n\n'
        "[click](javascript:alert(4)) ![i](data:text/html,<script>alert(5)</script>)\n"
    )
    out = build_project(root)
    pages = [p.read_text("utf-8") for p in out.rglob("*.html")]
    pages += [p.read_text("utf-8") for p in out.rglob("*.xml")]
    for text in pages:
        for payload in ("<script>alert", "<img src=x", "javascript:alert", "<b>bold</b>"):
            assert payload not in text
    article = next(out.glob("2021/01/*/index.html")).read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "\\u003c/script\\u003e" in article  # JSON-LD cannot close its script element


def test_config_paths_are_checked(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("theme: ../../etc\n")
    with pytest.raises(ConfigErrors) as caught:
        load_config(tmp_path / "site.yaml")
    assert "theme: '../../etc' is not a plain folder name" in str(caught.value)
    (tmp_path / "site.yaml").write_text('cname: "news.example.org\\tx"\n')
    with pytest.raises(ConfigErrors) as caught:
        load_config(tmp_path / "site.yaml")
    assert "cname: 'news.example.org\\tx' is not a domain name" in str(caught.value)
    (tmp_path / "site.yaml").write_text("cname: news.example.org\n")
    assert load_config(tmp_path / "site.yaml").cname == "news.example.org"
    root = make_project(tmp_path / "p")
    for output in (".", "content", "content/site", ".."):
        config = json.loads((root / "site.yaml").read_text())
        config["output_dir"] = output
        (root / "site.yaml").write_text(json.dumps(config))
        with pytest.raises(InputError, match="overlaps"):
            build_project(root)
    assert len(list((root / "content").glob("*.md"))) == 5


@pytest.mark.parametrize(
    "markdown",
    [
        "[a](javascript:alert(1))",
        "[a](&#106;avascript:alert(1))",  # an entity for the first letter
        "[a](&#x6A;avascript&colon;alert(1))",
        "[a](java&#x09;script:alert(1))",  # a tab, which browsers skip
        "[a](JaVaScRiPt:alert(1))",
        "![i](&#100;ata:text/html,alert)",
        "[a](vbscript:msgbox(1))",
    ],
)
def test_script_urls_are_dropped_however_they_are_spelled(markdown: str) -> None:
    from html import unescape

    from generator.output.markup import make_renderer

    page = parse_html(make_renderer(allow_html=False)(markdown))
    [url] = [value for _, value in page]
    # What the browser would see: entities decoded, control characters and spaces skipped.
    seen = re.sub(r"[\x00-\x20]", "", unescape(url)).lower()
    assert not seen.startswith(("javascript:", "data:", "vbscript:")), url


def parse_html(html: str) -> list[tuple[str, str]]:
    """(attribute, value) of every href and src in a fragment, as an HTML parser reads them."""
    from html.parser import HTMLParser

    found: list[tuple[str, str]] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((k, v or "") for k, v in attrs if k in ("href", "src"))

    Links(convert_charrefs=False).feed(html)
    return found
