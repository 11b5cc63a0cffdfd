"""Images as HTML: a figure (article pages, bodies) and a card's thumbnail, each a <picture>
offering WebP and the original's format in every width, with the size of the image set so
the page does not move while it loads."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from html import escape

from generator.media.records import Figure, Picture
from generator.media.settings import ImageSettings, load_settings

Locate = Callable[[str], str]  # a site-relative path -> the URL a page writes for it


def relative_to(page_url: str) -> Locate:
    """URLs relative to a page ('photo-480.jpg', '../../../media/x.jpg'): right under any
    base path, so bodies kept in the cache need no rebasing."""
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    return lambda path: posixpath.relpath(path, folder or ".")


def figure_html(figure: Figure, locate: Locate, settings: ImageSettings | None = None) -> str:
    """A captioned image: the lead image loaded at once and first, the others when near."""
    settings = settings or load_settings()
    if figure.lead:
        loading = ' loading="eager" decoding="async" fetchpriority="high"'
    else:
        loading = ' loading="lazy" decoding="async"'
    picture = _picture(figure.picture, figure.alt, locate, settings.sizes, loading, card=False)
    caption = escape(figure.caption)
    if figure.credit:
        caption += f' <span class="credit">Photo: {escape(figure.credit)}</span>'
    caption = f"<figcaption>{caption.strip()}</figcaption>" if caption else ""
    kind = "photo lead" if figure.lead else "photo"
    return f'<figure class="{kind}">{picture}{caption}</figure>'


def thumbnail_html(
    figure: Figure, locate: Locate, settings: ImageSettings | None = None, lead: bool = False
) -> str:
    """A card's crop of its article's lead image, loaded when near; the front page's lead
    story's is the whole image, wide, loaded at once and first (the largest thing shown)."""
    settings = settings or load_settings()
    if lead:
        loading = ' loading="eager" decoding="async" fetchpriority="high"'
        sizes = settings.lead_card_sizes
        return _picture(figure.picture, figure.alt, locate, sizes, loading, card=False, thumb=True)
    loading = ' loading="lazy" decoding="async"'
    return _picture(figure.picture, figure.alt, locate, settings.card_sizes, loading, card=True)


def _picture(
    picture: Picture,
    alt: str,
    locate: Locate,
    sizes: str,
    loading: str,
    card: bool,
    thumb: bool = False,
) -> str:
    record = picture.record
    if record is None:  # a vector image: one file, drawn at any size
        return f'<img src="{escape(locate(picture.path))}" alt="{escape(alt)}"{loading}>'
    fallback = record.of(record.fallback, card)
    webp = record.of("image/webp", card)

    def srcset(variants: tuple) -> str:
        return ", ".join(f"{escape(locate(picture.published(v)))} {v.width}w" for v in variants)

    widest = fallback[-1]
    source = f'<source type="image/webp" srcset="{srcset(webp)}" sizes="{escape(sizes)}">'
    image = (
        f'<img src="{escape(locate(picture.published(widest)))}" srcset="{srcset(fallback)}" '
        f'sizes="{escape(sizes)}" width="{widest.width}" height="{widest.height}" '
        f'alt="{escape(alt)}"{loading}>'
    )
    kind = ' class="thumb"' if card or thumb else ""
    return f"<picture{kind}>{source}{image}</picture>"


def picture_html(figure: Figure, locate: Locate, settings: ImageSettings | None = None) -> str:
    """An image within text: the picture alone, lazily loaded."""
    settings = settings or load_settings()
    loading = ' loading="lazy" decoding="async"'
    return _picture(figure.picture, figure.alt, locate, settings.sizes, loading, card=False)
