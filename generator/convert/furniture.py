"""Strip site furniture from article bodies: recurring blocks and end-of-page teasers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from generator.convert.text import Block

# A block seen in this many seeds of one source is a sidebar or promo, not article text.
RECURRING_MIN_SEEDS = 2
# A teaser headline is short and does not end like a sentence.
_TEASER_MAX_WORDS = 14
_SENTENCE_END = re.compile(r"[.!?:;”\"’)\]]$")


def recurring_blocks(bodies: Iterable[tuple[str, tuple[Block, ...]]]) -> frozenset[tuple[str, str]]:
    """(source, text) pairs of blocks that recur verbatim across seeds of one source."""
    seen: Counter[tuple[str, str]] = Counter()
    for source, body in bodies:
        seen.update({(source, b.text) for b in body})
    return frozenset(key for key, count in seen.items() if count >= RECURRING_MIN_SEEDS)


def strip(
    body: tuple[Block, ...],
    source: str,
    recurring: frozenset[tuple[str, str]],
    teaser_at_end: bool,
) -> tuple[Block, ...]:
    """The body without recurring blocks and, where the source has one, the closing teaser."""
    kept = [b for b in body if (source, b.text) not in recurring]
    if teaser_at_end and len(kept) >= 3 and _is_headline(kept[-2].text):
        kept = kept[:-2]
    return tuple(kept)


def _is_headline(text: str) -> bool:
    return len(text.split()) <= _TEASER_MAX_WORDS and not _SENTENCE_END.search(text)
