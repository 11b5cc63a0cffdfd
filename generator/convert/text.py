"""Raw seed bytes -> clean text split into blocks that remember their line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.errors import InputError

# Legacy encodings we recognise in scraped text; anything else is refused, never guessed wildly.
LEGACY_ENCODINGS = ("cp1252", "gb18030")
# charset-normalizer's "chaos" score above which a decoding is judged to be mojibake.
_MAX_CHAOS = 0.2


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of the seed: its text on one line, and the line it starts on (1-based)."""

    text: str
    line: int


def decode(data: bytes, path: str) -> str:
    """Decode seed bytes: UTF-8 (with or without BOM), else a recognisable legacy encoding."""
    if not data.strip():
        raise InputError(path, "empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(data, path)
    if "\x00" in text:
        raise InputError(path, "binary data (NUL bytes), not a text article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_legacy(data: bytes, path: str) -> str:
    # Imported here: only the rare non-UTF-8 seed pays for it.
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise InputError(
            path, "not UTF-8, and not recognisable as " + " or ".join(LEGACY_ENCODINGS)
        )
    return str(best)


def split_blocks(text: str) -> list[Block]:
    """Split text into blocks: a line is a block of its own (many pages have no blank lines
    between paragraphs, headline, date and menus), unless it is a paragraph wrapped across
    lines, whose lines are joined with spaces."""
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _clean_line(raw)
        if current and not (line and _continues(current[-1], line)):
            blocks.append(Block(" ".join(current), start))
            current = []
        if line:
            if not current:
                start = number
            current.append(line)
    if current:
        blocks.append(Block(" ".join(current), start))
    return blocks


_ENDS_CLAUSE = re.compile(r"[.!?:;。！？”\"’')\]]$")


def _continues(previous: str, line: str) -> bool:
    """A line that carries on the sentence of the line before: wrapped text breaks lines
    between words mid-sentence, mostly before a lower-case word."""
    return not _ENDS_CLAUSE.search(previous) and (line[0].islower() or line[0] in ",;)")


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


def _clean_line(raw: str) -> str:
    # No-break and zero-width spaces are furniture of web pages, not content.
    return _SPACES.sub(" ", raw).strip()
