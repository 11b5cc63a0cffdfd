"""Dates as news pages write them, found inside a line: '2017/9/21 14:53:39', 'April 11, 2016',
'18 May 2024', '2015年04月09日', 'Thu, 08/27/2015 - 15:10', '03.04.2019' (day first).

Patterns rather than a date library: the forms are few and known, and a parser that guesses
(dateutil's fuzzy mode, dateparser) reads '5 partners in 2019' or a phone number as a date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

# Month names in English and in the languages of partner sites that write them in Latin
# letters (Serbian, Croatian, Portuguese, Spanish), with their usual abbreviations.
_MONTH_NAMES = [
    ("january", "jan", "januar", "janeiro", "enero", "ene"),
    ("february", "feb", "februar", "fevereiro", "fev", "febrero"),
    ("march", "mar", "mart", "ožujak", "março", "marco", "marzo"),
    ("april", "apr", "abril", "abr", "travanj"),
    ("may", "maj", "maio", "mayo", "svibanj"),
    ("june", "jun", "juni", "junho", "junio", "lipanj"),
    ("july", "jul", "juli", "julho", "julio", "srpanj"),
    ("august", "aug", "avgust", "agosto", "ago", "kolovoz"),
    ("september", "sep", "sept", "septembar", "setembro", "set", "septiembre", "rujan"),
    ("october", "oct", "oktobar", "okt", "outubro", "out", "octubre", "listopad"),
    ("november", "nov", "novembar", "novembro", "noviembre", "studeni"),
    ("december", "dec", "decembar", "dezembro", "dez", "diciembre", "dic", "prosinac"),
]
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}
_MONTH = (
    "(?P<month>" + "|".join(re.escape(n) for n in sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
)
_FORMS = [
    # 2017-06-28, 2017/9/21, 2017.06.28, Time2017-12-21 (glued to a label)
    ("ymd", r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    # 2017-June-14
    ("ynd", rf"(?<!\d)(?P<year>(?:19|20)\d\d)-{_MONTH}-(?P<d>\d{{1,2}})(?!\d)"),
    # 2015年04月09日
    ("ymd", r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    # April 11, 2016 / Apr. 11 2016
    ("mdy", rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    # 18 May 2024 / 18 May, 2024
    (
        "dmy",
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.)?[\s-]+{_MONTH}[,\s-]+(?P<year>(?:19|20)\d\d)\b",
    ),  # noqa: E501
    # 03.04.2019: dotted numbers are day first (German, Russian, Ukrainian sites...)
    ("dmy.", r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<year>(?:19|20)\d\d)(?![\d.])"),
    # 08/27/2015: slashed numbers are month first, unless the first cannot be a month
    ("mdy/", r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)(?![\d/])"),
]
_PATTERNS = [(kind, re.compile(pattern, re.I)) for kind, pattern in _FORMS]
# Words that say a line is a page's date line: "Updated: ...", "发布时间：...".
DATE_LABEL = re.compile(
    r"(?i)\b(?:updated?|published|posted|released|date|time|updatetime|modified)\b\s*(?:on|at)?"
    r"\s*[:：]?|发布时间|更新时间|时间|日期"
)


_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True, slots=True)
class FoundDate:
    date: dt.date
    start: int
    end: int


@lru_cache(maxsize=8192)  # the head's readers ask about the same lines several times
def find_date(text: str, day_first: bool = False) -> FoundDate | None:
    """The first date written in the text, or None. `day_first`: the site writes 05/09/2023
    for 5 September (as Brazilian and most European sites do), not for May 9."""
    if not _YEAR.search(text):
        return None  # every form has a year: most lines have none
    best: FoundDate | None = None
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            date = _date_of(kind, match, day_first)
            if date is not None:
                if best is None or match.start() < best.start:
                    best = FoundDate(date, match.start(), match.end())
                break
    return best


def _date_of(kind: str, match: re.Match[str], day_first: bool) -> dt.date | None:
    year = int(match["year"])
    try:
        if kind == "ymd":
            return dt.date(year, int(match["m"]), int(match["d"]))
        if kind in ("mdy", "dmy", "ynd"):
            return dt.date(year, _MONTHS[match["month"].lower().rstrip(".")], int(match["d"]))
        if kind == "dmy.":
            return dt.date(year, int(match["m"]), int(match["d"]))
        first, second = int(match["a"]), int(match["b"])
        month, day = (second, first) if first > 12 or day_first else (first, second)
        return dt.date(year, month, day)
    except (ValueError, KeyError):
        return None


def parse_date(text: str, day_first: bool = False) -> dt.date | None:
    """A date from text that holds little else: a label, a weekday, a time, a site name."""
    found = find_date(text, day_first)
    return found.date if found else None


_DATELINE = re.compile(
    rf"^[A-Z][\w .'-]{{1,30}},\s+(?:{_MONTH}\s+(?P<d>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+"
    + _MONTH.replace("?P<month>", "?P<month2>")
    + r")\b",
    re.I,
)


def dateline_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a wire dateline that gives no year: 'Havana, Apr 6 (Prensa Latina)',
    'MINSK, 11 March (BelTA)'."""
    match = _DATELINE.match(text)
    if match is None:
        return None
    month = (match["month"] or match["month2"]).lower().rstrip(".")
    return _MONTHS[month], int(match["d"] or match["d2"])
