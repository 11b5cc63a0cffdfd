"""A content file -> Article, validated against the front matter schema.

Every problem of every file is collected, so one run shows them all.
"""

from __future__ import annotations

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
from generator.model.article import Article, Body, BodySource, ContentErrors
from generator.model.fields import validate
from generator.model.frontmatter import key_lines, safe_load, split
from generator.model.pictures import Ref

BODY_IMAGE = re.compile(r"!\[[^\]]*\]\(<?([^)\s>]+)")
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
    values, problems = validate(fields, path)
    files = bundles.files_of(str(path.parent)) if bundle else None
    problems += [("", problem) for problem in bundles.clashes(files or ())]
    url = urls.article(values["date"], values["slug"])
    shown_images = _images(path, bundle, files, url, values, body, body_line, media)
    pictures, shared, deferred, image_problems = shown_images
    # The keys' lines take a second parse of the front matter: only for a file with problems.
    lines = key_lines(header, first_line=2) if problems or image_problems else {}
    errors = [
        InputError(shown, message, line=lines.get(key, 1), key=key or None)
        for key, message in problems
    ]
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
