"""The model's core records: an article as its content file says, its photos, and its body,
rendered once and fetched from the body store only when a page shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.errors import InputErrors
from generator.media.records import Picture
from generator.model import bundles, urls
from generator.model.bundles import BundleFile
from generator.pickling import fast_pickled


class BodySource(Protocol):
    """Where rendered bodies are kept, by key (incremental.cache.BodyStore)."""

    def get(self, key: str) -> str: ...


@fast_pickled
@dataclass(frozen=True, slots=True)
class Photo:
    caption: str
    credit: str
    src: str = ""  # a file beside the article (a page bundle's) or an image's URL
    alt: str = ""  # the lead image's text alternative (a photo's is its caption)

    @property
    def beside(self) -> bool:
        """Whether the photo is a file beside the article, published with it."""
        return bundles.is_local(self.src)


@fast_pickled
@dataclass(frozen=True, slots=True)
class Body:
    """A rendered Markdown body, fetched from the body store only when a page shows it."""

    key: str
    store: BodySource = field(compare=False, repr=False)

    def __str__(self) -> str:
        return self.store.get(self.key)

    def __html__(self) -> str:
        return str(self)


@fast_pickled
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
    extra: dict[str, Any]  # unknown keys, passed to templates as they are
    body: Body
    digest: str  # of the file's bytes: what the article's page depends on
    files: tuple[BundleFile, ...] = ()  # a page bundle's files, published beside its page
    image: Photo | None = None  # the lead image (front matter `image:`)
    # The local images it shows, by normalised `src` (model.pictures), processed.
    pictures: dict[str, Picture] = field(default_factory=dict)
    body_images: tuple[str, ...] = ()  # the `src` of each image the body shows, as written
    # Files of shared folders it shows (content/media/...): their stamps are part of its own.
    shared: tuple[BundleFile, ...] = ()
    url: str = ""  # where it is published: worked out once, it is asked for everywhere

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", urls.article(self.date, self.slug))

    @property
    def body_html(self) -> str:
        return str(self.body)


class ContentErrors(InputErrors):
    """Every problem found in the content files."""
