"""Per-site rules (data/sources.yaml): how to recognise a site's pages, and what its head
lines and injected furniture look like. Most sites need none: the general rules read them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from generator.convert.text import Block


@dataclass(frozen=True, slots=True)
class Layout:
    """One source's layout rules, as read from data/sources.yaml."""

    name: str
    detect: tuple[re.Pattern[str], ...] = ()
    fields: tuple[tuple[str, re.Pattern[str]], ...] = ()
    masthead: re.Pattern[str] | None = None
    tagline: bool = False
    drop: tuple[re.Pattern[str], ...] = ()
    day_first: bool = False  # 05/09/2023 is 5 September


PLAIN = Layout(name="plain")


@cache
def _sources_data() -> dict[str, Any]:
    text = resources.files("generator").joinpath("data/sources.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def load_layouts() -> tuple[int, tuple[Layout, ...]]:
    """The header size and the known source layouts, from the package's data file."""
    data = _sources_data()
    return int(data["header_blocks"]), tuple(_layout(entry) for entry in data["sources"])


def _layout(entry: dict[str, Any]) -> Layout:
    return Layout(
        name=entry["name"],
        detect=tuple(re.compile(p) for p in entry.get("detect", ())),
        fields=tuple((k, re.compile(p)) for k, p in entry.get("fields", {}).items()),
        masthead=re.compile(entry["masthead"]) if entry.get("masthead") else None,
        tagline=bool(entry.get("tagline", False)),
        drop=tuple(re.compile(p) for p in entry.get("drop", ())),
        day_first=bool(entry.get("day_first", False)),
    )


def recognise(blocks: list[Block]) -> Layout:
    """The first known layout whose detect patterns all match header blocks, else PLAIN."""
    header_size, layouts = load_layouts()
    header = blocks[:header_size]
    for layout in layouts:
        if all(any(p.search(b.text) for b in header) for p in layout.detect):
            return layout
    return PLAIN
