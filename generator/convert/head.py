"""Recognise a seed's source layout and pull out its fields and body blocks."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from generator.convert import furniture, lines
from generator.convert.captions import caption_of
from generator.convert.dates import DATE_LABEL, dateline_day, find_date, parse_date
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
    day_first: bool = False  # 05/09/2023 is 5 September


PLAIN = Layout(name="plain")


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


def read_article(blocks: list[Block], layout: Layout, path: str) -> RawArticle:
    """The title, date, section and source found in the head of the page, each line known by
    what it is (any order, blank lines or none), and the body after it."""
    blocks = [Block(lines.without_tail(b.text), b.line) for b in blocks]
    kinds = [_kind(b.text, layout) for b in blocks]
    kept = [b for b, kind in zip(blocks, kinds, strict=True) if kind is None]
    start = _body_start(kept)
    if start is None:
        raise InputError(path, "no article text (an index page, a menu or a banner only?)")
    at = blocks.index(kept[start])
    head = _read_head(blocks[:at], kinds[:at], layout)
    body = furniture.tidy(blocks[at:], kinds[at:])
    for block in list(body):  # "Posted in: DIPLOMACY" under the article
        named = lines.section_label(block.text)
        if named is not None:
            head.section = head.section or named
            body.remove(block)
    review: list[str] = []
    if head.date is None and not head.dates:
        # A date line may follow the article ("Published: ..." at its foot).
        for index, block in enumerate(body):
            if index and is_date_line(block.text, labelled=True):
                head.date = parse_date(block.text, layout.day_first)
                del body[index]
                break
    if head.source is None and body:
        head.source = _credited(body)
    if not body:
        raise InputError(path, "no article text (an index page, a menu or a banner only?)")
    if _is_index(kept):
        raise InputError(path, "an index page (dated headlines with one-line blurbs), no article")
    if not head.titles and head.labels:
        head.titles.append(head.labels.pop())  # a short headline
    head.navigation += [position for _, position in head.labels]
    if not head.titles:
        title, at_title = _sentences_start(body[0].text), len(kept)
        review.append("title guessed from the first paragraph")
    else:
        title, at_title = _best_title(head.titles, head.navigation)
        body = [b for b in body if b.text != title]  # the headline shown again
    # A section's name right above the headline ("Economy"), not a button or a menu's word.
    above = [b.text for b, position in head.labels if position == at_title - 1 and _label(b.text)]
    head.section = head.section or (above[-1] if above else None)
    # A site's header may show today's date too: the article's is the one nearest its title.
    dated = [(abs(position - at_title), -position, d) for d, position in head.dates if d]
    head.date = head.date or (min(dated)[2] if dated else None)
    day = dateline_day(body[0].text) if body else None
    if head.date and day and (head.date.month, head.date.day) != day:
        # "Havana, Apr 6 (...)" under a header showing 2024-11-23: that is today's date, the
        # article's year is unknown.
        same = [d for d, _ in head.dates if d and (d.month, d.day) == day]
        head.date = same[0] if same else None
    head.source = head.source or head.site
    if not body:
        raise InputError(path, "no article text (an index page, a menu or a banner only?)")
    if head.date is None:
        review.append(f"date {head.bad_date!r} is not a date" if head.bad_date else "no date found")
    return RawArticle(
        layout=layout.name,
        title=title,
        date=head.date,
        section=head.section,
        source=head.source,
        body=tuple(body),
        review=tuple(review),
    )


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


def _body_start(blocks: list[Block]) -> int | None:
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
_SECTION_MAX_WORDS = 2


_INDEX_MIN_DATED = 3
_GLUED_DATE_CHARS = 40  # "2015-06-04Officials ...": the date is at the start


def _is_index(blocks: list[Block]) -> bool:
    """A list of stories, not an article: three or more dated items after the first blurb,
    one soon after it (an article's paragraphs run on undated), every blurb one sentence."""
    dated = [is_date_line(b.text) or _date_glued_to_text(b.text) for b in blocks]
    texts = [i for i, b in enumerate(blocks) if lines.is_text(b.text)]
    if not texts:
        return False
    first = texts[0]
    if sum(dated[first + 1 :]) < _INDEX_MIN_DATED or not any(dated[first + 1 : first + 4]):
        return False
    return all(len(re.findall(r"[.!?](?:\s|$)", blocks[i].text)) <= 1 for i in texts)


def _date_glued_to_text(text: str) -> bool:
    """'2015-06-04Officials from Jilin ...': a list item's date run into its blurb."""
    found = find_date(text[:_GLUED_DATE_CHARS])
    return found is not None and found.start == 0 and lines.words(text[found.end :]) >= 3


def _holds_headline(text: str) -> bool:
    """A line that is, or carries, a headline ("date 2023-06-21 Headline", "Headline|Updated")."""
    if _date_glued_to_title(text) or _title_with_date(text):
        return True
    return _headline_like(text) and not _is_head_line(text) and not lines.is_text(text)


def _is_head_line(text: str) -> bool:
    """A line only a page's head holds: a byline, a date line, a breadcrumb, an outlet."""
    return bool(
        lines.byline(text)
        or lines.section_label(text)
        or is_date_line(text)
        or _is_bad_date(text)
        or lines.breadcrumb(text)
        or lines.outlet(text)
    )


_DATE_SHAPED = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def _is_bad_date(text: str) -> bool:
    """A labelled date line whose date does not exist ('Updated : 2021-13-45')."""
    return bool(DATE_LABEL.search(text) and _DATE_SHAPED.search(text) and not find_date(text))


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
        glued = _date_glued_to_title(text) or _title_with_date(text)
        if glued is not None:  # "date 2023-06-21 Headline", "Headline|Updated: June 9, 2023"
            found.dates.append((glued[0], position))
            found.titles.append((Block(glued[1], block.line), position))
            continue
        if is_date_line(text):
            found.dates.append((parse_date(text, layout.day_first), position))
            found.source = found.source or _source_in(text)
            continue
        if _is_bad_date(text):
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
        if _alphabetic_words(text) <= _SECTION_MAX_WORDS and not lines.not_section(text):
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


_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?\b", re.I)
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?|星期.|周.", re.I
)
_LEFTOVER_WORD = re.compile(r"[^\W\d_]{2,}")
_DATE_LINE_MAX_CHARS = 200  # a paragraph that holds a date is not a date line
_DATE_LINE_MAX_WORDS = 4  # other words a date line may hold: "Xinhua, ... Adjust font size:"


@lru_cache(maxsize=16384)  # asked of each line several times
def is_date_line(text: str, labelled: bool = False) -> bool:
    """A line that gives the page's date: the date with at most a label, a time, a weekday,
    an outlet and a few furniture words ("Updated: 2012-01-11 11:18", "| 2017-06-28 | Hits:")."""
    if len(text) > _DATE_LINE_MAX_CHARS:
        return False
    found = find_date(text)
    if found is None:
        return False
    if labelled and not DATE_LABEL.search(text):
        return False
    if (DATE_LABEL.search(text) or text.count("|") >= 2) and not lines.is_text(text):
        return True  # "By Sun Ruisheng in Harbin | China Daily | Updated: 2024-01-12 09:18"
    rest = text[: found.start] + " " + text[found.end :]
    rest = DATE_LABEL.sub(" ", _WEEKDAY.sub(" ", _TIME.sub(" ", rest)))
    credit = lines.byline(rest)
    if credit is not None:
        return True  # "Source:Global Times Published: 2017/9/21 14:53:39"
    leftover = [w for w in _LEFTOVER_WORD.findall(rest) if not lines.outlet(w)]
    prefix = lines.outlet_prefix(text)
    if prefix:
        leftover = leftover[len(prefix.split()) :]
    return len(leftover) <= _DATE_LINE_MAX_WORDS


_GLUED = re.compile(r"^(?:date|time|published|updated)?\s*[:：]?\s*")


def _date_glued_to_title(text: str) -> tuple[dt.date, str] | None:
    """A crawler's prefix on the headline: 'date 2023-06-21 Foreign entrepreneurs ...'."""
    found = find_date(text)
    if found is None or _GLUED.sub("", text[: found.start]).strip():
        return None
    title = text[found.end :].strip(" -|:")
    if _TIME.match(title) or DATE_LABEL.search(title) or lines.byline(title):
        return None  # the rest of a date line: "09:30:00 来源：新华网"
    return (found.date, title) if len(_LEFTOVER_WORD.findall(title)) >= 3 else None


def _title_with_date(text: str) -> tuple[dt.date, str] | None:
    """A headline and its date line run together with a bar: 'Headline|Updated: June 9'."""
    parts = [part.strip() for part in text.split("|")]
    dated = [part for part in parts if is_date_line(part)]
    rest = [part for part in parts if part and part not in dated]
    if len(parts) < 2 or not dated or len(rest) != 1 or lines.words(rest[0]) < 3:
        return None
    date = parse_date(dated[0])
    return (date, rest[0]) if date else None


def _section_of(crumbs: list[str]) -> str | None:
    """The last part of a breadcrumb that names a section (not 'Home', a year or the page)."""
    for part in reversed(crumbs[1:]):
        if not re.fullmatch(r"[\d\s./-]*", part) and not lines.not_section(part):
            return part
    return None


def _source_in(text: str) -> str | None:
    """The outlet a date line names: 'Xinhua, April 11, 2016', '... | China Daily | ...'."""
    return lines.outlet_prefix(text) or lines.outlet_in(text)


def _best_title(candidates: list[tuple[Block, int]], navigation: list[int]) -> tuple[str, int]:
    """The headline among the head's other lines: shown twice, or the first of a headline's
    length after the site's menus and breadcrumb (a deck or standfirst may follow it);
    a site name or tagline scores low."""
    texts = [block.text for block, _ in candidates]
    headlines = [c for c in candidates if _headline_like(c[0].text)]
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


def _label(text: str) -> bool:
    """A section label: capitalised words, nothing else ('Economy', 'Business & Economy')."""
    tokens = text.split()
    return all(t[:1].isupper() or t == "&" for t in tokens) and not re.search(r"[:|#\d]", text)


def _alphabetic_words(text: str) -> int:
    """Words of letters (not numbers or symbols); Chinese counted as about two a word."""
    cjk = len(_CJK.findall(text))
    return len(_LEFTOVER_WORD.findall(_CJK.sub(" ", text))) + cjk // 2


_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af\u3040-\u30ff]")


def _headline_like(text: str) -> bool:
    count = lines.words(text)
    return (
        4 <= count <= 30
        and _alphabetic_words(text) >= 3
        and not text.isupper()
        and not text.endswith((":", "."))
        and not lines.menu(text)
    )


def _sentences_start(text: str) -> str:
    """A title made from a paragraph: its first sentence that has words, cut to a headline's
    length (the paragraph's first words when no sentence has any)."""
    sentences = [s.rstrip(".").strip() for s in re.split(r"(?<=[.!?])\s+", text)]
    first = next((s for s in sentences if _LEFTOVER_WORD.search(s)), text.strip())
    cut = first.split()
    return " ".join(cut[:20]) + ("…" if len(cut) > 20 else "")


# Datelines that credit an agency: 'HARBIN, April 11 (Xinhua) --', 'HARBIN, May 17. /TASS/.',
# 'KOSTANAY. KAZINFORM –'.
_DATELINE_CREDITS = [
    re.compile(r"^[A-Z][\w .,'-]{1,40}\((?P<outlet>[^()]{2,30})\)\s*[-—–]{1,2}"),
    re.compile(r"^[A-Z][\w .,'-]{1,40}/(?P<outlet>[A-Z][\w-]{1,20})/"),
    re.compile(r"^[A-Z][A-Z .,'-]{1,40}\.\s+(?P<outlet>[A-Z]{3,20})\s*[-—–]"),
]
_CLOSING_CREDIT = re.compile(r"^\(?(?P<outlet>[A-Z][\w .-]{1,30})\)?$")


def _credited(body: list[Block]) -> str | None:
    """The outlet an article credits in its dateline ('HARBIN, April 11 (Xinhua) -- ...')."""
    for pattern in _DATELINE_CREDITS:
        match = pattern.match(body[0].text)
        if match:
            named = match["outlet"].strip()
            return lines.outlet(named) or named
    return None
