"""Where a page's article text begins, and whether the page is an index of stories instead."""

from __future__ import annotations

import re

from generator.convert import lines
from generator.convert.captions import caption_of
from generator.convert.datelines import (
    date_glued_to_text,
    date_glued_to_title,
    is_bad_date,
    is_date_line,
    title_with_date,
)
from generator.convert.text import Block
from generator.convert.titles import headline_like


def body_start(blocks: list[Block]) -> int | None:
    """The first block of article text (or a photo caption, which comes with it); failing
    that, the first block after the headline, however short."""
    starts = [
        index
        for index, block in enumerate(blocks)
        if not _is_head_line(block.text)
        and (lines.is_text(block.text) or (index and caption_of(block.text)))
    ]
    for index in starts:
        # A tagline or a ticker may read like a sentence: the article follows a headline,
        # so a sentence with none before it, but one just after, is not the article yet.
        if any(_holds_headline(b.text) for b in blocks[:index]):
            return index
        if not any(_holds_headline(b.text) for b in blocks[index + 1 : index + 4]):
            return index
    if starts:
        return starts[0]
    # A short article: the headline, then a line or two; not an index's list of headlines.
    others = [index for index, block in enumerate(blocks) if not _is_head_line(block.text)]
    return others[1] if 1 < len(others) <= _SHORT_ARTICLE_BLOCKS else None


_SHORT_ARTICLE_BLOCKS = 4


_INDEX_MIN_DATED = 3


def is_index(blocks: list[Block]) -> bool:
    """A list of stories, not an article: three or more dated items after the first blurb,
    one soon after it (an article's paragraphs run on undated), every blurb one sentence."""
    dated = [is_date_line(b.text) or date_glued_to_text(b.text) for b in blocks]
    texts = [i for i, b in enumerate(blocks) if lines.is_text(b.text)]
    if not texts:
        return False
    first = texts[0]
    if sum(dated[first + 1 :]) < _INDEX_MIN_DATED or not any(dated[first + 1 : first + 4]):
        return False
    return all(len(re.findall(r"[.!?](?:\s|$)", blocks[i].text)) <= 1 for i in texts)


def _holds_headline(text: str) -> bool:
    """A line that is, or carries, a headline ("date 2023-06-21 Headline", "Headline|Updated")."""
    if date_glued_to_title(text) or title_with_date(text):
        return True
    return headline_like(text) and not _is_head_line(text) and not lines.is_text(text)


def _is_head_line(text: str) -> bool:
    """A line only a page's head holds: a byline, a date line, a breadcrumb, an outlet."""
    return bool(
        lines.byline(text)
        or lines.section_label(text)
        or is_date_line(text)
        or is_bad_date(text)
        or lines.breadcrumb(text)
        or lines.outlet(text)
    )
