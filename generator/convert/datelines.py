"""Which lines of a page give its date: a date line ("Updated: 2012-01-11 11:18", "| 2017-06-28
| Hits:"), a date that does not exist, a crawler's date glued to a headline or to a blurb."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from generator.convert import lines
from generator.convert.dates import DATE_LABEL, find_date, parse_date

_DATE_SHAPED = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def is_bad_date(text: str) -> bool:
    """A labelled date line whose date does not exist ('Updated : 2021-13-45')."""
    return bool(DATE_LABEL.search(text) and _DATE_SHAPED.search(text) and not find_date(text))


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


def date_glued_to_title(text: str) -> tuple[dt.date, str] | None:
    """A crawler's prefix on the headline: 'date 2023-06-21 Foreign entrepreneurs ...'."""
    found = find_date(text)
    if found is None or _GLUED.sub("", text[: found.start]).strip():
        return None
    title = text[found.end :].strip(" -|:")
    if _TIME.match(title) or DATE_LABEL.search(title) or lines.byline(title):
        return None  # the rest of a date line: "09:30:00 来源：新华网"
    return (found.date, title) if len(_LEFTOVER_WORD.findall(title)) >= 3 else None


def title_with_date(text: str) -> tuple[dt.date, str] | None:
    """A headline and its date line run together with a bar: 'Headline|Updated: June 9'."""
    parts = [part.strip() for part in text.split("|")]
    dated = [part for part in parts if is_date_line(part)]
    rest = [part for part in parts if part and part not in dated]
    if len(parts) < 2 or not dated or len(rest) != 1 or lines.words(rest[0]) < 3:
        return None
    date = parse_date(dated[0])
    return (date, rest[0]) if date else None


_GLUED_DATE_CHARS = 40  # "2015-06-04Officials ...": the date is at the start


def date_glued_to_text(text: str) -> bool:
    """'2015-06-04Officials from Jilin ...': a list item's date run into its blurb."""
    found = find_date(text[:_GLUED_DATE_CHARS])
    return found is not None and found.start == 0 and lines.words(text[found.end :]) >= 3
