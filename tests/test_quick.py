"""The quick no-change check: `portal build` asked again with nothing changed answers from the
last build's record without importing the stages, and anything a build reads, changed, makes
it build as usual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Collection
from pathlib import Path

import pytest

import generator
from generator.build import Builder
from generator.cli import main
from generator.config import load_config
from generator.incremental import quick
from tests.test_incremental import write_corpus

# Prints the build's line, then whether the stages were imported to make it.
RUN_CLI = (
    "import sys\n"
    "from generator.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('stages imported' if 'generator.build' in sys.modules else 'answered quickly')\n"
    "raise SystemExit(code)\n"
)


def answer(*argv: str) -> str | None:
    """The quick check's answer to this command line, in this process."""
    return quick.answer(quick.Asked(argv))


def run_cli(project: Path, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    write_corpus(root, 6)
    monkeypatch.chdir(root)
    assert main(["build"]) == 0  # in this process: the record is kept for ["build"]
    return root


def test_a_second_build_with_nothing_changed_answers_without_the_stages(project: Path) -> None:
    built, how = run_cli(project, "build")
    assert how == "answered quickly"
    assert built.startswith("built ") and built.endswith(" s, without a search index")
    # The line is the one a build that looked at everything says, but for its time.
    (project / ".portal-cache" / quick.RECORD).unlink()
    slow, how = run_cli(project, "build")
    assert how == "stages imported"
    assert slow.rpartition(" in ")[0] == built.rpartition(" in ")[0]
    assert run_cli(project, "build")[1] == "answered quickly"  # and kept the record again


def touch(path: Path) -> None:
    """A save that changes nothing but the file's time."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def add(path: Path, text: str) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)


def rewrite(path: Path) -> None:
    """The same bytes written again in place (by something else than a build)."""
    path.write_bytes(path.read_bytes())


def record(project: Path) -> dict:
    return json.loads((project / ".portal-cache" / quick.RECORD).read_text("utf-8"))


def keep_record(project: Path, data: dict) -> None:
    (project / ".portal-cache" / quick.RECORD).write_text(json.dumps(data), "utf-8")


def day_over(project: Path) -> None:
    """The record's day ended a second ago (a build left running past midnight)."""
    data = record(project)
    data["today"] = [time.time() - 86_400, time.time() - 1]
    keep_record(project, data)


def library_upgraded(project: Path) -> None:
    """A library the output depends on, rewritten (its file's stamp)."""
    data = record(project)
    name, origin = data["libraries"][0]
    fake = project / "library.py"
    fake.write_text("# a library\n")
    data["libraries"][0] = [name, str(fake)]
    data["files"] = quick.files_key(data["folders"], data["libraries"])
    keep_record(project, data)
    assert answer("build") is not None  # as recorded, it is unchanged
    touch(fake)


CHANGES: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "an article saved": (lambda p: touch(p / "content/story-003.md"), ["build"]),
    "an article added": (
        lambda p: (p / "content/new.md").write_text((p / "content/story-001.md").read_text()),
        ["build"],
    ),
    "a seed added": (lambda p: add(p / "seeds/new.txt", "A seed"), ["build"]),
    "a template saved": (lambda p: touch(p / "themes/default/templates/_base.html"), ["build"]),
    "a static file added": (lambda p: add(p / "static/robots.txt", "User-agent: *"), ["build"]),
    "site.yaml saved": (lambda p: touch(p / "site.yaml"), ["build"]),
    "another option": (lambda p: None, ["build", "--drafts"]),
    "another base URL": (lambda p: None, ["build", "--base-url", "https://example.com/"]),
    "the output removed": (lambda p: (p / "site/.portal-manifest").unlink(), ["build"]),
    "the output replaced": (
        lambda p: (p / "site/.portal-manifest").write_bytes(
            (p / "site/.portal-manifest").read_bytes()
        ),
        ["build"],
    ),
    "another day": (day_over, ["build"]),
    "a library upgraded": (library_upgraded, ["build"]),
    "no cache asked for": (lambda p: None, ["build", "--no-cache"]),
    "help asked for": (lambda p: None, ["build", "--help"]),
}


@pytest.mark.parametrize("change", CHANGES)
def test_anything_a_build_reads_changed_makes_it_build(project: Path, change: str) -> None:
    assert answer("build") is not None
    make, argv = CHANGES[change]
    make(project)
    assert answer(*argv) is None


def test_another_environment_is_another_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind")
    assert answer("build") is None
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert answer("build") is not None
    # The generator's own code is walked too: an upgrade of portal is a change.
    assert str(Path(generator.__file__).parent) in record(project)["folders"]


def test_the_same_command_from_another_folder_is_another_build(project: Path) -> None:
    os.chdir(project / "content")
    assert answer("build") is None
    assert answer("build", "--config", "../site.yaml") is None  # not the one recorded
    os.chdir(project)
    assert answer("build") is not None


def test_an_edit_while_building_is_seen_by_the_next_build(project: Path) -> None:
    article = project / "content/story-002.md"
    article.write_text(article.read_text() + "\nOne more line.\n")
    saved: list[bool] = []

    def edit_once(done: int, total: int) -> None:
        if not saved:  # the editor saves again while the pages are written
            saved.append(True)
            article.write_text(article.read_text() + "\nAnd another.\n")

    builder = Builder(load_config(project / "site.yaml"))
    asked = quick.Asked(["build"])
    builder.build(say=lambda _: None, warn=lambda _: None, progress=edit_once, asked=asked)
    assert saved
    assert answer("build") is None
    assert main(["build"]) == 0
    pages = [p for p in (project / "site").rglob("index.html") if "And another." in p.read_text()]
    assert len(pages) == 1


def test_a_failed_build_leaves_no_record(project: Path, capsys: pytest.CaptureFixture) -> None:
    article = project / "content/story-004.md"
    text = article.read_text()
    article.write_text(text.replace("title:", "title: [unclosed", 1))
    assert main(["build"]) == 1
    article.write_text(text)  # as it was, but saved: its stamp is not the recorded one
    assert answer("build") is None
    assert not (project / ".portal-cache" / quick.RECORD).exists()


def test_a_build_after_the_check_takes_its_walk_of_the_content(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walked: list[str] = []
    walk = quick.walk

    def counted(folder: str, skipped: Collection[str] = ()) -> list[tuple[str, int, int]]:
        walked.append(folder)
        return walk(folder, skipped)

    monkeypatch.setattr(quick, "walk", counted)
    touch(project / "content/story-001.md")
    assert main(["build"]) == 0
    assert walked.count("content") == 1  # by the check, and not again by the build
    assert answer("build") is not None  # the record it kept holds the edit
