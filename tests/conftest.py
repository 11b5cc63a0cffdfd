"""Shared fixtures: the project's seeds, and scratch sites written into tmp_path."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A fresh copy of the project's five seed articles."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write {relative path: text or bytes} under root; text is dedented."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")


def read_front_matter(path: Path) -> tuple[dict, str]:
    """The YAML front matter and the body of a content file."""
    text = path.read_text("utf-8")
    assert text.startswith("---\n"), path
    header, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(header), body.lstrip("\n")


def content_by_seed(content: Path) -> dict[str, tuple[dict, str, Path]]:
    """seed file name -> (front matter, body, path) for every content file."""
    found = {}
    for path in sorted(content.glob("*.md")):
        fields, body = read_front_matter(path)
        found[fields["seed"]] = (fields, body, path)
    return found
