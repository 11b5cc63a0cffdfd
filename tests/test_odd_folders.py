"""Input folders that are odd but real: symbolic links that loop or lead nowhere, files and
folders nobody may read. Each is one line naming it, reported with every other problem."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_build import make_project

# As root, permissions do not stop reads: the build runs without the capabilities that let
# root read anything (util-linux's setpriv), as an editor's account would.
NO_OVERRIDE = ["--inh-caps=-dac_override,-dac_read_search"]
NO_OVERRIDE += ["--bounding-set=-dac_override,-dac_read_search"]


def portal(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", *args]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: unreadable files are readable")
        command = ["setpriv", *NO_OVERRIDE, *command]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)


def make_odd(folder: Path, suffix: str) -> dict[str, str]:
    """Odd entries in folder; {name: what its line must say}."""
    (folder / f"loops{suffix}").symlink_to(f"loops{suffix}")
    (folder / f"dangling{suffix}").symlink_to(f"nowhere{suffix}")
    (folder / "back").symlink_to(".")  # a folder inside itself: forty levels of back/back/...
    (folder / "up").symlink_to(f"../{folder.name}")
    (folder / f"private{suffix}").write_text("---\ntitle: Private\n---\n", "utf-8")
    (folder / f"private{suffix}").chmod(0)
    (folder / "locked").mkdir()
    (folder / "locked").chmod(0)
    return {
        f"loops{suffix}": "cannot read: symbolic link loop",
        f"dangling{suffix}": f"cannot read: broken symbolic link to nowhere{suffix}",
        "back": "symbolic link loop: leads back to a folder it is in",
        "up": "symbolic link loop: leads back to a folder it is in",
        f"private{suffix}": "cannot read: permission denied",
        "locked": "cannot read folder: permission denied",
    }


def output_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return (result.stdout + result.stderr).splitlines()


def test_odd_content_entries_fail_the_build_one_line_each(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert portal(root, "build").returncode == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    expected = make_odd(root / "content", ".md")
    (root / "content/bad-date.md").write_text("---\ntitle: T\ndate: someday\n---\n\nText.\n")
    for command in ("build", "check"):
        result = portal(root, command)
        assert result.returncode == 1, command
        lines = output_lines(result)
        for name, message in expected.items():
            assert [line for line in lines if line.startswith(f"content/{name}:")] == [
                f"content/{name}: {message}"
            ], (command, lines)
        assert "content/bad-date.md:3: date: 'someday' is not a date (YYYY-MM-DD)" in lines
        assert not [line for line in lines if "back/back" in line or "up/content" in line]
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before  # the last good site, untouched


def test_odd_seed_entries_are_reported_and_the_others_converted(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    shutil.rmtree(root / "content")
    expected = make_odd(root / "seeds", ".txt")
    result = portal(root, "build")
    lines = output_lines(result)
    assert result.returncode == 0, lines  # bad seeds do not stop a build
    for name, message in expected.items():
        assert [line for line in lines if line.startswith(f"seeds/{name}:")] == [
            f"seeds/{name}: {message}"
        ], lines
    assert f"{len(expected)} seed(s) could not be converted; the build goes on" in lines
    assert len(list((root / "content").glob("*.md"))) == 5
    result = portal(root, "convert")
    assert result.returncode == 1
    assert sum(line.startswith("seeds/") for line in output_lines(result)) == len(expected)
