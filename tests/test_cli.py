"""The `portal` command as a user runs it: a real subprocess, exit codes and messages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.output.write import MANIFEST
from tests.conftest import ROOT, write_files


def portal(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_lists_convert(tmp_path: Path) -> None:
    result = portal("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "convert" in result.stdout


def test_convert_defaults_and_summary(tmp_path: Path, seeds_copy: Path) -> None:
    result = portal("convert", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "wrote content/south-korean-delegation-seeks-business-deals-in-harbin.md" in (
        result.stdout
    )
    assert result.stdout.strip().endswith(
        "converted 5 seeds: 5 written, 0 unchanged, 0 kept, 0 failed"
    )
    again = portal("convert", cwd=tmp_path)
    assert again.stdout.strip() == "converted 5 seeds: 0 written, 5 unchanged, 0 kept, 0 failed"


def test_bad_seeds_exit_nonzero_with_a_count(tmp_path: Path, seeds_copy: Path) -> None:
    write_files(seeds_copy, {"empty.txt": b"", "nodate.txt": "A title\n\nA body.\n"})
    result = portal("convert", cwd=tmp_path)
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert errors == ["seeds/empty.txt: empty file"]
    assert "Traceback" not in result.stderr
    # The undated page is not refused: it is a draft for an editor to date.
    assert result.stdout.strip().endswith("6 written, 0 unchanged, 0 kept, 1 failed")
    assert len(list((tmp_path / "content").glob("*.md"))) == 6
    draft = (tmp_path / "content/a-title.md").read_text("utf-8")
    assert "draft: true" in draft and "review: [no date found]" in draft


def test_edited_file_message_and_force(tmp_path: Path, seeds_copy: Path) -> None:
    portal("convert", cwd=tmp_path)
    path = tmp_path / "content" / "harbin-ukraine-to-further-deepen-business-cooperation.md"
    path.write_text(path.read_text("utf-8") + "\nAn editor's note.\n", "utf-8")
    result = portal("convert", cwd=tmp_path)
    assert result.returncode == 0
    assert (
        f"kept content/{path.name}: edited since convert wrote it (--force overwrites)"
        in result.stdout
    )
    assert "An editor's note." in path.read_text("utf-8")
    forced = portal("convert", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert "An editor's note." not in path.read_text("utf-8")


def test_explicit_files_and_folders(tmp_path: Path, seeds_copy: Path) -> None:
    result = portal(
        "convert",
        "--seeds",
        "seeds",
        "--content",
        "out",
        "seeds/001_afc923f68b10f8f4.txt",
        "seeds/missing.txt",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "seeds/missing.txt: no such seed file" in result.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.md")] == [
        "harbin-ukraine-to-further-deepen-business-cooperation.md"
    ]


def test_missing_seed_folder(tmp_path: Path) -> None:
    result = portal("convert", "--seeds", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "nowhere: no such seed folder"


def test_build_converts_new_seeds_and_reports(tmp_path: Path, seeds_copy: Path) -> None:
    (tmp_path / "site.yaml").write_text(f"themes_dir: {ROOT / 'themes'}\n")
    result = portal("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert sum(line.startswith("wrote content/") for line in lines) == 5
    assert re.fullmatch(
        r"built \d+ pages \(5 articles, \d+ tags, 10 countries\) into site/ in \d+\.\d s",
        lines[-1],
    )
    again = portal("build", "--base-url", "https://example.org/news/", cwd=tmp_path)
    assert again.stdout.count("wrote content/") == 0
    assert 'href="/news/' in (tmp_path / "site/index.html").read_text("utf-8")


def test_build_failure_names_file_and_line(tmp_path: Path, seeds_copy: Path) -> None:
    (tmp_path / "site.yaml").write_text(f"themes_dir: {ROOT / 'themes'}\n")
    portal("build", cwd=tmp_path)
    index = (tmp_path / "site/index.html").read_bytes()
    (tmp_path / "content/zz.md").write_text("---\ntitle: Zz\ndate: 2021-02-30\n---\nBody\n")
    result = portal("build", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/zz.md:3: date: '2021-02-30' is not a date (YYYY-MM-DD)",
        "build failed: 1 problem(s); the previous site is unchanged",
    ]
    assert (tmp_path / "site/index.html").read_bytes() == index


def test_bad_config_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: X\npaginate: many\nthemes: default\n")
    result = portal("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "site.yaml:2: paginate: 'many' is not a whole number of at least 1" in result.stderr
    assert "site.yaml:3: themes: unknown option" in result.stderr


def test_fingerprints_are_the_same_in_every_process(tmp_path: Path, seeds_copy: Path) -> None:
    """Fingerprints must not depend on the process (a set's order varies with the hash seed):
    else a new process would think every page changed and render the whole site again."""
    (tmp_path / "site.yaml").write_text(f"themes_dir: {ROOT / 'themes'}\nsearch: false\n")
    manifests = []
    for seed in ("1", "2"):
        shutil.rmtree(tmp_path / "site", ignore_errors=True)
        shutil.rmtree(tmp_path / ".portal-cache", ignore_errors=True)
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
        manifests.append((tmp_path / "site" / MANIFEST).read_text("utf-8"))
    assert manifests[0] == manifests[1]
