"""The plain pipeline (no reuse at all: `portal build --no-cache`) and the incremental build
make the same site, byte for byte, manifest included, before and after edits."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.config import load_config
from generator.plain import build_plain
from tests.test_build import build_project, make_project
from tests.test_incremental import snapshot, write_corpus

QUIET = {"say": lambda _: None, "warn": lambda _: None}


def test_the_sample_portal_is_the_same_built_either_way(tmp_path: Path) -> None:
    incremental = build_project(make_project(tmp_path / "a"))
    plain_root = make_project(tmp_path / "b")
    build_plain(load_config(plain_root / "site.yaml"), **QUIET)
    assert not (plain_root / ".portal-cache").exists()  # nothing kept, nothing read
    assert snapshot(plain_root / "site") == snapshot(incremental)


def test_after_edits_the_incremental_build_equals_a_plain_one(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_corpus(project, 30)
    build_project(project)
    story = project / "content/story-007.md"
    text = story.read_text("utf-8")
    story.write_text(re.sub(r"^title: .*$", "title: A new headline", text, flags=re.M), "utf-8")
    (project / "content/story-011.md").unlink()
    incremental = snapshot(build_project(project))
    clean = tmp_path / "clean"
    shutil.copytree(
        project, clean, ignore=shutil.ignore_patterns("site", ".site.prev", ".portal-*")
    )
    build_plain(load_config(clean / "site.yaml"), **QUIET)
    assert snapshot(clean / "site") == incremental
    # And an incremental build takes over what the plain one published.
    build_project(clean)
    assert snapshot(clean / "site") == incremental


def test_portal_build_no_cache(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built ") and (root / "site/index.html").is_file()
    assert not (root / ".portal-cache").exists()


def test_images_are_the_same_bytes_built_either_way(tmp_path: Path) -> None:
    # Processed images too: every variant, the figures, the cards, after an image changed.
    from tests.imagegen import jpeg, png
    from tests.test_images import image_project

    project = image_project(tmp_path / "project")
    build_project(project)
    (project / "content/ice-festival/grounds.png").write_bytes(png(900, 500, seed=5))
    (project / "content/media/team.jpg").write_bytes(jpeg(1000, 700, seed=4))
    incremental = snapshot(build_project(project))
    assert "media/team.jpg" in incremental
    clean = tmp_path / "clean"
    shutil.copytree(
        project, clean, ignore=shutil.ignore_patterns("site", ".site.prev", ".portal-*")
    )
    build_plain(load_config(clean / "site.yaml"), **QUIET)
    assert not (clean / ".portal-cache").exists()
    assert snapshot(clean / "site") == incremental
