"""Golden tests: build the sample portal and look at the pages, feeds and sitemap."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from generator.build import build
from generator.config import load_config
from generator.errors import InputError
from generator.output.write import MANIFEST, OLD_MANIFEST, manifest_text, parse_manifest
from tests.conftest import ROOT, content_by_seed
from tests.htmlcheck import crawl, parse

BASE = "https://example.github.io/portal/"


def make_project(root: Path, base_url: str = BASE, **options: object) -> Path:
    """A copy of the sample portal (content, seeds, site.yaml) using the repository's theme."""
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    config = {
        "title": "Test Portal",
        "base_url": base_url,
        "themes_dir": str(ROOT / "themes"),
        "search": False,  # Pagefind has tests of its own; the others stay fast
    }
    config.update(options)
    (root / "site.yaml").write_text(json.dumps(config), "utf-8")  # JSON is YAML
    return root


def build_project(root: Path, **flags: bool) -> Path:
    config = load_config(root / "site.yaml")
    build(config, say=lambda _: None, warn=lambda _: None, **flags)
    return root / "site"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_project(make_project(tmp_path_factory.mktemp("portal")))


SEEDS = content_by_seed(ROOT / "content")


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_article_page_shows_title_date_countries(built: Path, seed: str) -> None:
    fields = SEEDS[seed][0]
    date = fields["date"]
    path = built / f"{date:%Y}/{date:%m}/{fields['slug']}/index.html"
    page = parse(path)
    assert page.h1 == fields["title"]
    assert page.title.startswith(fields["title"])
    assert date.isoformat() in page.times
    # The article's own country list, not the partner strip or the menu.
    listed = parse(path, within="ul.countries")
    hrefs = {link for link in listed.links if not link.startswith("/portal/flags/")}
    assert hrefs == {f"/portal/countries/{_slug(c)}/" for c in fields["countries"]}
    assert listed.text.split() == " ".join(fields["countries"]).split()  # the flags are images
    assert page.canonical == f"{BASE}{date:%Y}/{date:%m}/{fields['slug']}/"
    assert page.metas["og:title"] == fields["title"]
    assert page.metas["description"] == fields["summary"]
    [ld] = [json.loads(s) for s in page.json_ld]
    assert ld["@type"] == "NewsArticle" and ld["headline"] == fields["title"]
    assert ld["datePublished"] == date.isoformat()
    crumbs = parse(path, within="nav.breadcrumb")  # the menu links every section on every page
    if fields.get("section"):
        assert crumbs.links[-1] == f"/portal/sections/{_slug(fields['section'])}/"
        assert crumbs.text.endswith(fields["section"])
    else:
        assert crumbs.links == ["/portal/"]
    story = parse(path, within="article.story")
    for photo in fields.get("photos", []):
        assert f"Photo: {photo['credit']}" in story.text


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _titles_on(path: Path) -> set[str]:
    text = path.read_text("utf-8")
    return {f["title"] for f, _, _ in SEEDS.values() if f">{_html(f['title'])}</a>" in text}


def _card_titles(path: Path) -> list[str]:
    """The headlines of the cards on a list page."""
    html = path.read_text("utf-8")
    return [
        re.sub("<[^>]+>", "", m)
        for m in re.findall(r'<h[23] class="card-title">(.*?)</h[23]>', html, re.S)
    ]


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=False)


def test_country_pages_list_exactly_their_articles(built: Path) -> None:
    countries = {c for f, _, _ in SEEDS.values() for c in f["countries"]}
    assert {"China", "South Korea", "Ukraine", "Russia", "Brazil", "United Kingdom"} <= countries
    for country in countries:
        slug = country.lower().replace(" ", "-")
        expected = {f["title"] for f, _, _ in SEEDS.values() if country in f["countries"]}
        page = built / "countries" / slug / "index.html"
        listed = {t for t in _titles_on(page)}
        assert listed == expected, country
    index = parse(built / "countries/index.html")
    assert "South Korea" in index.text and "/portal/flags/kr.svg" in index.links


def test_tag_pages_list_exactly_their_articles(built: Path) -> None:
    tags = {t for f, _, _ in SEEDS.values() for t in f["tags"]}
    for tag in tags:
        slug = tag.replace(" ", "-")
        expected = {f["title"] for f, _, _ in SEEDS.values() if tag in f["tags"]}
        assert _titles_on(built / "tags" / slug / "index.html") == expected, tag


def test_korea_page_lists_partners(built: Path) -> None:
    path = built / "countries/south-korea/index.html"
    page = parse(path)
    with_korea = [f["countries"] for f, _, _ in SEEDS.values() if "South Korea" in f["countries"]]
    partners = {c for countries in with_korea for c in countries} - {"South Korea"}
    assert partners == {"China"}
    strip = parse(path, within="section.partners-of")  # not the menu, which names China too
    # The pair's page, and China's flag in its link.
    assert strip.links == ["/portal/countries/china--south-korea/", "/portal/flags/cn.svg"]
    assert strip.text.endswith(f"China {sum('China' in c for c in with_korea)}")
    assert ("application/atom+xml", "/portal/countries/south-korea/feed.xml") in page.alternates


def test_feeds_parse_and_hold_the_right_entries(built: Path) -> None:
    site_feed = feedparser.parse((built / "feed.xml").read_bytes())
    assert not site_feed.bozo, site_feed.get("bozo_exception")
    titles = [e.title for e in site_feed.entries]
    newest_first = sorted(SEEDS.values(), key=lambda v: v[0]["date"], reverse=True)
    assert titles == [f["title"] for f, _, _ in newest_first]
    first = site_feed.entries[0]
    assert first.link == f"{BASE}2023/11/{newest_first[0][0]['slug']}/"
    assert site_feed.feed.updated.startswith("2023-11-30")
    ukraine = feedparser.parse((built / "countries/ukraine/feed.xml").read_bytes())
    assert not ukraine.bozo
    assert [e.title for e in ukraine.entries] == [
        "Harbin, Ukraine to further deepen business cooperation"
    ]
    tag = feedparser.parse((built / "tags/e-commerce/feed.xml").read_bytes())
    assert {e.title for e in tag.entries} == {
        f["title"] for f, _, _ in SEEDS.values() if "e-commerce" in f["tags"]
    }
    home = parse(built / "index.html")
    assert ("application/atom+xml", "/portal/feed.xml") in home.alternates


RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@pytest.mark.parametrize("feed", ["feed.xml", "countries/ukraine/feed.xml", "tags/trade/feed.xml"])
def test_feed_dates_are_rfc3339(built: Path, feed: str) -> None:
    # Atom requires RFC 3339 date-times; feed readers (and feedparser) forgive other forms.
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(built / feed).getroot()
    stamps = [e.text or "" for e in root.iter() if e.tag in (f"{atom}updated", f"{atom}published")]
    entries = root.findall(f"{atom}entry")
    assert entries and len(stamps) == 1 + 2 * len(entries)
    assert [s for s in stamps if not RFC3339.fullmatch(s)] == []
    published = [e.findtext(f"{atom}published") for e in entries]
    assert published == sorted(published, reverse=True)


def test_sitemap_lists_every_page(built: Path) -> None:
    root = ET.parse(built / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in root.findall("s:url/s:loc", ns)}
    pages = {
        BASE + (p.parent.relative_to(built).as_posix() + "/" if p.parent != built else "")
        for p in built.rglob("index.html")
    }
    assert listed == pages
    robots = (built / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots
    assert (built / ".nojekyll").exists() and (built / "404.html").exists()


def test_every_internal_link_resolves_under_a_subpath(built: Path) -> None:
    reached, broken = crawl(built, BASE)
    assert broken == []
    assert len([p for p in reached if p.count("/") == 5]) >= 5  # the article pages
    assert "/portal/countries/south-korea/" in reached


def test_every_internal_link_resolves_at_the_root(tmp_path: Path) -> None:
    out = build_project(make_project(tmp_path, base_url="http://127.0.0.1:8000/"))
    reached, broken = crawl(out, "http://127.0.0.1:8000/")
    assert broken == []
    assert "/tags/trade/" in reached


def test_same_input_same_bytes(tmp_path: Path, built: Path) -> None:
    again = build_project(make_project(tmp_path))
    files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (built / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_pagination(tmp_path: Path) -> None:
    out = build_project(make_project(tmp_path, paginate=2))
    first, third = parse(out / "index.html"), parse(out / "page/3/index.html")
    assert "/portal/page/2/" in first.links
    assert "/portal/page/2/" in third.links and not (out / "page/4").exists()
    assert "Older" not in third.text and "Newer" in third.text
    assert (out / "countries/china/page/3/index.html").exists()


def test_drafts_and_future_articles(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    draft = root / "content/draft.md"
    draft.write_text("---\ntitle: A draft story\ndate: 2021-01-01\ndraft: true\n---\n\nDraft.\n")
    future = root / "content/future.md"
    future.write_text("---\ntitle: A future story\ndate: 2999-01-01\n---\n\nLater.\n")
    # Today in the site's time zone is not the future: a story filed today is published.
    today = dt.datetime.now(ZoneInfo(load_config(root / "site.yaml").timezone)).date()
    (root / "content/today.md").write_text(
        f"---\ntitle: A story of today\ndate: {today}\n---\n\nNow.\n"
    )
    out = build_project(root)
    text = (out / "index.html").read_text("utf-8")
    assert "A draft story" not in text and "A future story" not in text
    assert not (out / "2999").exists()
    assert "A story of today" in [h.strip() for h in _card_titles(out / "index.html")]
    assert (out / f"{today:%Y/%m}/a-story-of-today/index.html").is_file()
    build_project(root, drafts=True, future=True)
    text = (out / "index.html").read_text("utf-8")
    assert "A draft story" in text and "A future story" in text


def test_invalid_front_matter_fails_and_keeps_the_old_site(tmp_path: Path) -> None:
    from generator.model.article import ContentErrors

    root = make_project(tmp_path)
    out = build_project(root)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "content/bad.md").write_text(
        "---\ntitle: Bad\ndate: yesterday\ncountries: 7\n---\n\nBody.\n"
    )
    (root / "content/broken.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n")
    with pytest.raises(ContentErrors) as caught:
        build_project(root)
    messages = [str(e) for e in caught.value.errors]
    assert "content/bad.md:3: date: 'yesterday' is not a date (YYYY-MM-DD)" in [
        m[m.index("content/") :] for m in messages
    ]
    assert any(
        m.endswith("bad.md:4: countries: expected a list of names, e.g. [China, Ukraine]")
        for m in messages
    )
    assert any("broken.md:" in m and "invalid YAML" in m for m in messages)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_deleted_article_leaves_no_stale_file(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    out = build_project(root)
    victim = next((root / "content").glob("harbin-ukraine*.md"))
    victim.unlink()
    (root / "seeds/001_afc923f68b10f8f4.txt").unlink()
    build_project(root)
    assert not (out / "2020/12").exists()
    assert not (out / "countries/ukraine").exists()
    assert "Ukraine" not in (out / "index.html").read_text("utf-8")


def test_output_folder_of_an_older_version_is_taken_over_and_others_refused(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    out = build_project(root)
    # A site built before the manifest became lines of text: its JSON manifest marks the folder
    # as portal's; the next build rebuilds it in full and removes the old manifest.
    old = json.dumps({page: "x" for page in parse_manifest((out / MANIFEST).read_text("utf-8"))})
    for folder in (out, root / ".site.prev"):
        (folder / MANIFEST).unlink()
        (folder / OLD_MANIFEST).write_text(old, "utf-8")
    build_project(root)
    for folder in (out, root / ".site.prev"):
        assert not (folder / OLD_MANIFEST).exists()
        manifest = parse_manifest((folder / MANIFEST).read_text("utf-8"))
        assert "index.html" in manifest and "x" not in manifest.values()
    assert "Test Portal" in (out / "index.html").read_text("utf-8")
    # A folder portal did not write is never written into.
    foreign = make_project(tmp_path / "other", output_dir="public")
    (foreign / "public").mkdir()
    (foreign / "public" / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(InputError, match="not written by portal"):
        build_project(foreign)
    assert [p.name for p in (foreign / "public").iterdir()] == ["notes.txt"]


def test_manifest_is_read_back_whole_or_not_at_all() -> None:
    manifest = {"index.html": "a" * 32, "assets/style.1f2e.css": "assets/style.1f2e.css"}
    text = manifest_text(manifest)
    assert parse_manifest(text) == manifest
    for cut in range(len(text)):  # a build killed while writing it
        with pytest.raises(ValueError):
            parse_manifest(text[:cut])
    with pytest.raises(ValueError):
        manifest_text({"a\nb.html": "f"})


def test_site_templates_override_theme_and_assets_are_hashed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "templates").mkdir()
    (root / "templates/404.html").write_text(
        '{% extends "_base.html" %}{% block main %}<h1>Lost at sea</h1>{% endblock %}'
    )
    out = build_project(root)
    assert parse(out / "404.html").h1 == "Lost at sea"
    [css] = list(out.glob("style.*.css"))
    assert f"/portal/{css.name}" in parse(out / "index.html").links


def test_raw_html_in_bodies_is_escaped_and_links_are_rebased(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "content/html.md").write_text(
        "---\ntitle: <script>alert(1)</script> story\ndate: 2021-01-01\n---\n\n"
        "Hello <script>alert(2)</script> and a [link](/tags/trade/).\n"
    )
    out = build_project(root)
    html = next(out.glob("2021/01/*/index.html")).read_text("utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)" in html and "&lt;script&gt;alert(2)" in html
    assert 'href="/portal/tags/trade/"' in html


def test_cname(tmp_path: Path) -> None:
    out = build_project(make_project(tmp_path, cname="news.example.org"))
    assert (out / "CNAME").read_text() == "news.example.org\n"


def test_pair_pages_list_articles_with_both_countries(built: Path) -> None:
    pairs = {
        tuple(sorted((a, b)))
        for f, _, _ in SEEDS.values()
        for a in f["countries"]
        for b in f["countries"]
        if a < b
    }
    assert ("China", "South Korea") in pairs and ("Spain", "United Kingdom") in pairs
    for a, b in pairs:
        slug = f"{a}--{b}".lower().replace(" ", "-")
        expected = {f["title"] for f, _, _ in SEEDS.values() if {a, b} <= set(f["countries"])}
        page = built / "countries" / slug / "index.html"
        assert _titles_on(page) == expected, slug
        feed = feedparser.parse((page.parent / "feed.xml").read_bytes())
        assert not feed.bozo and {e.title for e in feed.entries} == expected
        for country in (a, b):
            own = built / "countries" / country.lower().replace(" ", "-") / "index.html"
            assert f'href="/portal/countries/{slug}/"' in own.read_text("utf-8"), (country, slug)
    korea = parse(built / "countries/china--south-korea/index.html")
    assert korea.h1 == "China and South Korea"
    assert {"/portal/flags/cn.svg", "/portal/flags/kr.svg"} <= set(korea.links)
    html = (built / "countries/china--south-korea/index.html").read_text("utf-8")
    years = html[html.index('class="pair-years"') :].split("</p>")[0]
    assert ">2023</a>: 1" in years and ">2020</a>: 1" in years and "2021" not in years
    assert "2020: 1 article" in html and "2023: 1 article" in html  # the chart's bars


def test_cooperation_map_and_timelines(built: Path) -> None:
    countries = (built / "countries/index.html").read_text("utf-8")
    svg = countries[countries.index("<svg") : countries.index("</svg>") + 6]
    assert len(svg.encode()) < 150_000
    root = ET.fromstring(svg)
    links = {a.get("href"): a.get("aria-label") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert links["/portal/countries/ukraine/"].startswith("Ukraine: 1 article")
    assert links["/portal/countries/south-korea/"].startswith("South Korea: 2 articles")
    assert "/portal/countries/new-zealand/" not in links
    archive = (built / "archive/index.html").read_text("utf-8")
    assert "<svg" in archive and "2020-12: 1 article" in archive
    assert 'href="/portal/archive/2020/"' in archive
    korea = (built / "countries/south-korea/index.html").read_text("utf-8")
    assert "<svg" in korea and "2020: 1 article" in korea and "2023: 1 article" in korea
