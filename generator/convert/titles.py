"""Which of a page's head lines is its headline, and a headline made from a paragraph."""

from __future__ import annotations

import re

from generator.convert import lines
from generator.convert.datelines import _LEFTOVER_WORD
from generator.convert.text import Block


def best_title(candidates: list[tuple[Block, int]], navigation: list[int]) -> tuple[str, int]:
    """The headline among the head's other lines: shown twice, or the first of a headline's
    length after the site's menus and breadcrumb (a deck or standfirst may follow it);
    a site name or tagline scores low."""
    texts = [block.text for block, _ in candidates]
    headlines = [c for c in candidates if headline_like(c[0].text)]
    repeated = [c for c in candidates if texts.count(c[0].text) > 1]
    # The last menu or breadcrumb that a headline follows (a "Link copied" may come later).
    ends = [p for p in navigation if any(position > p for _, position in headlines)]
    if headlines and ends and not repeated:
        block, position = next(c for c in headlines if c[1] > max(ends))
        return block.text, position
    last = max(position for _, position in candidates)

    def score(item: tuple[Block, int]) -> tuple[int, int]:
        block, position = item
        count = lines.words(block.text)
        points = 5 * (texts.count(block.text) - 1)
        points += 2 if 4 <= count <= 30 else -3
        points -= 2 if block.text.isupper() else 0
        points += 1 if position == last else 0
        return points, position

    best, position = max(candidates, key=score)
    return best.text, position


def section_label_like(text: str) -> bool:
    """A section label: capitalised words, nothing else ('Economy', 'Business & Economy')."""
    tokens = text.split()
    return all(t[:1].isupper() or t == "&" for t in tokens) and not re.search(r"[:|#\d]", text)


def alphabetic_words(text: str) -> int:
    """Words of letters (not numbers or symbols); Chinese counted as about two a word."""
    cjk = len(_CJK.findall(text))
    return len(_LEFTOVER_WORD.findall(_CJK.sub(" ", text))) + cjk // 2


_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af\u3040-\u30ff]")


def headline_like(text: str) -> bool:
    count = lines.words(text)
    return (
        4 <= count <= 30
        and alphabetic_words(text) >= 3
        and not text.isupper()
        and not text.endswith((":", "."))
        and not lines.menu(text)
    )


def title_from_paragraph(text: str) -> str:
    """A title made from a paragraph: its first sentence that has words, cut to a headline's
    length (the paragraph's first words when no sentence has any)."""
    sentences = [s.rstrip(".").strip() for s in re.split(r"(?<=[.!?])\s+", text)]
    first = next((s for s in sentences if _LEFTOVER_WORD.search(s)), text.strip())
    cut = first.split()
    return " ".join(cut[:20]) + ("…" if len(cut) > 20 else "")
