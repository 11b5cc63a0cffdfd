"""URL-safe slugs: transliterated, lower-case, never empty."""

from __future__ import annotations

import hashlib

from slugify import slugify

MAX_SLUG_LENGTH = 80


def slug_for(title: str, fallback_seed: str = "") -> str:
    """A slug from the title; CJK is transliterated, and a title of symbols gets a hashed slug."""
    slug = slugify(title, max_length=MAX_SLUG_LENGTH, word_boundary=True)
    if slug:
        return slug
    digest = hashlib.sha256((fallback_seed or title).encode("utf-8")).hexdigest()[:10]
    return f"article-{digest}"


def unique_slug(slug: str, taken: set[str]) -> str:
    """The slug, or the slug with the first free -2, -3 ... suffix."""
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate
