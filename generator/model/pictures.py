"""Which images an article names and where each one is: a file of its page bundle, or of a
shared folder of the content folder (`content/media/`), named relative to the article's file;
and what its page shows of them (the lead image, the photos, the body's images).

A flat `content/name.md` names shared images as `media/x.jpg` (relative to it, so to the
content folder); a bundle may too, as `../media/x.jpg`. A shared image is published once, at
its path in the content folder (`/media/x.jpg`), whichever articles show it."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.media.records import Figure, Picture
from generator.model import bundles

# Images by name: these are processed (resized, stripped of metadata) and never published as
# they are, since the original may carry a GPS position. Other files (SVG, PDF) are.
RASTER = frozenset(
    ".jpg .jpeg .jpe .jfif .png .webp .gif .tif .tiff .bmp .heic .heif .avif".split()
)


def is_raster(name: str) -> bool:
    return posixpath.splitext(name)[1].lower() in RASTER


@dataclass(frozen=True, slots=True)
class Ref:
    """An image an article names: `key` says where ('image', 'photos', '' for the body)."""

    src: str
    key: str
    line: int | None = None  # the body's line; front matter lines are found when needed


@dataclass(frozen=True, slots=True)
class Place:
    """Where a named image is: `name` as in messages, `path` to read it, `site` the
    site-relative path it is published at, and whether it is in a shared folder."""

    name: str
    path: str
    site: str
    shared: bool


class NotThere(Exception):
    """Why an image an article names cannot be found (one line)."""


def normal(src: str) -> str:
    """A `src` as the article's images are keyed: 'photo.jpg' for './photo.jpg'."""
    return posixpath.normpath(src)


def locate(
    src: str,
    article_file: Path,
    bundle: bool,
    files: tuple[bundles.BundleFile, ...] | None,
    page_url: str,
) -> Place:
    """Where the image `src` named by the article in `article_file` is; NotThere if nowhere."""
    folder = article_file.parent
    content = folder.parent if bundle else folder
    name = normal(src)
    inside = normal(posixpath.join(folder.name, name)) if bundle else name
    if inside.startswith("../") or inside == ".." or posixpath.isabs(inside):
        raise NotThere("outside the content folder")
    if bundle and inside.startswith(folder.name + "/"):
        if name not in {f.name for f in files or ()}:
            raise NotThere("no such file beside the article")
        return Place(name, os.path.join(folder, name), page_url + name, shared=False)
    top = inside.split("/", 1)[0]
    if "/" not in inside:
        raise NotThere(
            f"an image beside the article needs a page bundle (content/<name>/{bundles.INDEX} "
            f"with {name} beside it) or a shared folder (content/media/{name})"
        )
    shared_folder = content / top
    if top.startswith(".") or (shared_folder / bundles.INDEX).is_file():
        raise NotThere(f"in {top}/, another article's bundle: name a file of a shared folder")
    path = os.path.join(content, inside)
    if not os.path.isfile(path):
        raise NotThere(f"no such file in the content folder ({inside})")
    return Place(inside, path, inside, shared=True)


def figures(
    image: object, photos: tuple, pictures: dict[str, Picture], body_images: tuple[str, ...]
) -> tuple[Figure | None, list[Figure], dict[str, Figure]]:
    """What an article's page shows: its lead image at the top (unless the body shows it),
    the photos the body does not show, after it, and each of the body's images by `src`."""
    from generator.model.article import Photo

    assert image is None or isinstance(image, Photo)
    by_src = {normal(p.src): p for p in photos if p.beside}
    in_body = {normal(src) for src in body_images}
    lead_src = normal(image.src) if image is not None else None

    def figure(src: str, alt: str) -> Figure | None:
        picture = pictures.get(normal(src))
        if picture is None:
            return None
        photo = by_src.get(normal(src))
        caption, credit = (photo.caption, photo.credit) if photo else ("", "")
        return Figure(picture, alt, caption, credit, lead=normal(src) == lead_src)

    lead = None
    if image is not None and lead_src not in in_body:
        lead = figure(image.src, image.alt)
    after = [
        f
        for p in photos
        if p.beside and normal(p.src) not in in_body and normal(p.src) != lead_src
        if (f := figure(p.src, p.caption)) is not None
    ]
    body = {src: f for src in body_images if (f := figure(src, "")) is not None}
    return lead, after, body


def refs_of(image: object, photos: tuple, body: str, body_line: int) -> Iterator[Ref]:
    """The local images an article names, where it names them."""
    from generator.model.content import BODY_IMAGE

    if image is not None:
        yield Ref(image.src, "image")  # type: ignore[attr-defined]
    for photo in photos:
        if photo.beside:
            yield Ref(photo.src, "photos")
    if "![" in body:
        for number, text in enumerate(body.split("\n"), body_line):
            for match in BODY_IMAGE.finditer(text):
                if bundles.is_local(match[1]):
                    yield Ref(match[1], "", number)
