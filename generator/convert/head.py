"""Recognise a seed's source layout and pull out its fields and body blocks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from generator.convert import furniture, lines
from generator.convert.body import body_start, is_index
from generator.convert.captions import caption_of
from generator.convert.datelines import (
    date_glued_to_title,
    is_bad_date,
    is_date_line,
    title_with_date,
)
from generator.convert.dates import dateline_day, find_date, parse_date
from generator.convert.sites import Layout
from generator.convert.text import Block
from generator.convert.titles import (
    alphabetic_words,
    best_title,
    section_label_like,
    title_from_paragraph,
)
from generator.errors import InputError


@dataclass(frozen=True, slots=True)
class RawArticle:
    """What the head of a seed says, and its body, before furniture stripping and detection.
    `review` lists what an editor must check (the article is then converted as a draft)."""

    layout: str
    title: str
    date: dt.date | None
    section: str | None
    source: str | None
    body: tuple[Block, ...]
    review: tuple[str, ...] = ()


def read_article(blocks: list[Block], layout: Layout, path: str) -> RawArticle:
    """The title, date, section and source found in the head of the page, each line known by
    what it is (any order, blank lines or none), and the body after it."""
    blocks = [Block(lines.without_tail(b.text), b.line) for b in blocks]
    kinds = [_kind(b.text, layout) for b in blocks]
    kept = [b for b, kind in zip(blocks, kinds, strict=True) if kind is None]
    start = body_start(kept)
    if start is None:
        raise InputError(path, _NO_TEXT)
    at = blocks.index(kept[start])
    head = _read_head(blocks[:at], kinds[:at], layout)
    body = furniture.tidy(blocks[at:], kinds[at:])
    _read_foot(head, body, layout)
    if not body:
        raise InputError(path, _NO_TEXT)
    if is_index(kept):
        raise InputError(path, "an index page (dated headlines with one-line blurbs), no article")
    review: list[str] = []
    title, at_title, body = _headline(head, body, len(kept), review)
    if not body:
        raise InputError(path, _NO_TEXT)
    head.date = _article_date(head, body, at_title)
    if head.date is None:
        review.append(f"date {head.bad_date!r} is not a date" if head.bad_date else "no date found")
    return RawArticle(
        layout=layout.name,
        title=title,
        date=head.date,
        section=head.section,
        source=head.source or _credited(body) or head.site,
        body=tuple(body),
        review=tuple(review),
    )


_NO_TEXT = "no article text (an index page, a menu or a banner only?)"


def _read_foot(head: _Head, body: list[Block], layout: Layout) -> None:
    """What the lines under the article add: "Posted in: DIPLOMACY", a "Published: ..." line."""
    for block in list(body):
        named = lines.section_label(block.text)
        if named is not None:
            head.section = head.section or named
            body.remove(block)
    if head.date is None and not head.dates:
        for index, block in enumerate(body):
            if index and is_date_line(block.text, labelled=True):
                head.date = parse_date(block.text, layout.day_first)
                del body[index]
                return


def _headline(
    head: _Head, body: list[Block], count: int, review: list[str]
) -> tuple[str, int, list[Block]]:
    """The headline, its position in the head, and the body without it; the section a label
    right above it names."""
    if not head.titles and head.labels:
        head.titles.append(head.labels.pop())  # a short headline
    head.navigation += [position for _, position in head.labels]
    if not head.titles:
        review.append("title guessed from the first paragraph")
        return title_from_paragraph(body[0].text), count, body
    title, at_title = best_title(head.titles, head.navigation)
    # A section's name right above the headline ("Economy"), not a button or a menu's word.
    above = [b.text for b, at in head.labels if at == at_title - 1 and section_label_like(b.text)]
    head.section = head.section or (above[-1] if above else None)
    return title, at_title, [b for b in body if b.text != title]  # not the headline again


def _article_date(head: _Head, body: list[Block], at_title: int) -> dt.date | None:
    """The date line nearest the headline (a site's header may show today's date too), unless
    the dateline names another day ("Havana, Apr 6 (...)" under a header's 2024-11-23: the
    article's year is then unknown)."""
    dated = [(abs(position - at_title), -position, d) for d, position in head.dates if d]
    date = head.date or (min(dated)[2] if dated else None)
    day = dateline_day(body[0].text)
    if date and day and (date.month, date.day) != day:
        same = [d for d, _ in head.dates if d and (d.month, d.day) == day]
        return same[0] if same else None
    return date


@dataclass
class _Head:
    titles: list[tuple[Block, int]]  # candidate title blocks, with their position in the head
    date: dt.date | None = None
    dates: list[tuple[dt.date | None, int]] = field(default_factory=list)  # with positions
    bad_date: str | None = None  # a date line whose date does not exist
    site: str | None = None  # the site's name atop the page
    navigation: list[int] = field(default_factory=list)  # menus, breadcrumbs, section lines
    labels: list[tuple[Block, int]] = field(default_factory=list)  # lines of a word or two
    section: str | None = None
    source: str | None = None


def _kind(text: str, layout: Layout) -> str | None:
    """The kind of furniture a line is, by the site's rules or the general ones."""
    if any(p.search(text) for p in layout.drop):
        return "site"
    return lines.furniture_kind(text)


_SECTION_MAX_WORDS = 2


def _read_head(head: list[Block], kinds: list[str | None], layout: Layout) -> _Head:
    """What the lines before the article say; `kinds` names those that are furniture."""
    found = _Head(titles=[])
    for position, (block, kind) in enumerate(zip(head, kinds, strict=True)):
        text = block.text
        if kind is not None:
            found.navigation.append(position)  # menus, banners: the headline comes after them
            if is_date_line(text):  # "Xinhua, April 11, 2016 Adjust font size:"
                found.dates.append((parse_date(text, layout.day_first), position))
                found.source = found.source or _source_in(text)
            continue
        if _site_field(text, layout, found):
            found.navigation.append(position)
            continue
        if layout.masthead is not None and layout.masthead.search(text):
            found.source = found.source or text
            continue
        crumbs = lines.breadcrumb(text)
        if crumbs is not None:
            found.section = found.section or _section_of(crumbs)
            found.navigation.append(position)
            continue
        named = lines.section_label(text)
        if named is not None:
            found.section = found.section or named
            found.navigation.append(position)
            continue
        credit = lines.byline(text)
        if credit is not None:
            found.source = found.source or credit.outlet
        glued = date_glued_to_title(text) or title_with_date(text)
        if glued is not None:  # "date 2023-06-21 Headline", "Headline|Updated: June 9, 2023"
            found.dates.append((glued[0], position))
            found.titles.append((Block(glued[1], block.line), position))
            continue
        if is_date_line(text):
            found.dates.append((parse_date(text, layout.day_first), position))
            found.source = found.source or _source_in(text)
            continue
        if is_bad_date(text):
            found.bad_date = found.bad_date or text
            continue
        if credit is not None or caption_of(text) is not None:
            continue
        name = lines.outlet(text)
        if name is not None:
            found.source = found.source or name
            continue
        if position == 0 and lines.site_name(text):
            found.site = text  # the masthead: the source when nothing else names one
            continue
        if lines.menu(text) and not find_date(text):
            found.navigation.append(position)
            continue
        if alphabetic_words(text) <= _SECTION_MAX_WORDS and not lines.not_section(text):
            found.labels.append((block, position))  # "Economy" above the headline, or a
            continue  # short headline itself ("Only a title"): told apart once all are read
        found.titles.append((Block(lines.clean_title(text), block.line), position))
    return found


def _site_field(text: str, layout: Layout, found: _Head) -> bool:
    """A field by the site's own rule (sources.yaml), which comes before the general ones."""
    for key, pattern in layout.fields:
        match = pattern.search(text)
        if match:
            value = match.group("value").strip()
            if key == "date":
                found.date = found.date or parse_date(value, layout.day_first)
                if parse_date(value, layout.day_first) is None:
                    found.bad_date = found.bad_date or value
            elif key == "section":
                crumbs = lines.breadcrumb("Home > " + value)
                found.section = found.section or (_section_of(crumbs) if crumbs else value)
            elif getattr(found, key) is None:
                setattr(found, key, value)
            return True
    return False


def _section_of(crumbs: list[str]) -> str | None:
    """The last part of a breadcrumb that names a section (not 'Home', a year or the page)."""
    for part in reversed(crumbs[1:]):
        if not re.fullmatch(r"[\d\s./-]*", part) and not lines.not_section(part):
            return part
    return None


def _source_in(text: str) -> str | None:
    """The outlet a date line names: 'Xinhua, April 11, 2016', '... | China Daily | ...'."""
    return lines.outlet_prefix(text) or lines.outlet_in(text)


# Datelines that credit an agency: 'HARBIN, April 11 (Xinhua) --', 'HARBIN, May 17. /TASS/.',
# 'KOSTANAY. KAZINFORM –'.
_DATELINE_CREDITS = [
    re.compile(r"^[A-Z][\w .,'-]{1,40}\((?P<outlet>[^()]{2,30})\)\s*[-—–]{1,2}"),
    re.compile(r"^[A-Z][\w .,'-]{1,40}/(?P<outlet>[A-Z][\w-]{1,20})/"),
    re.compile(r"^[A-Z][A-Z .,'-]{1,40}\.\s+(?P<outlet>[A-Z]{3,20})\s*[-—–]"),
]


def _credited(body: list[Block]) -> str | None:
    """The outlet an article credits in its dateline ('HARBIN, April 11 (Xinhua) -- ...')."""
    for pattern in _DATELINE_CREDITS:
        match = pattern.match(body[0].text)
        if match:
            named = match["outlet"].strip()
            return lines.outlet(named) or named
    return None
