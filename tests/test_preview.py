"""portal serve / watch: a real watchdog observer, a real server on loopback, real files."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.config import load_config
from generator.preview.session import run
from generator.preview.watch import Watcher
from tests.test_build import make_project

TIMEOUT = 15


@dataclass
class Running:
    """A preview running in a thread of the test process."""

    root: Path
    base_url: str
    log: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    watcher: Watcher | None = None

    def settle(self) -> None:
        """Wait until every change made so far has been seen and rebuilt (with a deadline)."""
        assert self.watcher is not None
        # Each folder is watched apart, its events in order: a marker in each (not the theme's,
        # which is the repository's own).
        for folder in self.watcher.folders:
            if folder.is_relative_to(self.root.resolve()):
                assert self.watcher.flush(folder, TIMEOUT), f"{folder}: still busy"

    def get(self, path: str = "") -> tuple[int, str, dict[str, str]]:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=TIMEOUT) as response:
                return response.status, response.read().decode("utf-8"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def epoch(self) -> int:
        return json.loads(self.get("__portal/poll?epoch=-1")[1])["epoch"]

    def after_change(self, change, expected_rebuilds: int = 1) -> list[str]:
        """Make a change and wait until the preview has rebuilt; the new log lines."""
        before, lines = self.epoch(), len(self.log) + len(self.errors)
        change()
        deadline = time.monotonic() + TIMEOUT
        epoch = before
        while epoch < before + expected_rebuilds and time.monotonic() < deadline:
            epoch = json.loads(self.get(f"__portal/poll?epoch={epoch}")[1])["epoch"]
        assert epoch >= before + expected_rebuilds, "no rebuild happened"
        self.settle()  # a second, unexpected rebuild is in the log by now
        return (self.log + self.errors)[lines:]


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Running]:
    with _previewing(tmp_path) as running:
        yield running


@contextlib.contextmanager
def _previewing(tmp_path: Path, **options: object) -> Iterator[Running]:
    root = make_project(
        tmp_path / "project", base_url="https://example.github.io/portal/", **options
    )
    stop = threading.Event()
    ready = threading.Event()
    running = Running(root, "")

    def on_ready(url: str) -> None:
        running.base_url = url
        ready.set()

    def on_watching(watcher: Watcher) -> None:
        running.watcher = watcher

    config_path = root / "site.yaml"
    thread = threading.Thread(
        target=run,
        args=(load_config(config_path), config_path),
        kwargs={
            "serve": True,
            "port": 0,
            "out": str(tmp_path / "out"),
            "say": running.log.append,
            "warn": running.errors.append,
            "ready": on_ready,
            "stop": stop,
            "watching": on_watching,
        },
        daemon=True,
    )
    thread.start()
    assert ready.wait(TIMEOUT)
    yield running
    stop.set()
    thread.join(TIMEOUT)
    assert not thread.is_alive()


def rebuilt(lines: list[str]) -> list[tuple[int, int]]:
    found = [re.fullmatch(r"rebuilt (\d+) of ([\d,]+) pages in \d+ ms", line) for line in lines]
    return [(int(m[1]), int(m[2].replace(",", ""))) for m in found if m]


def test_serves_under_the_subpath_with_live_reload_script(preview: Running) -> None:
    assert preview.base_url.endswith("/portal/")
    status, html, headers = preview.get()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "__portal/poll" in html and "South Korean delegation" in html
    out = preview.root.parent / "out"
    assert "__portal" not in (out / "index.html").read_text("utf-8")  # only in responses
    status, body, headers = preview.get("feed.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    assert "__portal" not in body
    css = next(out.glob("style.*.css")).name
    assert preview.get(css)[2]["Content-Type"].startswith("text/css")
    assert preview.get("no/such/page/")[0] == 404


def test_body_edit_rerenders_only_the_article_page(preview: Running) -> None:
    path = next((preview.root / "content").glob("harbin-ukraine*.md"))
    text = path.read_text("utf-8")
    lines = preview.after_change(
        lambda: path.write_text(text.replace("four enterprises", "five enterprises"), "utf-8")
    )
    assert rebuilt(lines)[0][0] == 1, lines
    assert len(rebuilt(lines)) == 1, lines  # one save, one rebuild
    page = preview.get("2020/12/harbin-ukraine-to-further-deepen-business-cooperation/")[1]
    assert "five enterprises" in page


def test_title_edit_updates_every_list(preview: Running) -> None:
    path = next((preview.root / "content").glob("harbin-ukraine*.md"))
    text = path.read_text("utf-8")
    new = text.replace("title: Harbin, Ukraine to further", "title: Harbin, Ukraine to strongly")
    lines = preview.after_change(lambda: path.write_text(new, "utf-8"))
    [(count, total)] = rebuilt(lines)
    assert 1 < count < total
    for page in ("", "countries/ukraine/", "tags/agriculture/", "archive/2020/", "feed.xml"):
        body = preview.get(page)[1]
        assert "Harbin, Ukraine to strongly deepen" in body, page
        assert "to further deepen" not in body, page


def test_new_seed_is_converted_and_shown(preview: Running) -> None:
    seed = preview.root / "seeds/005_new.txt"
    text = (
        "Home>Foreign Exchanges\n\nBrazilian soybean buyers visit Harbin\n\nUpdated : 2021-06-01"
        "\n\nBy ( e.my399.com )\n\nA delegation from Brazil visited Harbin to buy soybeans.\n"
    )
    preview.after_change(lambda: seed.write_text(text, "utf-8"))
    home = preview.get()[1]
    assert "Brazilian soybean buyers visit Harbin" in home
    assert (preview.root / "content/brazilian-soybean-buyers-visit-harbin.md").exists()


def test_delete_and_rename(preview: Running) -> None:
    content = preview.root / "content"
    path = next(content.glob("harbin-ukraine*.md"))
    url = "2020/12/harbin-ukraine-to-further-deepen-business-cooperation/"
    moved = content / "renamed.md"
    preview.after_change(lambda: path.rename(moved))
    assert preview.get(url)[0] == 200  # the URL comes from the slug, not the file name
    preview.after_change(moved.unlink)
    assert preview.get(url)[0] == 404
    assert preview.get("countries/ukraine/")[0] == 404
    assert "Ukraine" not in preview.get()[1]
    assert not (preview.root.parent / "out" / url).exists()


def test_template_change_rerenders_the_pages_that_use_it(preview: Running) -> None:
    templates = preview.root / "templates"
    templates.mkdir()
    theme = Path(load_config(preview.root / "site.yaml").themes_dir) / "default/templates"
    source = (theme / "article.html").read_text("utf-8")
    changed = source.replace("Related articles", "More on this")
    lines = preview.after_change(lambda: (templates / "article.html").write_text(changed))
    [(count, _)] = rebuilt(lines)
    assert count == 5  # the five article pages, nothing else
    page = preview.get("2020/12/harbin-ukraine-to-further-deepen-business-cooperation/")[1]
    assert "More on this" in page


def test_config_change_rebuilds_everything(preview: Running) -> None:
    config = preview.root / "site.yaml"
    data = json.loads(config.read_text())
    data["title"] = "Renamed Portal"
    lines = preview.after_change(lambda: config.write_text(json.dumps(data)))
    [(count, total)] = rebuilt(lines)
    # Every rendered page: static files are not rendered (the stylesheet, the icon, .nojekyll,
    # the flags of the site's countries with their licence), nor images (from the cache).
    out = preview.root.parent / "out"
    flags = len(list((out / "flags").iterdir()))
    images = len(list((out / "media").iterdir()))
    assert flags > 5 and images > 5 and count >= total - 3 - flags - images
    assert "Renamed Portal" in preview.get("countries/")[1]


def test_broken_file_shows_error_page_and_recovers(preview: Running) -> None:
    path = next((preview.root / "content").glob("harbin-ukraine*.md"))
    good = path.read_text("utf-8")
    bad = good.replace("date: 2020-12-04", "date: someday")
    lines = preview.after_change(lambda: path.write_text(bad, "utf-8"))
    assert any(
        re.search(r"harbin-ukraine.*\.md:3: date: 'someday' is not a date", x) for x in lines
    )
    status, page, _ = preview.get()
    assert status == 200  # the last good build is still served
    assert 'id="portal-build-error"' in page and ".md:3: date: &#x27;someday&#x27;" in page
    assert "Harbin, Ukraine to further deepen" in page
    preview.after_change(lambda: path.write_text(good, "utf-8"))
    assert 'id="portal-build-error"' not in preview.get()[1]


def test_template_error_shows_file_and_line(preview: Running) -> None:
    templates = preview.root / "templates"
    templates.mkdir()
    lines = preview.after_change(
        lambda: (templates / "404.html").write_text("{% extends '_base.html' %}\n{% block main %}")
    )
    assert any("templates/404.html:2:" in line for line in lines), lines
    assert 'id="portal-build-error"' in preview.get()[1]


def test_burst_of_changes_gives_one_rebuild(preview: Running) -> None:
    content = preview.root / "content"

    def checkout() -> None:
        for number in range(100):
            (content / f"burst-{number:03}.md").write_text(
                f"---\ntitle: Burst story {number}\ndate: 2019-01-01\n---\n\nText.\n"
            )

    lines = preview.after_change(checkout)
    assert len(rebuilt(lines)) == 1, lines
    assert "100 articles" in preview.get("archive/2019/")[1]


def test_editor_save_via_temp_file_and_swap_files(preview: Running) -> None:
    content = preview.root / "content"
    path = next(content.glob("harbin-ukraine*.md"))
    text = path.read_text("utf-8").replace("four enterprises", "six enterprises")

    def save_like_an_editor() -> None:
        (content / ".harbin.md.swp").write_text("swap")
        (content / "4913").write_text("")
        (content / "4913").unlink()
        temporary = content / "harbin.md~"
        temporary.write_text(text, "utf-8")
        temporary.rename(path)

    lines = preview.after_change(save_like_an_editor)
    assert len(rebuilt(lines)) == 1
    swap_only = preview.epoch()
    (content / ".other.swp").write_text("x")
    (content / "notes.md~").write_text("x")
    preview.settle()
    assert preview.epoch() == swap_only  # a swap file alone rebuilds nothing


def test_server_never_leaves_its_folder(preview: Running, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    out = preview.root.parent / "out"
    (out / "link").symlink_to(tmp_path)
    assert (out / ".portal-manifest").is_file()
    (out / ".hidden").mkdir()
    (out / ".hidden/page.html").write_text("<p>internal</p>")
    for path in (
        "../secret.txt",
        "..%2fsecret.txt",
        "%2e%2e/%2e%2e/secret.txt",
        "%2e%2e%2f%2e%2e%2fsecret.txt",
        "link/secret.txt",
        ".portal-manifest",  # the build's own files are not the site's
        "%2eportal-manifest",
        ".hidden/page.html",
        "%00",
    ):
        request = urllib.request.Request(preview.base_url + path)
        request.full_url = preview.base_url + path  # keep the dots as sent
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode("utf-8", "replace")
        assert status in (400, 404), (path, status)
        assert "secret" not in body and "internal" not in body, path


def test_binds_loopback_and_answers_during_rebuilds(preview: Running) -> None:
    assert preview.base_url.startswith("http://127.0.0.1:")
    path = next((preview.root / "content").glob("harbin-ukraine*.md"))
    text = path.read_text("utf-8")
    stop = threading.Event()

    def edit_repeatedly() -> None:
        for number in range(10):
            if stop.is_set():
                return
            path.write_text(text.replace("four", f"{number} four"), "utf-8")
            time.sleep(0.15)

    editor = threading.Thread(target=edit_repeatedly)
    editor.start()
    pages = ["", "countries/ukraine/", "tags/trade/", "feed.xml", "archive/2020/"] * 40
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda p: preview.get(p)[0], pages))
    stop.set()
    editor.join()
    assert statuses == [200] * len(pages)


def test_the_search_index_follows_every_edit(tmp_path: Path) -> None:
    from tests.test_search import fragments

    out = tmp_path / "out"
    with _previewing(tmp_path, search=True) as running:
        path = next((running.root / "content").glob("harbin-ukraine*.md"))
        text = path.read_text("utf-8")
        assert not [f for f in fragments(out) if "zeppelin" in f["content"]]
        running.after_change(lambda: path.write_text(text + "\nA zeppelin landed.\n", "utf-8"))
        found = [f["url"] for f in fragments(out) if "zeppelin" in f["content"]]
        assert len(found) == 1 and found[0].startswith("/2020/12/harbin-ukraine"), found
        running.after_change(lambda: path.write_text(text, "utf-8"))
        assert not [f for f in fragments(out) if "zeppelin" in f["content"]]


def test_watch_without_server_builds_into_the_output(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    stop = threading.Event()
    log: list[str] = []
    config_path = root / "site.yaml"
    thread = threading.Thread(
        target=run,
        args=(load_config(config_path), config_path),
        kwargs={"serve": False, "say": log.append, "warn": log.append, "stop": stop},
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + TIMEOUT
    while not any(line.startswith("watching") for line in log) and time.monotonic() < deadline:
        time.sleep(0.05)
    path = next((root / "content").glob("harbin-ukraine*.md"))
    path.write_text(path.read_text("utf-8").replace("four enterprises", "nine enterprises"))
    out = root / "site/2020/12/harbin-ukraine-to-further-deepen-business-cooperation/index.html"
    while time.monotonic() < deadline and "nine enterprises" not in out.read_text("utf-8"):
        time.sleep(0.05)
    stop.set()
    thread.join(TIMEOUT)
    assert "nine enterprises" in out.read_text("utf-8")
    assert "__portal" not in out.read_text("utf-8")


def test_watcher_ignores_output_and_debounces(tmp_path: Path) -> None:
    watched = tmp_path / "content"
    output = watched / "site"  # even an output folder inside a watched one is ignored
    output.mkdir(parents=True)
    calls: list[set[Path]] = []
    done = threading.Event()

    def rebuild(changed: set[Path]) -> None:
        calls.append(changed)
        done.set()

    watcher = Watcher([watched], rebuild, ignore=[output])
    watcher.start()
    try:
        (output / "index.html").write_text("x")
        assert watcher.flush(watched, TIMEOUT)  # its event has been seen
        assert calls == []
        for number in range(20):
            (watched / f"{number}.md").write_text("x")
        assert done.wait(TIMEOUT)
        assert watcher.flush(watched, TIMEOUT)
        assert len(calls) == 1
        assert {p.name for p in calls[0]} == {f"{n}.md" for n in range(20)}
    finally:
        watcher.stop()


def test_portal_serve_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    root = make_project(tmp_path / "project")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", "0", "--base-url", "/portal/"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As from a terminal: a test run in the background (`pytest &`) ignores SIGINT, and
        # the server would inherit that and never see the Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        lines = []
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            lines.append(process.stdout.readline())
            if lines[-1].startswith("serving "):
                break
        url = lines[-1].split()[1]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/portal/", url), lines
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            assert "South Korean delegation" in response.read().decode()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err
    assert not (root / "site").exists()  # the preview never writes the published folder


def test_a_broken_link_while_watching_is_reported_until_it_is_mended(preview: Running) -> None:
    content = preview.root / "content"
    link = content / "linked.md"
    lines = preview.after_change(lambda: link.symlink_to("elsewhere.md"))
    assert [x for x in lines if "linked.md" in x] == [
        f"{link}: cannot read: broken symbolic link to elsewhere.md"
    ], lines
    assert 'id="portal-build-error"' in preview.get()[1]
    source = next(content.glob("harbin-ukraine*.md")).read_text("utf-8")
    target = content.parent / "elsewhere.md"
    target.write_text(source.replace("slug: harbin", "slug: linked-harbin"), "utf-8")
    lines = preview.after_change(lambda: (link.unlink(), link.symlink_to(target)))
    assert 'id="portal-build-error"' not in preview.get()[1], lines
