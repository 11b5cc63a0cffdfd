"""Writing the site: the plain way (output/write.py: every page into a new folder, swapped in)
and the output pair (incremental/outputs.py: only what changed, the two folders kept equal)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.incremental.outputs import write_site
from generator.output.write import MANIFEST, manifest_text, parse_manifest, write_whole
from generator.pages.records import Page


def pages(**texts: str) -> list[Page]:
    """Pages rendered from their fingerprint: 'a' -> b'<a>'."""
    return [Page(url, "t.html", {}, fingerprint) for url, fingerprint in texts.items()]


def render(page: Page) -> bytes:
    return f"<{page.fingerprint}>".encode()


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }


def test_write_whole_publishes_exactly_the_pages(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_whole(pages(**{"": "home", "a/": "a", "b/": "b"}), out, render)
    write_whole(pages(**{"": "home2", "a/": "a"}), out, render)
    assert files(out) == {"index.html": b"<home2>", "a/index.html": b"<a>"}  # b/ is gone
    manifest = parse_manifest((out / MANIFEST).read_text("utf-8"))
    assert manifest == {"index.html": "home2", "a/index.html": "a"}


def test_the_output_pair_renders_only_what_changed_and_keeps_both_folders(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = write_site(pages(**{"": "home", "a/": "a", "b/": "b"}), out, render)
    assert first.rendered == 3
    second = write_site(pages(**{"": "home", "a/": "a2", "b/": "b"}), out, render)
    assert (second.rendered, second.written) == (1, 1)
    assert files(out) == {"index.html": b"<home>", "a/index.html": b"<a2>", "b/index.html": b"<b>"}
    spare = tmp_path / ".site.prev"
    assert files(spare) == files(out)  # caught up: the next build starts from equal folders
    # An unchanged file is one file in both folders, not a copy.
    assert os.stat(out / "b/index.html").st_ino == os.stat(spare / "b/index.html").st_ino
    third = write_site(pages(**{"": "home", "a/": "a2", "b/": "b"}), out, render)
    assert (third.rendered, third.written) == (0, 0)


@pytest.mark.parametrize("write", [write_whole, write_site])
def test_a_name_outside_the_site_or_twice_is_refused_before_anything_is_written(
    tmp_path: Path, write: object
) -> None:
    out = tmp_path / "site"
    for bad in (pages(**{"../escape/": "x"}), pages(a="1") + pages(a="2")):
        with pytest.raises(InputError):
            write(bad, out, render)  # type: ignore[operator]
        assert not out.exists()


def test_a_manifest_cut_short_is_not_read() -> None:
    text = manifest_text({"a/index.html": "f1", "index.html": "f2"})
    assert parse_manifest(text) == {"a/index.html": "f1", "index.html": "f2"}
    with pytest.raises(ValueError):
        parse_manifest(text[:-5])
