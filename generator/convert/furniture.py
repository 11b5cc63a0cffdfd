"""Strip site furniture from article bodies: recurring blocks and end-of-page teasers."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

from generator.convert import lines
from generator.convert.captions import caption_of, lone_credit
from generator.convert.text import Block

# A block seen in this many seeds of one source is a sidebar or promo, not article text.
RECURRING_MIN_SEEDS = 2
_SHARED_MIN_CHARS = 80  # paragraphs this long, shared by two pages, make them copies
_COPIES_MAX = 8  # a paragraph in more pages than this is the site's, not one article's
# A teaser headline is short and does not end like a sentence.
_TEASER_MAX_WORDS = 14
_SENTENCE_END = re.compile(r"[.!?:;”\"’)\]]$")


def same_articles(bodies: list[tuple[Block, ...]]) -> list[list[int]]:
    """Groups of bodies (by index) that are one article under several names: two sections of
    a site, a syndicated copy. Two bodies are one article when the paragraphs they share are
    at least half the text of either."""
    sizes = [sum(len(b.text) for b in body) or 1 for body in bodies]
    holders: dict[str, list[int]] = defaultdict(list)
    for index, body in enumerate(bodies):
        for text in {b.text for b in body if len(b.text) >= _SHARED_MIN_CHARS}:
            holders[text].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for text, indexes in holders.items():
        if 2 <= len(indexes) <= _COPIES_MAX:  # a block in many pages is furniture, not a copy
            for a, b in combinations(indexes, 2):
                shared[a, b] += len(text)
    group = list(range(len(bodies)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for (a, b), size in shared.items():
        if size * 2 >= min(sizes[a], sizes[b]):
            group[root(b)] = root(a)
    found: dict[int, list[int]] = defaultdict(list)
    for index in range(len(bodies)):
        found[root(index)].append(index)
    return [members for members in found.values() if len(members) > 1]


def recurring_blocks(bodies: Iterable[tuple[str, tuple[Block, ...]]]) -> frozenset[tuple[str, str]]:
    """(source, text) pairs of blocks that recur verbatim across articles of one source: the
    copies of one article count once, or its own paragraphs would look like furniture."""
    items = list(bodies)
    article_of = list(range(len(items)))
    for members in same_articles([body for _, body in items]):
        for index in members:
            article_of[index] = members[0]
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for index, (source, body) in enumerate(items):
        for block in body:
            seen[source, block.text].add(article_of[index])
    return frozenset(key for key, articles in seen.items() if len(articles) >= RECURRING_MIN_SEEDS)


def strip(
    body: tuple[Block, ...], source: str, recurring: frozenset[tuple[str, str]]
) -> tuple[Block, ...]:
    """The body without the blocks that recur across the source's articles. Never the
    article itself: if the recurring blocks are most of the page's text, only the short ones
    go (a page made of one long block is that block)."""
    kept = [b for b in body if (source, b.text) not in recurring]
    if _chars(kept) * 2 < _chars(body):
        kept = [b for b in body if (source, b.text) not in recurring or lines.is_text(b.text)]
    return tuple(kept)


def _chars(blocks: Iterable[Block]) -> int:
    return sum(len(b.text) for b in blocks)


def _is_headline(text: str) -> bool:
    return (
        len(text.split()) <= _TEASER_MAX_WORDS
        and not _SENTENCE_END.search(text)
        and not caption_of(text)
        and not lines.is_text(text)
    )


_LIST_KINDS = frozenset({"lists", "separator"})
_RUN_MIN = 3  # short lines in a row between paragraphs: a menu or a list of headlines


def tidy(blocks: list[Block], kinds: list[str | None]) -> list[Block]:
    """An article's body (from its first paragraph on) without furniture: lines of a furniture
    kind, the items under a "Related" or "Most viewed" heading or between "-" separators,
    runs of short lines (menus, teaser lists) and the short lines after the last paragraph."""
    kept: list[Block] = []
    in_list = teasers = False
    for block, kind in zip(blocks, kinds, strict=True):
        if kind == "separator":
            # Teasers between "-" lines: a headline and its blurb each, the first one too.
            teasers = in_list = True
            while kept and (_is_headline(kept[-1].text) or _blurb(kept[-1].text)):
                if not (len(kept) > 1 and _is_headline(kept[-2].text)) and _blurb(kept[-1].text):
                    break
                kept.pop()
            continue
        if kind is not None:
            in_list = in_list or kind in _LIST_KINDS
            continue
        if in_list and not _substantial(block.text):
            continue
        if teasers and (_blurb(block.text) or _is_headline(block.text)):
            continue
        in_list = teasers = False
        kept.append(block)
    if not any(_substantial(b.text) for b in kept):
        return kept  # a short article of a line or two: nothing to tell its lines apart by
    kept = _without_runs(kept)
    if _closing_teaser(kept):
        kept = kept[:-2]
    last = max(i for i, b in enumerate(kept) if _substantial(b.text))
    if last + 1 < len(kept) and lone_credit(kept[last + 1].text):
        last += 1  # the credit line under a closing photo's caption
    return kept[: last + 1]


_BLURB_MAX_WORDS = 30


def _closing_teaser(blocks: list[Block]) -> bool:
    """A page that ends with another story's teaser: a headline and its one-line blurb
    (whole or cut short) after the article's paragraphs."""
    if len(blocks) < 4 or sum(_substantial(b.text) for b in blocks[:-2]) < 2:
        return False
    headline, blurb = blocks[-2].text, blocks[-1].text
    return _is_headline(headline) and not caption_of(headline) and _blurb(blurb)


def _blurb(text: str) -> bool:
    """A teaser's blurb: one sentence (or a cut one), no caption."""
    return (
        lines.words(text) <= _BLURB_MAX_WORDS
        and not re.search(r"[.!?]\s+[A-Z“\"]", text)
        and not caption_of(text)
    )


def _substantial(text: str) -> bool:
    return lines.is_text(text) or caption_of(text) is not None


def _without_runs(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    run: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and not _substantial(block.text) and not lone_credit(block.text):
            run.append(block)
            continue
        if len(run) < _RUN_MIN:
            kept += run
        run = []
        if block is not None:
            kept.append(block)
    return kept
