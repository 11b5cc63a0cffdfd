"""Stage 2: content/*.md -> Article, validated against the front matter schema.

Every problem of every file is collected, so one run shows them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from generator import urls
from generator.errors import InputError
from generator.frontmatter import key_lines, safe_load, split

REQUIRED = ("title", "date")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KNOWN = {
    "title", "date", "section", "source", "countries", "places", "tags", "summary", "photos",
    "slug", "draft", "seed",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Photo:
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class Article:
    """One content file: its front matter, its rendered body, and where it is published."""

    path: str  # the content file, as shown in messages
    title: str
    date: dt.date
    slug: str
    section: str | None
    source: str | None
    countries: tuple[str, ...]
    places: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    photos: tuple[Photo, ...]
    draft: bool
    seed: str | None
    extra: Mapping[str, Any]  # unknown keys, passed to templates as they are
    body_html: str
    digest: str  # of the file's bytes: what the article's page depends on

    @property
    def url(self) -> str:
        return urls.article(self.date, self.slug)


class ContentErrors(Exception):
    """Every problem found in the content files."""

    def __init__(self, errors: list[InputError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def load_file(path: Path, render_body: Any, shown: str) -> Article:
    """One content file -> Article; raises ContentErrors listing each bad key."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(shown, f"cannot read: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(shown, "not UTF-8 text", line=line) from None
    header, body, body_line = split(text, shown)
    fields = safe_load(header, shown, first_line=2)
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise InputError(shown, "front matter must be a mapping of keys to values", line=2)
    values, problems = _validate(fields, path)
    if problems:
        lines = key_lines(header, first_line=2)
        raise ContentErrors(
            [
                InputError(shown, message, line=lines.get(key, 1), key=key)
                for key, message in problems
            ]
        )
    return Article(
        path=shown,
        body_html=render_body(body),
        digest=hashlib.sha256(data).hexdigest(),
        extra=MappingProxyType({k: v for k, v in fields.items() if k not in _KNOWN}),
        **values,
    )


def _validate(fields: dict[Any, Any], path: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    for key in REQUIRED:
        if key not in fields or fields[key] in (None, ""):
            problems.append((key, "required"))
    title = _text(fields, "title", problems)
    date = _date(fields.get("date"), problems)
    slug = fields.get("slug")
    if slug is None:
        from generator.slugs import slug_for

        slug = slug_for(title or path.stem)
    elif not isinstance(slug, str) or not _SLUG.match(slug):
        problems.append(("slug", f"{slug!r} is not a slug (lower-case letters, digits, '-')"))
    draft = fields.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(("draft", f"{draft!r} is not true or false"))
    values = {
        "title": title,
        "date": date,
        "slug": slug,
        "section": _text(fields, "section", problems, required=False) or None,
        "source": _text(fields, "source", problems, required=False) or None,
        "countries": _names(fields, "countries", problems),
        "places": _names(fields, "places", problems),
        "tags": _names(fields, "tags", problems),
        "summary": _text(fields, "summary", problems, required=False),
        "photos": _photos(fields.get("photos"), problems),
        "draft": draft,
        "seed": _text(fields, "seed", problems, required=False) or None,
    }
    return values, problems


def _text(fields: dict[Any, Any], key: str, problems: list, required: bool = True) -> str:
    value = fields.get(key)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # a headline such as 2024 is still a headline
    if not isinstance(value, str):
        problems.append((key, f"expected text, got {_kind(value)}"))
        return ""
    return value.strip()


def _date(value: Any, problems: list) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()  # the day as written: no time zone shifts a date
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if value not in (None, ""):
        problems.append(("date", f"{value!r} is not a date (YYYY-MM-DD)"))
    return dt.date(1970, 1, 1)


def _names(fields: dict[Any, Any], key: str, problems: list) -> tuple[str, ...]:
    value = fields.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]  # `tags: trade` means one tag
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append((key, "expected a list of names, e.g. [China, Ukraine]"))
        return ()
    return tuple(dict.fromkeys(v.strip() for v in value))


def _photos(value: Any, problems: list) -> tuple[Photo, ...]:
    if value is None:
        return ()
    photos = []
    for item in value if isinstance(value, list) else [None]:
        if not isinstance(item, dict) or not isinstance(item.get("caption", ""), str):
            problems.append(("photos", "expected a list of {caption: ..., credit: ...}"))
            return ()
        photos.append(Photo(str(item.get("caption") or ""), str(item.get("credit") or "")))
    return tuple(photos)


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
