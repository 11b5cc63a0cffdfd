"""What processing an image leaves (its variants), and what an article shows of one. Frozen
and small: articles carry them through the article index, cards and fingerprints."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from generator.pickling import fast_pickled

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}


@fast_pickled
@dataclass(frozen=True, slots=True)
class Variant:
    """One processed file: `file` in the image's cache folder ('960.jpg', 'card-320.webp')."""

    file: str
    width: int
    height: int
    mime: str
    size: int
    digest: str  # of its bytes: the fingerprint of the published file


@fast_pickled
@dataclass(frozen=True, slots=True)
class ImageRecord:
    """An image processed: the cache folder `key` (its bytes and the settings), its size
    upright, the type it came in, and its variants, narrowest first."""

    key: str
    width: int
    height: int
    mime: str  # the original's format, which its own-format variants keep
    variants: tuple[Variant, ...]  # the full image, in both formats
    card: tuple[Variant, ...]  # the crop shown on list pages' cards

    def of(self, mime: str, card: bool = False) -> tuple[Variant, ...]:
        return tuple(v for v in (self.card if card else self.variants) if v.mime == mime)

    @property
    def fallback(self) -> str:
        """The format offered beside WebP: the original's, or (a WebP original) JPEG or PNG."""
        return next(v.mime for v in self.variants if v.mime != "image/webp")


@fast_pickled
@dataclass(frozen=True, slots=True)
class Picture:
    """An image of an article, where it is published: `path` is the site-relative path of the
    image as named ('2024/01/story/photo.jpg' beside its page, 'media/x.jpg' from a shared
    folder). The widest variant in the original's format keeps that name, so a link to the
    file still works; the others are named after it ('photo-480.jpg', 'photo-card-320.webp').
    A vector image (SVG) has no record: it is published as it is, and shown at its own size."""

    path: str
    record: ImageRecord | None = None

    def published(self, variant: Variant) -> str:
        """The site-relative path of one of the variants."""
        assert self.record is not None
        card = variant in self.record.card
        return self._name(variant, card, not card and variant == self.widest(variant.mime))

    def _name(self, variant: Variant, card: bool, widest: bool) -> str:
        assert self.record is not None
        stem = posixpath.splitext(self.path)[0]
        extension = EXTENSIONS[variant.mime]
        if card:
            return f"{stem}-card-{variant.width}{extension}"
        if widest and variant.mime == self.record.mime:
            return self.path
        return f"{stem}-{variant.width}{extension}"

    def widest(self, mime: str) -> Variant:
        assert self.record is not None
        return self.record.of(mime)[-1]

    @property
    def url(self) -> str:
        """The site-relative path of the widest variant in a format every reader takes (what
        feeds and link previews show)."""
        if self.record is None:
            return self.path
        return self.published(self.widest(self.record.fallback))

    @property
    def main(self) -> Variant | None:
        """The variant `url` names (None for a vector image)."""
        return None if self.record is None else self.widest(self.record.fallback)

    @property
    def files(self) -> list[tuple[str, Variant]]:
        """Every processed file: (site-relative path, variant). Named in one pass: asked for
        every image on every build, where `published` per variant looks each one up again."""
        record = self.record
        if record is None:
            return []
        widest = {v.mime: v for v in record.variants}  # narrowest first: the last one stays
        files = [(self._name(v, False, widest[v.mime] is v), v) for v in record.variants]
        files += [(self._name(v, True, False), v) for v in record.card]
        return files


@dataclass(frozen=True, slots=True)
class Figure:
    """An image as a page shows it: with its text alternative, caption and credit. The lead
    image is loaded first (eager, high priority); the others when scrolled to."""

    picture: Picture
    alt: str
    caption: str = ""
    credit: str = ""
    lead: bool = False
