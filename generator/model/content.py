"""A content file -> Article, validated against the front matter schema.

Every problem of every file is collected, so one run shows them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from generator import folders
from generator.errors import InputError
from generator.media.prepare import Deferred, Media
from generator.media.read import ImageProblem
from generator.media.records import Picture
from generator.model import bundles, urls
from generator.model import pictures as pictures_model
from generator.model.article import Article, Body, BodySource, ContentErrors, Photo
from generator.model.frontmatter import key_lines, safe_load, split
from generator.model.pictures import Ref

REQUIRED = ("title", "date")
MAX_SLUG = 120  # file names longer than 255 bytes cannot be written
BODY_IMAGE = re.compile(r"!\[[^\]]*\]\(<?([^)\s>]+)")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KNOWN = {
    "title", "date", "section", "source", "countries", "places", "tags", "summary", "photos",
    "slug", "draft", "seed", "image", "image_alt",
}  # fmt: skip


def parse_file(
    path: Path,
    shown: str,
    store: BodySource,
    variant: str,
    bundle: bool = False,
    media: Media | None = None,
) -> tuple[Article, str]:
    """One content file -> (Article, its Markdown body); raises ContentErrors for each bad key.
    `bundle`: the file is a page bundle's index.md, its folder holding the article's files.
    `media` prepares the images it shows (None: they are found, not processed); it raises
    ImagesDeferred when images must be processed first and `media` leaves that for later.

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
    problems += [("", problem) for problem in bundles.clashes(files or ())]
    lines = key_lines(header, first_line=2)
    errors = [
        InputError(shown, message, line=lines.get(key, 1), key=key or None)
        for key, message in problems
    ]
    url = urls.article(values["date"], values["slug"])
    shown_images = _images(path, bundle, files, url, values, body, body_line, media)
    pictures, shared, deferred, image_problems = shown_images
    for ref, message in image_problems:
        line = ref.line or _ref_line(header, ref, lines)
        errors.append(InputError(shown, f"{ref.src}: {message}", line=line, key="image"))
    if deferred:
        raise ImagesDeferred(deferred)  # parsed again once they are processed, errors and all
    if errors:
        raise ContentErrors(errors)
    digest = hashlib.sha256(data).hexdigest()
    found = BODY_IMAGE.finditer(body) if "![" in body else ()
    body_images = tuple(m[1] for m in found if bundles.is_local(m[1]))
    body_key = body
    if pictures:
        # The page shows the images' variants: a changed image is a changed page. The body's
        # figures are part of its rendering, so of its key.
        shown_text = "".join(f"\0{src}\0{p.path}\0{p.record and p.record.key}"
                             for src, p in sorted(pictures.items()))  # fmt: skip
        digest = hashlib.sha256(data + shown_text.encode("utf-8")).hexdigest()
        body_key += "".join(_figure_keys(values, pictures, body_images, url))
    # The rendered body is kept by the hash of the Markdown alone (and of its figures): editing
    # the front matter (a title, a tag) does not render the body again, nor even load Markdown.
    body_digest = hashlib.sha256(body_key.encode("utf-8")).hexdigest()
    article = Article(
        path=shown,
        body=Body(f"{variant}:{body_digest}", store),
        digest=digest,
        files=files or (),
        extra={k: v for k, v in fields.items() if k not in _KNOWN},
        pictures=pictures,
        body_images=body_images,
        shared=shared,
        **values,
    )
    return article, body


class ImagesDeferred(Exception):
    """An article's images must be processed before it can be parsed: (key, path, name) each."""

    def __init__(self, jobs: list[tuple[str, str, str]]):
        super().__init__(f"{len(jobs)} images to process")
        self.jobs = jobs


def _images(
    path: Path,
    bundle: bool,
    files: tuple[bundles.BundleFile, ...] | None,
    url: str,
    values: dict[str, Any],
    body: str,
    body_line: int,
    media: Media | None,
) -> tuple[dict[str, Picture], tuple[bundles.BundleFile, ...], list, list[tuple[Ref, str]]]:
    """The article's local images found and prepared: (pictures by normalised src, the shared
    files read, images deferred, (ref, problem) for each that cannot be shown)."""
    pictures: dict[str, Picture] = {}
    shared: dict[str, bundles.BundleFile] = {}
    deferred: list[tuple[str, str, str]] = []
    problems: list[tuple[Ref, str]] = []
    seen: set[str] = set()
    for ref in pictures_model.refs_of(values["image"], values["photos"], body, body_line):
        key = pictures_model.normal(ref.src)
        if key in seen:
            continue
        seen.add(key)
        try:
            place = pictures_model.locate(ref.src, path, bundle, files, url)
        except pictures_model.NotThere as why:
            problems.append((ref, str(why)))
            continue
        if place.shared:
            try:
                stat = os.stat(place.path)  # before it is read: an edit after is seen next time
            except OSError:
                problems.append((ref, "no such file"))
                continue
            shared[place.name] = bundles.BundleFile(
                place.name, place.path, stat.st_mtime_ns, stat.st_size
            )
        if not pictures_model.is_raster(place.name):
            pictures[key] = Picture(place.site)  # a vector image, published as it is
            continue
        if media is None:
            continue
        try:
            pictures[key] = Picture(place.site, media.record(place.path, place.name))
        except ImageProblem as problem:
            problems.append((ref, str(problem)))
        except Deferred as waiting:
            deferred.append(waiting.job)
    return pictures, tuple(shared.values()), deferred, problems


def _figure_keys(
    values: dict[str, Any], pictures: dict[str, Picture], body_images: tuple[str, ...], url: str
) -> list[str]:
    """The HTML of the body's figures (with no text alternative), for the body's key."""
    from generator.media.markup import figure_html, relative_to

    _, _, shown = pictures_model.figures(values["image"], values["photos"], pictures, body_images)
    locate = relative_to(url)
    return [f"\0{src}\0{figure_html(f, locate)}" for src, f in sorted(shown.items())]


def _ref_line(header: str, ref: Ref, lines: dict[str, int]) -> int:
    """The line of the front matter that names an image: the line of its `src` if it is found
    below its key, else that of the key."""
    start = lines.get(ref.key, 1)
    for number, text in enumerate(header.split("\n")[start - 2 :], start):
        if ref.src in text:
            return number
    return start


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
