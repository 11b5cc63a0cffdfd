"""Recognise a seed's source layout and pull out its fields and body blocks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from generator.convert.text import Block
from generator.errors import InputError


@dataclass(frozen=True, slots=True)
class Layout:
    """One source's layout rules, as read from data/sources.yaml."""

    name: str
    detect: tuple[re.Pattern[str], ...] = ()
    fields: tuple[tuple[str, re.Pattern[str]], ...] = ()
    masthead: re.Pattern[str] | None = None
    tagline: bool = False
    drop: tuple[re.Pattern[str], ...] = ()
    teaser_at_end: bool = False


PLAIN = Layout(name="plain")


@dataclass(frozen=True, slots=True)
class RawArticle:
    """What a layout reads off a seed, before furniture stripping and detection."""

    layout: str
    title: str
    date: dt.date
    section: str | None
    source: str | None
    body: tuple[Block, ...]


@cache
def _sources_data() -> dict[str, Any]:
    text = resources.files("generator").joinpath("data/sources.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def load_layouts() -> tuple[int, tuple[Layout, ...]]:
    """The header size and the known source layouts, from the package's data file."""
    data = _sources_data()
    return int(data["header_blocks"]), tuple(_layout(entry) for entry in data["sources"])


@cache
def photo_caption_pattern() -> re.Pattern[str]:
    """The pattern of a photo caption block, with groups `caption` and `credit`."""
    return re.compile(_sources_data()["photo_caption"])


def _layout(entry: dict[str, Any]) -> Layout:
    return Layout(
        name=entry["name"],
        detect=tuple(re.compile(p) for p in entry.get("detect", ())),
        fields=tuple((k, re.compile(p)) for k, p in entry.get("fields", {}).items()),
        masthead=re.compile(entry["masthead"]) if entry.get("masthead") else None,
        tagline=bool(entry.get("tagline", False)),
        drop=tuple(re.compile(p) for p in entry.get("drop", ())),
        teaser_at_end=bool(entry.get("teaser_at_end", False)),
    )


def recognise(blocks: list[Block]) -> Layout:
    """The first known layout whose detect patterns all match header blocks, else PLAIN."""
    header_size, layouts = load_layouts()
    header = blocks[:header_size]
    for layout in layouts:
        if all(any(p.search(b.text) for b in header) for p in layout.detect):
            return layout
    return PLAIN


def read_article(blocks: list[Block], layout: Layout, path: str) -> RawArticle:
    """Split the header (fields, masthead, title) from the body, following the layout's rules."""
    header_size, _ = load_layouts()
    found: dict[str, tuple[str, int]] = {}
    title: Block | None = None
    index = 0
    while index < len(blocks) and index < header_size + 2:
        block = blocks[index]
        key_value = _header_field(block, layout)
        if key_value is not None:
            found.setdefault(key_value[0], (key_value[1], block.line))
        elif layout.masthead is not None and layout.masthead.search(block.text):
            found.setdefault("source", (block.text, block.line))
            if layout.tagline and index + 1 < len(blocks):
                index += 1  # the tagline: site furniture, not content
        elif title is None:
            title = block
        elif block.text == title.text:
            pass  # the title repeated as the page's headline
        else:
            break
        index += 1
    if title is None:
        raise InputError(path, "no title found (expected a headline line)")
    if "date" not in found:
        raise InputError(
            path,
            "no date found (expected e.g. 'Updated : 2020-08-12' or 'November 30, 2023')",
            line=title.line,
        )
    date_text, date_line = found["date"]
    date = parse_date(date_text)
    if date is None:
        raise InputError(path, f"{date_text!r} is not a date", line=date_line, key="date")
    body = tuple(b for b in blocks[index:] if not any(p.search(b.text) for p in layout.drop))
    return RawArticle(
        layout=layout.name,
        title=title.text,
        date=date,
        section=found.get("section", (None, 0))[0],
        source=found.get("source", (None, 0))[0],
        body=body,
    )


def _header_field(block: Block, layout: Layout) -> tuple[str, str] | None:
    for key, pattern in layout.fields:
        match = pattern.search(block.text)
        if match:
            return key, match.group("value").strip()
    if parse_date(block.text) is not None:
        return "date", block.text
    return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_LABEL = r"(?:(?:updated|published|posted|date)\s*:?\s*)?"
_ISO = re.compile(_LABEL + r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", re.I)
_MONTH_DAY_YEAR = re.compile(_LABEL + r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.I)
_DAY_MONTH_YEAR = re.compile(_LABEL + r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})", re.I)


def parse_date(text: str) -> dt.date | None:
    """A date from a block that holds nothing else (ISO, 'November 30, 2023', '30 Nov 2023')."""
    text = text.strip()
    try:
        if m := _ISO.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _MONTH_DAY_YEAR.fullmatch(text)) and m[1].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
        if (m := _DAY_MONTH_YEAR.fullmatch(text)) and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:
        return None
    return None
