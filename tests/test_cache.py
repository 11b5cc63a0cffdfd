"""The delta store: a dict saved as a base pickle plus a small delta of what changed since."""

from __future__ import annotations

from pathlib import Path

from generator.cache import DeltaStore


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
