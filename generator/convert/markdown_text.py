"""Plain scraped text -> Markdown that renders as the same text."""

from __future__ import annotations

import re

# Characters that Markdown (with the attr_list extension) would read as syntax anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]{}])")
# Line starts that would become a heading, quote, list item, rule or code block; at the end of
# the text too, since a photo caption is followed by its credit ("1." + " *(Photo: x)*").
_BLOCK_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s|$)|\d+(?=\.(?:\s|$))|-{3,})")


def escape(text: str) -> str:
    """Escape text so that Markdown shows it literally."""
    # `<` cannot be backslash-escaped in Python-Markdown; an entity keeps raw HTML out.
    text = _INLINE.sub(r"\\\1", text).replace("<", "&lt;")
    match = _BLOCK_START.match(text)
    if match:
        marker = match.group(2)
        if marker[0].isdigit():
            # "1984. A year" must not become an ordered list: escape the dot, not the digits.
            end = match.end()
            return text[:end] + "\\" + text[end:]
        return text[: match.start(2)] + "\\" + text[match.start(2) :]
    return text


def photo_caption(caption: str, credit: str) -> str:
    """A caption block: a paragraph with the `photo-caption` class (Markdown attr_list)."""
    return f"{escape(caption)} *(Photo: {escape(credit)})*\n{{: .photo-caption }}"
