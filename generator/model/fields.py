"""A content file's front matter checked against the schema: each field's value, and every
problem found (by key), so that one run shows them all."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from generator.model import bundles
from generator.model import pictures as pictures_model
from generator.model.article import Photo

REQUIRED = ("title", "date")
MAX_SLUG = 120  # file names longer than 255 bytes cannot be written
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def validate(fields: dict[Any, Any], path: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    for key in REQUIRED:
        if key not in fields or fields[key] in (None, ""):
            problems.append((key, "required"))
    title = _text(fields, "title", problems)
    date = _date(fields.get("date"), problems)
    slug = fields.get("slug")
    if slug is None:
        from generator.model.slugs import slug_for

        slug = slug_for(title or path.stem)
    elif not isinstance(slug, str) or not _SLUG.match(slug) or len(slug) > MAX_SLUG:
        problems.append(
            (
                "slug",
                f"{slug!r} is not a slug (lower-case letters, digits, '-'; {MAX_SLUG} at most)",
            )
        )
    draft = fields.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(("draft", f"{draft!r} is not true or false"))
    photos = _photos(fields.get("photos"), problems)
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
        "photos": photos,
        "image": _lead(fields, photos, problems),
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
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key) or "", str) for key in ("caption", "src")
        ):
            problems.append(("photos", "expected a list of {caption: ..., credit: ..., src: ...}"))
            return ()
        caption, credit = str(item.get("caption") or ""), str(item.get("credit") or "")
        photos.append(Photo(caption, credit, str(item.get("src") or "").strip()))
    return tuple(photos)


def _lead(fields: dict[Any, Any], photos: tuple[Photo, ...], problems: list) -> Photo | None:
    """The lead image: its file, and its text alternative from `image_alt:`, else the caption
    of the photo of that file, else the first caption."""
    src, alt = fields.get("image"), fields.get("image_alt")
    if alt is not None and not isinstance(alt, str):
        problems.append(("image_alt", f"expected text, got {_kind(alt)}"))
        alt = None
    if src is None or src == "":
        return None
    if not isinstance(src, str):
        problems.append(("image", f"expected a file name, got {_kind(src)}"))
        return None
    src = src.strip()
    if not bundles.is_local(src):
        where = "beside it or in a shared folder (media/x.jpg), not a URL"
        problems.append(("image", f"{src}: the lead image must be a file of the article, {where}"))
        return None
    normal = pictures_model.normal
    same = [p for p in photos if p.src and normal(p.src) == normal(src)]
    caption = same[0].caption if same else ""
    credit = same[0].credit if same else ""
    first = next((p.caption for p in photos if p.caption), "")
    return Photo(caption, credit, src, (alt or "").strip() or caption or first)


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
