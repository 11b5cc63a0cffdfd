"""A content file -> Article, validated against the front matter schema.

Every problem of every file is collected, so one run shows them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from generator import folders
from generator.errors import InputError
from generator.model import bundles
from generator.model.article import Article, Body, BodySource, ContentErrors, Photo
from generator.model.frontmatter import key_lines, safe_load, split

REQUIRED = ("title", "date")
MAX_SLUG = 120  # file names longer than 255 bytes cannot be written
_BODY_IMAGE = re.compile(r"!\[[^\]]*\]\(<?([^)\s>]+)")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KNOWN = {
    "title", "date", "section", "source", "countries", "places", "tags", "summary", "photos",
    "slug", "draft", "seed",
}  # fmt: skip


def parse_file(
    path: Path, shown: str, store: BodySource, variant: str, bundle: bool = False
) -> tuple[Article, str]:
    """One content file -> (Article, its Markdown body); raises ContentErrors for each bad key.
    `bundle`: the file is a page bundle's index.md, its folder holding the article's files.

    The body is rendered by the caller, under `article.body.key`, when the store lacks it.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise folders.unreadable(shown, path, error) from None
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
    files = bundles.files_of(str(path.parent)) if bundle else None
    srcs = [photo.src for photo in values["photos"]]
    problems += [("photos", problem) for problem in bundles.missing(srcs, files)]
    problems += [("", problem) for problem in bundles.clashes(files or ())]
    lines = key_lines(header, first_line=2)
    errors = [
        InputError(shown, message, line=lines.get(key, 1), key=key or None)
        for key, message in problems
    ]
    for number, body_text in enumerate(body.split("\n") if "![" in body else (), body_line):
        images = [m[1] for m in _BODY_IMAGE.finditer(body_text)]
        errors += [InputError(shown, p, line=number) for p in bundles.missing(images, files)]
    if errors:
        raise ContentErrors(errors)
    digest = hashlib.sha256(data).hexdigest()
    # The rendered body is kept by the hash of the Markdown alone: editing the front matter (a
    # title, a tag) does not render the body again, nor even load Markdown.
    body_digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    article = Article(
        path=shown,
        body=Body(f"{variant}:{body_digest}", store),
        digest=digest,
        files=files or (),
        extra={k: v for k, v in fields.items() if k not in _KNOWN},
        **values,
    )
    return article, body


def _validate(fields: dict[Any, Any], path: Path) -> tuple[dict[str, Any], list[tuple[str, str]]]:
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
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key) or "", str) for key in ("caption", "src")
        ):
            problems.append(("photos", "expected a list of {caption: ..., credit: ..., src: ...}"))
            return ()
        caption, credit = str(item.get("caption") or ""), str(item.get("credit") or "")
        photos.append(Photo(caption, credit, str(item.get("src") or "").strip()))
    return tuple(photos)


def _kind(value: Any) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
