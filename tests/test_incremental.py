"""Incremental builds are exact: after every kind of edit, the output is byte-identical to a
clean cold build of the same input (no cache, no previous output).
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import pytest

from generator.build import Builder
from generator.config import load_config
from generator.incremental import loader, rendering
from generator.model.article import ContentErrors
from generator.model.site import build_site
from generator.output import write
from tests import htmlcheck
from tests.conftest import ROOT
from tests.imagegen import jpeg, png

COUNTRIES = ["Ukraine", "South Korea", "Russia", "Brazil", "Germany", "Finland", "Spain"]
TAGS = ["trade", "investment", "culture", "education", "logistics", "tourism", "agriculture"]


def write_corpus(root: Path, count: int) -> None:
    rng = random.Random(7)
    content = root / "content"
    content.mkdir(parents=True)
    for number in range(count):
        countries = ["China", *rng.sample(COUNTRIES, rng.randint(1, 3))]
        tags = rng.sample(TAGS, rng.randint(2, 4))
        body = "\n\n".join(
            " ".join(rng.choice(TAGS + COUNTRIES) for _ in range(40)) + "." for _ in range(4)
        )
        (content / f"story-{number:03}.md").write_text(
            f"---\ntitle: Story number {number}\n"
            f"date: 20{10 + number % 12}-0{1 + number % 9}-1{number % 9}\n"
            f"section: {rng.choice(['Foreign Exchanges', 'Biz updates'])}\n"
            f"countries: [{', '.join(countries)}]\ntags: [{', '.join(tags)}]\n"
            f"summary: Summary {number}.\n---\n\n{body}\n",
            "utf-8",
        )
    (root / "site.yaml").write_text(
        f"title: Incremental\nbase_url: https://example.org/sub/\npaginate: 5\nsearch: false\n"
        f"themes_dir: {root / 'themes'}\n"
    )
    shutil.copytree(ROOT / "themes", root / "themes")


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def cold_build(project: Path, scratch: Path) -> dict[str, bytes]:
    clean = scratch / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(
        project, clean, ignore=shutil.ignore_patterns("site", ".site.prev", ".portal-cache")
    )
    Builder(load_config(clean / "site.yaml")).build(say=lambda _: None, warn=lambda _: None)
    return snapshot(clean / "site")


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text("utf-8")
    new = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert new != text, pattern
    path.write_text(new, "utf-8")


def page_of(project: Path, story: Path) -> str:
    """The page a content file makes, by name from the site's root."""
    articles = Builder(load_config(project / "site.yaml")).load_content()
    [url] = [a.url for a in articles if a.path.endswith(story.name)]
    return url + "index.html"


def add_story(content: Path) -> None:
    shutil.copy(content / "story-010.md", content / "story-new.md")
    edit(content / "story-new.md", r"^title: .*$", "title: Brand new")


def write_static(root: Path, name: str, text: str) -> None:
    (root / "static").mkdir(exist_ok=True)
    (root / "static" / name).write_text(text, "utf-8")


def write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def make_bundle(story: Path) -> None:
    """The story moved into a page bundle, with a photo beside it that its front matter names."""
    bundle = story.with_suffix("")
    bundle.mkdir()
    text = story.read_text("utf-8").replace(
        "---\n\n", "photos:\n- {caption: A pier, src: photo.png}\n---\n\n", 1
    )
    (bundle / "index.md").write_text(text, "utf-8")
    (bundle / "photo.png").write_bytes(png(400, 300, seed=1))
    story.unlink()


def lead_image(story: Path, src: str) -> None:
    """The story's front matter names a lead image: its page shows it, its cards a crop."""
    edit(story, r"^summary: ", f"image: {src}\nsummary: ")


def shared_image(content: Path, story: Path) -> None:
    """A flat story's lead image in the shared folder content/media/."""
    (content / "media").mkdir(exist_ok=True)
    (content / "media/pier.jpg").write_bytes(jpeg(900, 600, seed=2))
    lead_image(story, "media/pier.jpg")


def lose_output(root: Path) -> None:
    """A page gone from both output folders, and an edit so that the build is not skipped:
    the page must be made again though nothing it shows changed."""
    for folder in ("site", ".site.prev"):
        (root / folder / "tags/culture/index.html").unlink(missing_ok=True)
    edit(root / "content/story-001.md", r"\Z", "\nOne more line.\n")


def neighbour(root: Path, story: Path) -> Path:
    """The file of the article listed just before `story` (its page shows story's card)."""
    articles = Builder(load_config(root / "site.yaml")).load_content()
    site = build_site(articles)
    [article] = [a for a in site.articles if Path(a.path).name == story.name]
    older = site.older[article.url]
    assert older is not None
    return root / "content" / Path(older.path).name


def steps(root: Path) -> list[tuple[str, Callable[[], None]]]:
    content = root / "content"
    story = content / "story-007.md"
    before = neighbour(root, story)
    return [
        ("body", lambda: edit(story, r"\Z", "\nAn added paragraph.\n")),
        # Its page shows the card of the next step's article (whose URL stays): made again,
        # it must keep this body.
        ("neighbour's body", lambda: edit(before, r"\Z", "\nThe neighbour's new paragraph.\n")),
        ("summary", lambda: edit(story, r"^summary: .*$", "summary: Told anew.")),
        ("title", lambda: edit(story, r"^title: .*$", "title: A new headline")),
        ("lost output", lambda: lose_output(root)),
        ("date", lambda: edit(story, r"^date: .*$", "date: 2024-02-29")),
        ("tags", lambda: edit(story, r"^tags: .*$", "tags: [energy, trade]")),
        ("countries", lambda: edit(story, r"^countries: .*$", "countries: [China, Japan]")),
        ("delete", lambda: (content / "story-003.md").unlink()),
        (
            "add",
            lambda: add_story(content),
        ),
        (
            "template",
            lambda: edit(
                root / "themes/default/templates/_base.html",
                r"</main>",
                "<p>Changed layout</p></main>",
            ),
        ),
        ("config", lambda: edit(root / "site.yaml", r"^paginate: 5$", "paginate: 4")),
        # The site's static/ folder: published as it is, and an input like any other.
        ("static added", lambda: write_static(root, "notice.txt", "first")),
        ("static changed", lambda: write_static(root, "notice.txt", "fifth")),  # same size
        ("static overrides the theme", lambda: write_static(root, "style.css", "p{}")),
        ("static removed", lambda: (root / "static/notice.txt").unlink()),
        # A page bundle: its files are published beside its page, and are inputs too.
        ("made a bundle", lambda: make_bundle(content / "story-005.md")),
        # Another size: the page's width and height change, and the variants.
        (
            "bundle file changed",
            lambda: write_bytes(content / "story-005/photo.png", png(300, 500)),
        ),
        ("lead image", lambda: lead_image(content / "story-005/index.md", "photo.png")),
        ("lead image changed", lambda: write_bytes(content / "story-005/photo.png", png(640, 360))),
        ("shared image", lambda: shared_image(content, content / "story-009.md")),
        ("shared image changed", lambda: write_bytes(content / "media/pier.jpg", jpeg(600, 800))),
        ("bundle file added", lambda: write_bytes(content / "story-005/map.svg", b"<svg/>")),
        ("bundle file removed", lambda: (content / "story-005/map.svg").unlink()),
        ("bundle removed", lambda: shutil.rmtree(content / "story-005")),
        ("shared image removed", lambda: edit(content / "story-009.md", r"^image: .*\n", "")),
        ("nothing", lambda: None),
    ]


def stamps(project: Path) -> dict[Path, tuple[int, int]]:
    """What a watcher would see change: the project's files, but for outputs and caches."""
    skip = {"site", ".site.prev", ".portal-cache"}
    return {
        p.resolve(): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in project.rglob("*")
        if p.is_file() and not skip & set(p.relative_to(project).parts)
    }


@pytest.mark.parametrize("mode", ["one process", "preview", "new process each build"])
def test_every_edit_matches_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    # Small thresholds, so the worker-process paths of a cold build are exercised too.
    monkeypatch.setattr(loader, "PARALLEL_MIN", 10)
    monkeypatch.setattr(rendering, "PARALLEL_MIN", 20)
    project = tmp_path / "project"
    write_corpus(project, 40)
    keep = mode != "new process each build"  # the preview's builder amends its last plan
    # The preview's own output folder is trusted, and told which files changed.
    options = {"keep_plan": keep, "private_output": mode == "preview"}
    builder = Builder(load_config(project / "site.yaml"), **options)
    builder.build(say=lambda _: None, warn=lambda _: None)
    for name, change in steps(project):
        if mode == "preview" and name == "lost output":
            continue  # nobody else writes into the preview's folder
        before = stamps(project)
        change()
        after = stamps(project)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        if mode == "new process each build" or name == "config":
            builder = Builder(load_config(project / "site.yaml"), **options)
        hint = changed if mode == "preview" else None
        result = builder.build(say=lambda _: None, warn=lambda _: None, changed=hint)
        incremental = snapshot(project / "site")
        expected = cold_build(project, tmp_path)
        assert sorted(incremental) == sorted(expected), name
        if mode == "preview":  # its own folder's manifest is in page order, not sorted
            manifests = (incremental.pop(write.MANIFEST), expected.pop(write.MANIFEST))
            same = [write.parse_manifest(m.decode("utf-8")) for m in manifests]
            assert same[0] == same[1], name
        different = [n for n in expected if incremental[n] != expected[n]]
        assert different == [], name
        if name == "nothing":
            assert result.rendered == 0 and result.written == 0
        if name == "body":
            assert result.rendered == 1


def test_watching_a_broken_file_stays_reported_while_others_change(tmp_path: Path) -> None:
    # A watching builder looks only at the files the watcher names, and at those it could not
    # read last time: the broken one is not forgotten (its article silently left out).
    project = tmp_path / "project"
    write_corpus(project, 12)
    builder = Builder(load_config(project / "site.yaml"), keep_plan=True)
    quiet = {"say": lambda _: None, "warn": lambda _: None}
    builder.build(**quiet)
    broken, other = project / "content/story-004.md", project / "content/story-005.md"
    date = re.search(r"^date: .*$", broken.read_text("utf-8"), re.M)
    assert date is not None
    edit(broken, r"^date: .*$", "date: someday")
    with pytest.raises(ContentErrors, match="story-004.md"):
        builder.build(**quiet, changed={broken.resolve()})
    edit(other, r"\Z", "\nOne more paragraph.\n")
    with pytest.raises(ContentErrors, match="story-004.md"):
        builder.build(**quiet, changed={other.resolve()})
    edit(broken, r"^date: .*$", date[0])
    builder.build(**quiet, changed={broken.resolve()})
    assert snapshot(project / "site") == cold_build(project, tmp_path)


def indexed(site: Path) -> dict[str, tuple[str, ...]]:
    """What the search index holds of each page, by URL: its shard, title, text and filters
    (Pagefind's file names and bytes differ from run to run; what they hold does not)."""
    from tests.test_search import fragments

    found = {}
    for shard in sorted(p.name for p in (site / "pagefind").iterdir() if p.is_dir()):
        for page in fragments(site, shard):
            filters = sorted((k, tuple(v)) for k, v in page["filters"].items())
            found[page["url"]] = (shard, page["meta"]["title"], page["content"], repr(filters))
    return found


SEARCHED_STEPS = ("body", "title", "date", "countries", "delete", "add", "nothing")


@pytest.mark.parametrize("mode", ["preview", "new process each build"])
def test_every_edit_leaves_the_search_index_a_cold_build_makes(tmp_path: Path, mode: str) -> None:
    project = tmp_path / "project"
    write_corpus(project, 24)
    edit(project / "site.yaml", r"^search: false$", "search: true")
    options = {"keep_plan": mode == "preview", "private_output": mode == "preview"}
    builder = Builder(load_config(project / "site.yaml"), **options)
    builder.build(say=lambda _: None, warn=lambda _: None)
    for name, change in [s for s in steps(project) if s[0] in SEARCHED_STEPS]:
        before = stamps(project)
        change()
        after = stamps(project)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        if mode == "new process each build":
            builder = Builder(load_config(project / "site.yaml"), **options)
        hint = changed if mode == "preview" else None
        builder.build(say=lambda _: None, warn=lambda _: None, changed=hint)
        cold_build(project, tmp_path)
        assert indexed(project / "site") == indexed(tmp_path / "clean" / "site"), name


def test_an_edit_outside_what_pagefind_reads_leaves_those_shards(tmp_path: Path) -> None:
    # A title edit changes the pages beside the article (their previous and next links, their
    # related articles) outside what Pagefind reads of them, and a footer edit every page:
    # only the shard of the page whose indexed part changed is made again, and the index is
    # still what a cold build makes.
    project = tmp_path / "project"
    write_corpus(project, 24)
    edit(project / "site.yaml", r"^search: false$", "search: true")
    site = project / "site"

    def build() -> None:
        Builder(load_config(project / "site.yaml")).build(say=lambda _: None, warn=lambda _: None)

    def entries() -> dict[str, int]:  # each shard's entry file: a shard made anew is a new file
        return {p.parent.name: p.stat().st_ino for p in site.glob("pagefind/*/pagefind-entry.json")}

    def articles() -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.glob("20*/*/*/*.html")}

    story = project / "content/story-005.md"
    edit(story, r"^title: .*$", "title: Story number 5\nslug: story-five")  # kept on retitling
    build()
    year = page_of(project, story)[:4]
    shards, pages = entries(), articles()
    edit(story, r"^title: .*$", "title: A headline written again")
    build()
    now = articles()
    changed_years = {name[:4] for name in pages if now[name] != pages[name]}
    assert len(changed_years) > 1  # pages of other years changed (outside what is indexed)
    assert [y for y in sorted(shards) if entries()[y] != shards[y]] == [year]
    cold_build(project, tmp_path)
    assert indexed(site) == indexed(tmp_path / "clean" / "site")
    base = project / "themes/default/templates/_base.html"
    shards = entries()
    edit(base, r"^</body>", "<p>A line below every page.</p>\n</body>")
    build()
    assert b"A line below every page." in (site / page_of(project, story)).read_bytes()
    assert entries() == shards
    cold_build(project, tmp_path)
    assert indexed(site) == indexed(tmp_path / "clean" / "site")


def _indexed_files(files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """(URL, title, text) of each page in a shard's files, as Pagefind stored them."""
    import gzip
    import json

    found = []
    for name, data in files.items():
        if "/fragment/" in name:
            text = gzip.decompress(data)  # JSON after a signature
            page = json.loads(text[text.index(b"{") :])
            found.append((page["url"], page["meta"]["title"], page["content"]))
    return sorted(found)


@pytest.mark.parametrize(
    "also_changed, guess",
    [(False, None), (True, None), (False, "right"), (False, "wrong"), (True, "right")],
)
def test_a_shard_begun_early_holds_the_pages_as_they_are_at_the_end(
    tmp_path: Path, also_changed: bool, guess: str | None
) -> None:
    # A new process starts on the shard of an article whose body changed with the published
    # pages of that shard (and the edited page as guessed, if it is); at the end the shard
    # must hold every page as the build left it, also when one read early changed after all,
    # or the guess was wrong (it is then made anew).
    from generator.output.search import SearchIndex

    project = tmp_path / "project"
    write_corpus(project, 24)
    edit(project / "site.yaml", r"^search: false$", "search: true")
    Builder(load_config(project / "site.yaml")).build(say=lambda _: None, warn=lambda _: None)
    site, spare = project / "site", tmp_path / "spare"
    shutil.copytree(site, spare, copy_function=os.link)  # the spare: the same files, linked
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("20??/??/*/index.html"))
    year = max({p[:4] for p in pages}, key=lambda y: sum(p.startswith(y) for p in pages))
    edited, other = [p for p in pages if p.startswith(year)][:2]

    def replace(name: str, word: str) -> None:  # as builds write: a new file, renamed
        html = (spare / name).read_text("utf-8").replace("</h1>", f" {word}</h1>", 1)
        (spare / (name + ".new")).write_text(html, "utf-8")
        os.replace(spare / (name + ".new"), spare / name)

    warnings: list[str] = []
    begun = SearchIndex(warnings.append)
    page = (site / edited).read_text("utf-8")
    word = {"right": "Zeppelin", "wrong": "Zebra"}.get(guess or "")
    guessed = {edited: page.replace("</h1>", f" {word}</h1>", 1)} if word else None
    begun.begin(site, {edited}, guessed)
    replace(edited, "Zeppelin")
    if also_changed:
        replace(other, "Quokka")
    made = begun(spare, {year})
    in_year = sum(p.startswith(year) for p in pages)
    # All but the edited page were read early, and that one too if it was guessed right.
    early = {None: in_year - 1, "right": in_year, "wrong": 0}[guess]
    assert begun.read_early == (0 if also_changed else early)
    fresh = SearchIndex(warnings.append)(spare, {year})
    assert not warnings
    titles = {url: title for url, title, _ in _indexed_files(made)}
    assert titles["/" + edited.removesuffix("index.html")].endswith("Zeppelin")
    assert titles["/" + other.removesuffix("index.html")].endswith("Quokka") == also_changed
    assert _indexed_files(made) == _indexed_files(fresh)


def test_a_new_process_knows_which_articles_changed_in_their_body_alone(tmp_path: Path) -> None:
    # The pages whose shards the search index starts on early: those of articles edited in
    # their body alone, when nothing else changed (any other edit changes other pages too).
    from generator import folders

    project = tmp_path / "project"
    write_corpus(project, 12)
    content, cache = project / "content", project / ".portal-cache"

    def body_edits() -> set[str]:  # the pages, not the articles before and after
        new_process = loader.ContentLoader(content, cache, False, folders.shown)
        new_process.load()
        return set(new_process.body_edits)

    assert body_edits() == set()  # the first load: nothing to compare with
    story = content / "story-002.md"
    page = page_of(project, story)
    edit(story, r"\Z", "\nA new closing line.\n")
    assert body_edits() == {page}
    assert body_edits() == set()  # nothing changed since
    edit(story, r"^title: .*$", "title: Another headline")
    assert body_edits() == set()
    edit(story, r"\Z", "\nAnd one more.\n")
    add_story(content)
    assert body_edits() == set()


def test_a_new_process_names_the_pages_of_files_edited_before_it_loads_them(
    tmp_path: Path,
) -> None:
    # The search index starts on the shards of the files edited since the last build before
    # the content is loaded: their pages are named from a small record of the last load.
    from generator import folders

    project = tmp_path / "project"
    write_corpus(project, 24)
    content, cache = project / "content", project / ".portal-cache"

    def likely() -> list[str]:
        stamps = {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in content.glob("*.md")}
        return loader.ContentLoader(content, cache, False, folders.shown).likely_edited(stamps)

    assert likely() == []  # no load yet: nothing to compare with
    loader.ContentLoader(content, cache, False, folders.shown).load()
    assert likely() == []
    story = content / "story-002.md"
    page = page_of(project, story)
    edit(story, r"\Z", "\nA new closing line.\n")
    add_story(content)  # a new file has no page yet
    assert likely() == [page]
    # A watching process keeps the record as it reads the files the watcher names.
    watching = loader.ContentLoader(content, cache, False, folders.shown)
    watching.load()
    assert likely() == []
    edit(story, r"\Z", "\nAnother closing line.\n")
    watching.load(hint={str(story)})
    assert likely() == []
    for path in sorted(content.glob("story-*.md"))[: loader.LIKELY_MAX + 1]:
        edit(path, r"\Z", "\nMore.\n")
    assert likely() == []  # not one editor's edit: none named


def test_a_body_edit_in_a_new_process_has_its_page_guessed_for_the_search_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The search index reads the edited article's page as guessed (the published page, the
    # new body in place of the old) while the build plans: the shard is made before the page
    # is, taken because the page made is the guess, and is the one a cold build makes.
    from generator.output.search import SearchIndex

    project = tmp_path / "project"
    write_corpus(project, 24)
    edit(project / "site.yaml", r"^search: false$", "search: true")
    quiet: dict = {"say": lambda _: None, "warn": lambda _: None}
    Builder(load_config(project / "site.yaml")).build(**quiet)
    story = project / "content/story-005.md"
    page = page_of(project, story)
    taken: list[int] = []
    index, begin, load = SearchIndex.__call__, SearchIndex.begin, loader.ContentLoader.load
    calls: list[str] = []

    def counted(self: SearchIndex, folder: Path, shards: Collection[str]) -> dict[str, bytes]:
        made = index(self, folder, shards)
        taken.append(self.read_early)
        return made

    def begun(self: SearchIndex, published: Path, pages: Collection[str], *rest: Any) -> None:
        calls.append(f"begin {sorted(pages)}")
        begin(self, published, pages, *rest)

    def loaded(self: loader.ContentLoader, *args: Any) -> Any:
        calls.append("load")
        return load(self, *args)

    monkeypatch.setattr(SearchIndex, "__call__", counted)
    monkeypatch.setattr(SearchIndex, "begin", begun)
    monkeypatch.setattr(loader.ContentLoader, "load", loaded)
    year = re.search(r"^date: (\d{4})", story.read_text("utf-8"), re.M)
    assert year is not None
    in_year = sum(1 for _ in (project / "site").glob(f"{year[1]}/??/*/index.html"))
    edit(story, r"\Z", "\nA sentence more, with a [link](other.html).\n")
    Builder(load_config(project / "site.yaml")).build(**quiet)
    assert calls == [f"begin {[page]}", "load"]  # begun before the content is loaded
    assert taken == [in_year]  # every page of the shard read before the end
    cold_build(project, tmp_path)
    assert indexed(project / "site") == indexed(tmp_path / "clean" / "site")


def test_the_preview_starts_on_the_shard_of_the_article_just_edited(tmp_path: Path) -> None:
    # After an edit the preview's search index reads the other pages of that article's
    # shard while it waits: when the editor saves the article again, its page is the only one
    # the shard takes, and the index is still the one a cold build makes.
    project = tmp_path / "project"
    write_corpus(project, 24)
    edit(project / "site.yaml", r"^search: false$", "search: true")
    builder = Builder(load_config(project / "site.yaml"), keep_plan=True, private_output=True)
    quiet: dict = {"say": lambda _: None, "warn": lambda _: None}
    builder.build(**quiet)
    story = project / "content/story-005.md"
    [article] = [a for a in builder.load_content() if a.path.endswith(story.name)]
    year = article.url[:4]
    in_year = sum(1 for _ in (project / "site").glob(f"{year}/??/*/index.html"))
    try:
        for number in range(3):
            edit(story, r"\Z", f"\nSaved again, time {number}.\n")
            builder.build(**quiet, changed={story.resolve()})
            search = builder._ahead  # the index that made this build's shard, now at work again
            assert search is not None
            expected = 0 if number == 0 else in_year - 1  # the first edit: nothing begun yet
            assert search.read_early == expected, number  # type: ignore[attr-defined]
            cold_build(project, tmp_path)
            assert indexed(project / "site") == indexed(tmp_path / "clean" / "site"), number
    finally:
        builder.close()


def test_the_preview_publishes_an_edit_before_its_search_shard(tmp_path: Path) -> None:
    # `portal serve` shows an edited page at once and makes its search shard after: between
    # the two the index is the one before the edit, after them the one a cold build makes.
    project = tmp_path / "project"
    write_corpus(project, 24)
    edit(project / "site.yaml", r"^search: false$", "search: true")
    config = load_config(project / "site.yaml")
    builder = Builder(config, keep_plan=True, private_output=True, search_after=True)
    quiet: dict = {"say": lambda _: None, "warn": lambda _: None}
    builder.build(**quiet)
    story = project / "content/story-005.md"
    page = project / "site" / page_of(project, story)
    try:
        for number in range(3):
            before = indexed(project / "site")
            edit(story, r"\Z", f"\nA zeppelin landed, time {number}.\n")
            builder.build(**quiet, changed={story.resolve()})
            story_text = htmlcheck.parse(page, within="article.story").text
            assert f"A zeppelin landed, time {number}." in story_text
            assert indexed(project / "site") == before  # the shard is not made yet
            assert builder.update_search() is not None
            assert builder.update_search() is None  # nothing is left behind
            cold_build(project, tmp_path)
            assert indexed(project / "site") == indexed(tmp_path / "clean" / "site"), number
        # A build with the search behind makes it first: the site never falls further behind.
        edit(story, r"\Z", "\nA balloon landed too.\n")
        builder.build(**quiet, changed={story.resolve()})
        builder.build(**quiet, changed={story.resolve()})
        assert builder.update_search() is None
        cold_build(project, tmp_path)
        assert indexed(project / "site") == indexed(tmp_path / "clean" / "site")
    finally:
        builder.close()
