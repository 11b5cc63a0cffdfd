"""Page bundles: `content/<name>/index.md` with its files beside it, published beside the page;
a photo or a body image naming a file that is not there is bad input, one line each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from generator.model.article import ContentErrors
from tests.conftest import ROOT, write_files
from tests.htmlcheck import crawl, parse
from tests.imagegen import png
from tests.test_build import BASE, build_project, make_project

PNG = png(320, 200)
STORY = """---
title: Harbin ice festival opens to Mongolian sculptors
date: 2024-01-05
countries: [China, Mongolia]
photos:
- {caption: Sculptors at work on the river, credit: Portal staff, src: sculptors.png}
---

The festival opened with teams from Ulaanbaatar.

![The festival grounds at night](maps/grounds.svg)
"""
PAGE = "2024/01/harbin-ice-festival-opens-to-mongolian-sculptors/"


def bundle_project(root: Path) -> Path:
    make_project(root)
    write_files(
        root / "content/ice-festival",
        {
            "index.md": STORY,
            "sculptors.png": PNG,
            "maps/grounds.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            ".notes.txt": "an editor's hidden file, not published",
        },
    )
    return root


def test_a_bundle_publishes_its_files_and_shows_its_photo(tmp_path: Path) -> None:
    out = build_project(bundle_project(tmp_path))
    # Published processed (tests/test_images.py), under its own name as its widest version.
    with Image.open(out / PAGE / "sculptors.png") as published:
        assert published.size == (320, 200)
    assert (out / PAGE / "maps/grounds.svg").is_file()
    assert not (out / PAGE / ".notes.txt").exists()
    story = parse(out / PAGE / "index.html", within="article.story")
    body = parse(out / PAGE / "index.html", within="div.body")
    # The body's drawing, a vector image, is shown as it is; the photo after the body.
    assert body.links == ["maps/grounds.svg"]
    assert story.links[-1] == "sculptors.png"
    assert story.text.endswith("Sculptors at work on the river Photo: Portal staff")
    # Under the project subpath, every image of the page resolves to a published file.
    files, broken = crawl(out, BASE)
    assert broken == []


def test_a_missing_file_is_one_line_naming_the_file_and_line(tmp_path: Path) -> None:
    root = bundle_project(tmp_path)
    (root / "content/ice-festival/sculptors.png").unlink()
    (root / "content/ice-festival/maps/grounds.svg").unlink()
    with pytest.raises(ContentErrors) as caught:
        build_project(root)
    messages = sorted(str(e)[str(e).index("content/") :] for e in caught.value.errors)
    assert messages == [
        "content/ice-festival/index.md:11: image: maps/grounds.svg: no such file beside the "
        "article",
        "content/ice-festival/index.md:6: image: sculptors.png: no such file beside the article",
    ]


def test_a_flat_article_cannot_name_a_file_beside_it(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "content/flat.md").write_text(STORY, "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "content/flat.md" in line]
    assert lines == [
        "content/flat.md:6: image: sculptors.png: an image beside the article needs a page "
        "bundle (content/<name>/index.md with sculptors.png beside it) or a shared folder "
        "(content/media/sculptors.png)",
        "content/flat.md:11: image: maps/grounds.svg: no such file in the content folder "
        "(maps/grounds.svg)",
    ]


def test_a_file_named_like_the_page_is_refused(tmp_path: Path) -> None:
    root = bundle_project(tmp_path)
    (root / "content/ice-festival/index.html").write_text("<p>old export</p>", "utf-8")
    with pytest.raises(ContentErrors) as caught:
        build_project(root)
    [message] = [str(e) for e in caught.value.errors]
    assert message.endswith(
        "content/ice-festival/index.md:1: index.html: would replace the article's page (rename it)"
    )
