"""What one line of a scraped page is: furniture of some kind, a byline, a breadcrumb, an
outlet's name. The patterns are data (data/lines.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

# Lines are asked about many times over (by the head's readers, by the body's tidying):
# the answers are kept for this many distinct lines.
_LINES_CACHED = 16384

# A paragraph of article text: ends like a sentence, or is long whatever it ends with.
_SENTENCE_END = re.compile(r"[.!?。！？][”\"’')\]]*$")
TEXT_MIN_WORDS = 8
TEXT_ANY_END_WORDS = 30


@dataclass(frozen=True, slots=True)
class Byline:
    outlet: str | None
    person: str | None


@dataclass(frozen=True, slots=True)
class _Rules:
    outlets: dict[str, str]  # lower-case name -> the name a source is given as
    masthead_words: frozenset[str]
    bylines: tuple[re.Pattern[str], ...]
    separators: re.Pattern[str]
    home_words: frozenset[str]
    not_section: frozenset[str]
    section_label: re.Pattern[str]
    # Per kind, its forms as two patterns: those anchored at the line's start, tried there
    # only, and the others.
    furniture: tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None], ...]
    outlet_by_length: tuple[tuple[str, str], ...]  # (lower-case, as written), longest first
    title_noise: tuple[re.Pattern[str], ...]
    line_tails: tuple[re.Pattern[str], ...]


@cache
def _rules() -> _Rules:
    text = resources.files("generator").joinpath("data/lines.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    separators = sorted(data["breadcrumb_separators"], key=len, reverse=True)
    return _Rules(
        outlets=_outlets(data["outlets"]),
        masthead_words=frozenset(data["masthead_words"]),
        bylines=tuple(re.compile(p, re.I) for p in data["bylines"]),
        separators=re.compile("|".join(re.escape(s) for s in separators)),
        home_words=frozenset(w.lower() for w in data["breadcrumb_home"]),
        not_section=frozenset(w.lower() for w in data["breadcrumb_not_section"]),
        section_label=re.compile(data["section_labels"], re.I),
        furniture=tuple((kind, *_joined(ps)) for kind, ps in data["furniture"].items()),
        outlet_by_length=tuple(
            sorted(_outlets(data["outlets"]).items(), key=lambda kv: len(kv[0]), reverse=True)
        ),
        title_noise=tuple(re.compile(p, re.I) for p in data["title_noise"]),
        line_tails=tuple(re.compile(p, re.I) for p in data["line_tails"]),
    )


_DATE_LIKE = re.compile(r"\d{1,4}[-/.年]\d{1,2}[-/.月]\d{1,4}|\d:\d\d")
_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af\u3040-\u30ff]")


def _outlets(entries: list[str | dict[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in entries:
        pairs = entry.items() if isinstance(entry, dict) else [(entry, entry)]
        found.update({name.lower(): short for name, short in pairs})
    return found


def _joined(patterns: list[str]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    starts = [p[1:] for p in patterns if p.startswith("^")]
    anywhere = [p for p in patterns if not p.startswith("^")]

    def join(forms: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{f})" for f in forms), re.I) if forms else None

    return join(starts), join(anywhere)


def words(text: str) -> int:
    """Words in the text; Chinese, Japanese and Korean are written without spaces between
    words, which run about two characters each."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


@lru_cache(maxsize=_LINES_CACHED)
def is_text(text: str) -> bool:
    """A paragraph of article text rather than a headline, label or menu."""
    count = words(text)
    if count >= TEXT_ANY_END_WORDS:
        return True
    if text.endswith(("...", "…")):
        return False  # a teaser's blurb, cut short
    return count >= TEXT_MIN_WORDS and bool(_SENTENCE_END.search(text))


# Furniture that may read like a paragraph; other kinds are short lines, and a sentence that
# happens to start like one ("Editors from ten countries...") is article text.
_LONG_KINDS = frozenset({"banner", "lists", "copyright"})


@lru_cache(maxsize=_LINES_CACHED)
def furniture_kind(text: str) -> str | None:
    """The kind of site furniture the line is ('share', 'pagination'...), or None."""
    long = is_text(text)
    for kind, starts, anywhere in _rules().furniture:
        if long and kind not in _LONG_KINDS:
            continue
        if (starts and starts.match(text)) or (anywhere and anywhere.search(text)):
            return kind
    return None


def section_label(text: str) -> str | None:
    """The section a label line names: 'Posted in: DIPLOMACY'."""
    match = _rules().section_label.search(text)
    return match["section"] if match else None


def not_section(part: str) -> bool:
    """A breadcrumb's last part that names the page ('content', '正文'), not its section."""
    return part.lower() in _rules().not_section


def outlet(text: str) -> str | None:
    """The outlet a line names and nothing else ('Xinhua', '(Yonhap)', 'CHINA DAILY')."""
    name = text.strip().strip("()[]（）【】").strip()
    return _rules().outlets.get(name.lower())


def outlet_prefix(text: str) -> str | None:
    """An outlet named at the start of a line: 'Xinhua, April 11, 2016'."""
    head = re.split(r"\s*[,|]\s*|\s{2,}", text.strip(), maxsplit=1)[0]
    return outlet(head)


@lru_cache(maxsize=_LINES_CACHED)
def byline(text: str) -> Byline | None:
    for pattern in _rules().bylines:
        match = pattern.search(text)
        if match:
            found = match.groupdict()
            named = (found.get("outlet") or "").strip(" .,;") or None
            person = (found.get("person") or "").strip(" .,;") or None
            return Byline(outlet(named) or named if named else None, person)
    return None


@lru_cache(maxsize=_LINES_CACHED)
def breadcrumb(text: str) -> list[str] | None:
    """The parts of a breadcrumb line ('Home > News > Biz updates'), or None."""
    rules = _rules()
    text = re.sub(r"(?i)^\s*you are here\s*[:：]?\s*", "Home > ", text).removesuffix(" > ")
    parts = [p.strip() for p in rules.separators.split(text)]
    if len(parts) < 2 or not all(parts) or any(words(p) > 5 for p in parts):
        return None
    if byline(text) or _DATE_LIKE.search(text):
        return None  # "By Sun Ruisheng | China Daily | Updated: 2024-01-12": a date line
    if "|" in text and len(parts) > 3:
        return None  # bars join a menu's entries ("Home | Business | Counties | ..."), not a path
    if parts[0].lower() in rules.home_words:
        return parts
    if "|" not in text and (len(parts) >= 3 or all(words(p) <= 3 for p in parts)):
        return parts  # "Business > Industry"
    if all(words(p) <= 2 for p in parts) and (text.isupper() or "/" in text):
        return parts  # "BUSINESS / ECONOMY"
    return None


_SITE_NAME = re.compile(r"^(?:\S+\.[a-z]{2,}|[A-Z][a-z]+[A-Z]\w*|[A-Z]{4,})$")


def site_name(text: str) -> bool:
    """A line that names a site rather than saying anything: 'EyeShenzhen', 'agenda.ge',
    'TIANSHANNET' (one word: a domain, a CamelCase or capitals), or a few capitalised words
    with a newspaper's word in them ('Lusaka Times', 'SB. Belarus Today')."""
    if _SITE_NAME.match(text.strip()):
        return True
    tokens = text.split()
    return (
        2 <= len(tokens) <= 4
        and all(t[:1].isupper() for t in tokens)
        and any(t.strip(".") in _rules().masthead_words for t in tokens)
    )


def outlet_in(text: str) -> str | None:
    """An outlet named anywhere in a line, even glued to a time ('21:14:05Xinhua')."""
    for lowered, name in _rules().outlet_by_length:
        at = text.lower().find(lowered)
        if at >= 0 and not text[at - 1 : at].isalpha() and not text[at + len(name) :][:1].isalpha():
            return name
    return None


def clean_title(text: str) -> str:
    """A headline without what scrapers glue to it: a file name's tail, a photo credit."""
    for pattern in _rules().title_noise:
        text = pattern.sub("", text).strip()
    return text


_SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with vs".split())


@lru_cache(maxsize=_LINES_CACHED)
def menu(text: str) -> bool:
    """A site's menu: entries joined by bars or bullets, or six or more capitalised words
    and no small ones ("Politics North Korea Economy Market Industry ...")."""
    if len(re.findall(r"\s[|•·]\s", text)) >= 2 and not is_text(text):
        return True
    tokens = text.split()
    return (
        len(tokens) >= 6
        and all(t[:1].isupper() or not t[:1].isalpha() for t in tokens)
        and not any(t.lower() in _SMALL_WORDS for t in tokens)
        and not re.search(r"[.,:;!?]", text)
    )


def without_tail(text: str) -> str:
    """A line without the furniture a scraper glued to its end ('... five hours. Enditem')."""
    for pattern in _rules().line_tails:
        cut = pattern.sub("", text)
        if cut != text and cut.strip():
            return cut.rstrip()
    return text
