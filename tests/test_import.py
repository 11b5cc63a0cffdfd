"""portal import on saved pages, feeds and a WordPress export written in our own words
(tests/fixtures/import/, its README says what each must give), and on hostile files."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from generator.importer import import_paths
from generator.model import bundles
from tests.conftest import ROOT, read_front_matter
from tests.test_build import build_project, make_project

FIXTURES = ROOT / "tests" / "fixtures" / "import"
GOOD = [
    FIXTURES / name
    for name in (
        "cms_page.html",
        "chinese_byline_only.html",
        "russian_page.html",
        "rss_full.xml",
        "atom.xml",
        "rss_summary_only.xml",
        "wordpress.xml",
        "dup_a.html",
        "dup_b.html",
    )
]
# title -> (date, source_url, countries, draft)
EXPECTED = {
    "Kazakh trade delegation signs grain and logistics deals in Harbin": (
        "2023-06-21",
        "https://www.example-news.cn/en/2023-06/21/c_1234.htm",
        ["China", "Kazakhstan"],
        False,
    ),
    "哈尔滨与俄罗斯哈巴罗夫斯克边疆区签署十二项经贸合作协议": (
        "2024-01-15",
        None,
        ["China", "Russia"],
        False,
    ),
    "Амурская область и Хэйлунцзян нарастили товарооборот благодаря новому мосту": (
        "2022-03-04",
        "https://www.example-amur.ru/news/2022/03/04/amur-heilongjiang-trade/",
        ["China", "Russia"],  # China only in Russian case forms: the home country anyway
        False,
    ),
    "Harbin and Daegu renew sister-city pact with youth exchange plan": (
        "2023-09-12",
        "https://news.example-harbin.cn/en/2023/09/12/harbin-daegu-sister-city/",
        ["China", "South Korea"],
        False,
    ),
    "Heilongjiang machinery makers show cold-climate tractors at Brazilian farm fair": (
        "2023-10-04",
        "https://news.example-harbin.cn/en/2023/10/04/heilongjiang-tractors-brazil-fair/",
        ["China", "Brazil"],
        False,
    ),
    "German engineering firms tour Harbin's new aerospace industrial park": (
        "2023-11-20",
        "https://news.example-harbin.cn/en/2023/11/20/german-firms-harbin-aerospace-park/",
        ["China", "Germany"],
        False,
    ),
    "Kazakh students begin cold-region engineering course in Harbin": (
        "2024-02-05",
        "https://bulletin.example-hlj.cn/2024/02/kazakh-students-cold-region-engineering/",
        ["China", "Kazakhstan"],
        False,
    ),
    "Belarusian potato experts share seed technology with Suihua farms": (
        "2024-03-12",
        "https://bulletin.example-hlj.cn/2024/03/belarus-seed-potato-suihua/",
        ["China", "Belarus"],
        False,
    ),
    "Uzbek textile delegation visits Harbin garment makers": (
        "2024-01-11",
        "https://briefs.example-harbin.cn/2024/01/11/uzbek-textile-delegation/",
        ["China", "Uzbekistan"],
        True,
    ),
    "Harbin opera troupe to tour Russian Far East in spring": (
        "2024-01-19",
        "https://briefs.example-harbin.cn/2024/01/19/harbin-opera-russia-tour/",
        ["China", "Russia"],
        True,
    ),
    "Harbin and Novosibirsk sign memorandum on winter sports exchanges": (
        "2021-05-18",
        "https://example.org/2021/05/18/harbin-novosibirsk-winter-sports/",
        ["China", "Russia"],
        False,
    ),
    "South Korean trade office plans Harbin branch": (
        "2021-06-02",
        "https://example.org/?p=102",
        ["China", "South Korea"],
        True,
    ),
    "Brazilian coffee roasters to open showroom in Harbin": (
        "2021-07-09",
        "https://example.org/?p=104",
        ["China", "Brazil"],
        True,
    ),
    "South Korean cold-chain firm opens logistics hub in Harbin free trade zone": (
        "2023-07-02",
        "https://www.example-news.cn/en/2023-07/02/c_5678.htm",
        ["China", "South Korea"],
        False,
    ),
}


def imported(content: Path) -> dict[str, tuple[dict, str]]:
    files = bundles.content_files(content)
    return {f["title"]: (f, body) for f, body in map(read_front_matter, files)}


def quiet(**options: object) -> dict[str, object]:
    return {"say": lambda _: None, "warn": lambda _: None, **options}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("import") / "content"
    report = import_paths(GOOD, folder, **quiet())
    assert report.errors == []
    return folder


def test_every_article_is_imported_with_its_fields(content: Path) -> None:
    found = imported(content)
    assert sorted(found) == sorted(EXPECTED)
    for title, (date, url, countries, draft) in EXPECTED.items():
        fields, body = found[title]
        assert fields["date"] == dt.date.fromisoformat(date), title
        assert fields.get("source_url") == url, title
        assert fields["countries"] == countries, title
        assert fields["draft"] is draft, title
        if draft:
            assert fields["review"], title  # what the editor must check
        assert body.strip() and title not in body.split("\n")[0], title  # no repeated headline


def test_pages_lose_their_menus_sidebars_and_comments(content: Path) -> None:
    fields, body = imported(content)[
        "Kazakh trade delegation signs grain and logistics deals in Harbin"
    ]
    assert fields["source"] == "Northeast News Network"
    assert body.startswith("![") or body.startswith("HARBIN")
    for furniture in ("Most read", "Comments", "Copyright", "Mongolia", "Japan"):
        assert furniture not in body, furniture
    # Images as absolute URLs under the page's canonical address, with their captions.
    assert "](https://www.example-news.cn/en/images/photo2.jpg)" in body
    assert [(p["credit"], p["src"].rsplit("/", 1)[-1]) for p in fields["photos"]] == [
        ("Xinhua", "photo1.png"),
        ("Xinhua", "photo2.jpg"),
    ]
    assert fields["photos"][1]["caption"].startswith("Members of the Kazakh delegation visit")
    chinese, _ = imported(content)["哈尔滨与俄罗斯哈巴罗夫斯克边疆区签署十二项经贸合作协议"]
    assert chinese["source"] == "新华网"  # from the byline, the page's only date


def test_feeds_and_wordpress(content: Path) -> None:
    found = imported(content)
    summary, _ = found["Uzbek textile delegation visits Harbin garment makers"]
    assert summary["review"] == ["summary only"]
    post, body = found["Harbin and Novosibirsk sign memorandum on winter sports exchanges"]
    assert post["section"] == "Foreign Exchanges"
    assert post["photos"] == [{"caption": "Officials meet in Harbin", "credit": "Harbin Daily"}]
    assert "[caption" not in body and "wp:" not in body and "[embed" not in body
    assert post["review"] == ["shortcodes removed: embed"] and post["draft"] is False
    draft, body = found["South Korean trade office plans Harbin branch"]
    assert len([p for p in body.split("\n\n") if p.strip()]) == 3  # its paragraphs kept
    assert draft["review"] == ["a draft post in WordPress"]


def test_a_second_import_writes_nothing_and_an_edit_is_kept(content: Path) -> None:
    again = import_paths(GOOD, content, **quiet())
    assert again.written == [] and again.errors == []
    assert len(again.unchanged) == len(EXPECTED) and len(again.skipped) == 1 + 3  # dup_b, WXR
    edited = next(content.glob("harbin-and-daegu*.md"))
    edited.write_text(edited.read_text("utf-8") + "\nAn editor's line.\n", "utf-8")
    third = import_paths(GOOD, content, **quiet())
    assert [Path(kept).name for kept in third.kept] == [edited.name]
    assert "An editor's line." in edited.read_text("utf-8")
    forced = import_paths(GOOD, content, **quiet(force=True))
    assert [Path(w).name for w in forced.written] == [edited.name]


def test_a_saved_page_brings_its_images_as_a_page_bundle(content: Path) -> None:
    [bundle] = [p for p in content.iterdir() if p.is_dir()]
    saved = FIXTURES / "cms_page_files" / "photo1.png"
    assert sorted(p.name for p in bundle.iterdir()) == ["index.md", "photo1.png"]
    assert (bundle / "photo1.png").read_bytes() == saved.read_bytes()
    fields, body = read_front_matter(bundle / "index.md")
    assert fields["photos"][0]["src"] == "photo1.png"  # the other photo is only on the web
    assert fields["photos"][1]["src"].startswith("https://www.example-news.cn/")
    image, caption = body.split("\n\n")[:2]
    assert image.startswith("![Business representatives") and image.endswith("](photo1.png)")
    assert caption.startswith("Business representatives from Kazakhstan and Heilongjiang sign")
    assert caption.endswith("*(Photo: Xinhua)*\n{: .photo-caption }")
    assert fields["summary"].startswith("HARBIN -- A delegation of 40 business leaders")


def test_an_image_an_editor_replaced_in_a_bundle_is_kept(tmp_path: Path) -> None:
    page = FIXTURES / "cms_page.html"
    import_paths([page], tmp_path, **quiet())
    [image] = tmp_path.glob("*/photo1.png")
    image.write_bytes(b"the editor's better photo")
    said: list[str] = []
    import_paths([page], tmp_path, say=said.append, warn=said.append)
    assert image.read_bytes() == b"the editor's better photo"
    assert any(line.startswith("kept ") and "photo1.png" in line for line in said)
    import_paths([page], tmp_path, **quiet(force=True))
    assert image.read_bytes() == (FIXTURES / "cms_page_files/photo1.png").read_bytes()


def test_a_saved_page_cannot_copy_files_from_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "private.png").write_bytes(b"not the page's")
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "outside.png").symlink_to(tmp_path / "private.png")
    html = (FIXTURES / "cms_page.html").read_text("utf-8")
    html = html.replace('src="cms_page_files/photo1.png"', 'src="../private.png"', 1)
    html = html.replace('src="https://www.example-news.cn/en/images/photo2.jpg"',
                        'src="outside.png"', 1)  # fmt: skip
    (saved / "page.html").write_text(html, "utf-8")
    content = tmp_path / "content"
    report = import_paths([saved / "page.html"], content, **quiet())
    assert report.errors == [] and len(report.written) == 1
    assert [p.name for p in content.iterdir() if not p.name.startswith(".")] == [
        Path(report.written[0]).name
    ]  # a flat file: no bundle, nothing copied
    fields, _ = read_front_matter(content / Path(report.written[0]).name)
    assert [p["src"] for p in fields["photos"]] == [
        "https://www.example-news.cn/en/2023-06/private.png",
        "https://www.example-news.cn/en/2023-06/21/outside.png",
    ]


def test_duplicates_are_imported_once(tmp_path: Path) -> None:
    said: list[str] = []
    report = import_paths(
        [FIXTURES / "dup_a.html", FIXTURES / "dup_b.html"], tmp_path, say=said.append
    )
    assert len(report.written) == 1 and len(report.skipped) == 1
    skipped = [line.split(": duplicate of ")[0] for line in said if "duplicate of" in line]
    assert [line.endswith("dup_b.html") for line in skipped] == [True]
    # The same text at another address, against what content/ already holds.
    copy = tmp_path / "elsewhere.html"
    copy.write_text(
        (FIXTURES / "dup_a.html").read_text("utf-8").replace("c_5678", "c_9999"), "utf-8"
    )
    assert import_paths([copy], tmp_path, **quiet()).skipped == [str(copy)]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    said: list[str] = []
    report = import_paths(GOOD, tmp_path / "content", dry_run=True, say=said.append)
    assert len(report.written) == len(EXPECTED)
    assert not (tmp_path / "content").exists()
    assert sum(line.startswith("would write ") for line in said) == len(EXPECTED)


def test_two_imports_give_the_same_bytes(tmp_path: Path) -> None:
    for name in ("one", "two"):
        import_paths(GOOD, tmp_path / name, **quiet())
    one, two = (
        {p.relative_to(top): p.read_bytes() for p in top.rglob("*") if p.is_file()}
        for top in (tmp_path / "one", tmp_path / "two")
    )
    assert one == two
    assert any(len(name.parts) == 2 for name in one)  # a page bundle, its image beside it


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("billion_laughs.xml", "refused: the XML declares entities"),
        ("xxe.xml", "refused: the XML declares entities"),
        ("truncated.xml", "not well-formed XML"),
        ("no_title.html", "no title"),
        ("binary.html", "binary data"),
    ],
)
def test_hostile_files_are_one_line_each(tmp_path: Path, name: str, says: str) -> None:
    path = FIXTURES / "hostile" / name
    result = subprocess.run(
        [sys.executable, "-m", "generator", "import", "--content", "content", str(path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"{path}") and says in line, line
    assert not list(tmp_path.rglob("*.md"))
    assert "root:" not in result.stdout + result.stderr  # /etc/passwd was never read


def test_a_huge_page_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB that cost no disk
    errors: list[str] = []
    report = import_paths(
        [huge, FIXTURES / "atom.xml"], tmp_path / "content", **quiet(warn=errors.append)
    )
    assert errors == [f"{huge}: larger than 20 MB: not a page or a feed"]
    assert len(report.written) == 2  # the other input is imported


def test_nothing_touches_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("import opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    report = import_paths([*GOOD, FIXTURES / "hostile"], tmp_path, **quiet())
    assert len(report.written) == len(EXPECTED)


def test_imported_content_passes_check_and_builds(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    import_paths(GOOD, root / "content", **quiet())
    check = subprocess.run(
        [sys.executable, "-m", "generator", "check"], cwd=root, capture_output=True, text=True
    )
    problems = [line for line in check.stdout.splitlines() if "review:" not in line]
    assert check.returncode == 0, problems
    out = build_project(root)
    page = next(out.glob("2023/06/kazakh-trade-delegation*/index.html")).read_text("utf-8")
    assert "Kazakh trade delegation signs grain" in page
    # The sample's own articles are built beside the imported ones.
    assert (
        out / "2020/12/harbin-ukraine-to-further-deepen-business-cooperation/index.html"
    ).is_file()


@pytest.mark.parametrize(
    "url",
    [
        "http://EXAMPLE-NEWS.CN/en/2023-07/02/c_5678.htm?utm_source=x&fbclid=y#comments",
        "https://www.example-news.cn/en/2023-07/02/c_5678.htm",
        "https://example-news.cn/en/2023-07/02/c_5678.htm/",
    ],
)
def test_one_article_has_one_url(url: str) -> None:
    from generator.importer.urls import canonical

    assert canonical(url) == "https://example-news.cn/en/2023-07/02/c_5678.htm"
    assert canonical("https://x.cn/news/index.html?id=7&utm_medium=m") == "https://x.cn/news?id=7"


def test_wordpress_pages_only_when_asked(tmp_path: Path) -> None:
    export = FIXTURES / "wordpress.xml"
    said: list[str] = []
    without = import_paths([export], tmp_path / "posts", say=said.append, warn=lambda _: None)
    assert "About us" not in imported(tmp_path / "posts")
    assert any("skipped 1 page (without --pages) item" in line for line in said)
    assert len(without.written) == 3  # the publish, draft and pending posts
    pages = import_paths([export], tmp_path / "all", **quiet(pages=True))
    assert len(pages.written) == 4
    fields, body = imported(tmp_path / "all")["About us"]
    assert fields["draft"] is False and "sister cities abroad" in body


def test_a_broken_link_in_a_folder_is_one_line_and_the_rest_imported(tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "gone.html").symlink_to("nowhere.html")
    (folder / "atom.xml").write_bytes((FIXTURES / "atom.xml").read_bytes())
    errors: list[str] = []
    report = import_paths([folder], tmp_path / "content", **quiet(warn=errors.append))
    assert [e.split(": ", 1)[1] for e in errors] == [
        "cannot read: broken symbolic link to nowhere.html"
    ]
    assert errors[0].endswith("gone.html: cannot read: broken symbolic link to nowhere.html")
    assert len(report.written) == 2
