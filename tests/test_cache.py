"""What a build keeps for the next: the delta store (a dict saved as a base pickle plus a small
delta of what changed since) and the gazetteer."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from generator.incremental.cache import BodyStore, DeltaStore


def test_small_changes_go_to_the_delta_and_read_back_merged(tmp_path: Path) -> None:
    path = tmp_path / "index.pickle"
    entries = {f"k{i}": (i, f"value {i}") for i in range(1000)}
    first = DeltaStore(path, 1)
    first.read()
    first.write(entries)
    base = path.read_bytes()

    store = DeltaStore(path, 1)
    loaded = store.read()
    assert loaded == entries
    loaded["k5"] = (5, "changed")
    del loaded["k6"]
    loaded["new"] = (0, "added")
    store.write(loaded)
    assert path.read_bytes() == base  # the base is not written again
    assert path.with_name("index.delta.pickle").exists()

    again = DeltaStore(path, 1).read()
    assert again == loaded
    assert list(again)[:5] == ["k0", "k1", "k2", "k3", "k4"]


def test_a_delta_of_another_base_is_ignored_and_big_changes_rewrite_the_base(
    tmp_path: Path,
) -> None:
    path = tmp_path / "index.pickle"
    one = DeltaStore(path, 1)
    one.read()
    one.write({"a": (1,), "b": (2,)})
    stale = DeltaStore(path, 1)
    stale.read()
    # Another process writes a new base (a big change) after `stale` read the old one.
    other = DeltaStore(path, 1)
    other.read()
    other.write({f"x{i}": (i,) for i in range(500)})
    assert not path.with_name("index.delta.pickle").exists()
    stale.write({"a": (1,), "b": (3,)})  # its delta names the old base
    assert DeltaStore(path, 1).read() == {f"x{i}": (i,) for i in range(500)}
    assert DeltaStore(path, 2).read() == {}  # another version: nothing


def test_update_saves_the_changed_entries_only(tmp_path: Path) -> None:
    path = tmp_path / "index.pickle"
    DeltaStore(path, 1).write({f"k{i}": i for i in range(1000)})
    store = DeltaStore(path, 1)
    store.read()
    store.update({"k1": -1, "k2": None, "new": 5})
    assert store._delta_path().stat().st_size < 1000  # a delta, not the whole dict
    expected = {f"k{i}": i for i in range(1000) if i != 2} | {"k1": -1, "new": 5}
    assert DeltaStore(path, 1).read() == expected
    store.update({"k3": None})  # on top of its own last save
    del expected["k3"]
    assert DeltaStore(path, 1).read() == expected


def test_gazetteer_is_kept_and_a_bad_or_stale_copy_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.model import gazetteer

    kept = tmp_path / gazetteer.GAZETTEER_CACHE
    monkeypatch.setattr(gazetteer, "_loaded", None)
    made = gazetteer.load_gazetteer(tmp_path)
    assert made.country("South Korea") is not None and kept.exists()
    make = gazetteer._make_gazetteer
    # Read back, not made again.
    monkeypatch.setattr(gazetteer, "_loaded", None)
    monkeypatch.setattr(gazetteer, "_make_gazetteer", lambda: pytest.fail("made again"))
    assert gazetteer.load_gazetteer(tmp_path) == made
    # A copy cut short, or made from other sources, is made again and replaced.
    monkeypatch.setattr(gazetteer, "_make_gazetteer", make)
    for bad in (kept.read_bytes()[:100], pickle.dumps((("other",), made))):
        kept.write_bytes(bad)
        monkeypatch.setattr(gazetteer, "_loaded", None)
        assert gazetteer.load_gazetteer(tmp_path) == made
        assert pickle.loads(kept.read_bytes())[0] == gazetteer._sources_key()


DATA = Path(__file__).resolve().parent.parent / "generator" / "data"


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.yaml")))
def test_an_edited_data_file_is_a_changed_input(tmp_path: Path, name: str) -> None:
    # An editor adds an alias to countries.yaml: the next `portal build` must not stop at its
    # no-change check, and the gazetteer kept in .portal-cache/ must be made again.
    from generator.config import load_config
    from generator.incremental import unchanged
    from generator.model import gazetteer

    (tmp_path / "site.yaml").write_text("title: T\nsearch: false\n")
    config = load_config(tmp_path / "site.yaml")
    inputs, sources = unchanged.inputs_key(config, False, False), gazetteer._sources_key()
    path = DATA / name
    stat = path.stat()
    # An edit seen by its stamp (the file's bytes stay: other tests read them).
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        assert unchanged.inputs_key(config, False, False) != inputs
        if name in ("countries.yaml", "places.yaml"):  # what the gazetteer is made of
            assert gazetteer._sources_key() != sources
    finally:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert unchanged.inputs_key(config, False, False) == inputs


def test_articles_come_back_from_the_index_as_they_were_parsed(tmp_path: Path) -> None:
    from generator import folders
    from generator.incremental.loader import ContentLoader
    from tests.test_images import image_project

    root = image_project(tmp_path / "project")
    content, cache = root / "content", root / ".portal-cache"
    parsed, errors = ContentLoader(content, cache, False, folders.shown).load()
    assert not errors
    with_pictures = [a for a in parsed if a.pictures and a.files and a.image and a.photos]
    assert with_pictures, "the project should have a bundle with a lead image and photos"
    # A new loader reads them back from the article index.
    kept, errors = ContentLoader(content, cache, False, folders.shown).load()
    assert not errors
    assert kept == parsed
    for before, after in zip(parsed, kept, strict=True):
        assert after is not before
        assert after.url == before.url and after.pictures == before.pictures
        assert after.files == before.files
        assert str(after.body) == str(before.body)


def test_an_article_of_another_shape_is_not_read_back(tmp_path: Path) -> None:
    # A record pickled by a version whose Article had another number of fields: the index is
    # then unreadable (made again), never read into the wrong fields.
    from generator.model.article import Photo

    class ShorterPhoto:  # pickles as a Photo whose state lacks its last field
        def __reduce__(self) -> tuple:
            return (object.__new__, (Photo,), ("A caption", "A credit", "lead.jpg"))

    photo = Photo("A caption", "A credit", "lead.jpg", "Alt")
    assert pickle.loads(pickle.dumps(photo)) == photo
    shorter = pickle.dumps({"version": 1, "token": "t", "entries": {"a": ShorterPhoto()}})
    with pytest.raises(ValueError):
        pickle.loads(shorter)
    path = tmp_path / "index.pickle"
    path.write_bytes(shorter)
    assert DeltaStore(path, 1).read() == {}


@pytest.mark.parametrize("count", [10, 5000])
def test_the_body_store_says_which_bodies_it_holds(tmp_path: Path, count: int) -> None:
    """Asked about a few keys it looks each up; about many, it reads every key it holds."""
    store = BodyStore(tmp_path / "bodies.sqlite")
    keys = [f"html:{n:05d}" for n in range(count)]
    store.put({key: f"<p>{key}</p>" for key in keys[::2]})
    store.put({"html:other": "<p>not asked</p>"})
    assert store.has([*keys, "html:gone"]) == set(keys[::2])
    assert store.has([]) == set()
