"""Reading an image and refusing what is not a photo the site can publish: not an image, a
format it does not take, a name that lies about the format, a decompression bomb, a file cut
short or corrupt. Each problem is one line of text (ImageProblem), never a traceback."""

from __future__ import annotations

import io
import posixpath
import warnings
from typing import TYPE_CHECKING

from generator.media.settings import ImageSettings

if TYPE_CHECKING:
    from PIL.Image import Image

# Pillow's format names -> the types published. Others (GIF, TIFF, BMP, HEIC...) are refused:
# an animation or a scan does not fit a news photo's variants.
SUPPORTED = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# What a name's extension promises.
PROMISED = {".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# What Pillow raises for a file it cannot decode: cut short, corrupt, or lying in its header.
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError)


class ImageProblem(Exception):
    """What is wrong with an image, in one line (the caller names the file and the line)."""


def open_checked(data: bytes, name: str, settings: ImageSettings) -> Image:
    """The image in `data` (named `name`), opened but not decoded yet, or ImageProblem."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    with warnings.catch_warnings():
        # The size is checked below, against the site's own limit, with a better message.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(io.BytesIO(data))
        except PILImage.DecompressionBombError:
            limit = f"{settings.max_megapixels}-megapixel"
            raise ImageProblem(f"far over the {limit} limit (a decompression bomb?)") from None
        except UnidentifiedImageError:
            raise ImageProblem("not an image (or of a kind that cannot be read)") from None
        except _BROKEN as error:
            raise ImageProblem(f"cannot be read: {_said(error)}") from None
    kind = image.format or "unknown"
    if kind not in SUPPORTED:
        raise ImageProblem(f"a {kind} image: not supported (use JPEG, PNG or WebP)")
    extension = posixpath.splitext(name)[1].lower()
    promised = PROMISED.get(extension)
    if promised is not None and promised != kind:
        better = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[kind]
        raise ImageProblem(f"a {kind} image named {extension}: rename it to {better}")
    width, height = image.size
    if width * height > settings.max_pixels:
        raise ImageProblem(
            f"{width:,}×{height:,} pixels, over the {settings.max_megapixels}-megapixel limit "
            "(a decompression bomb?)"
        )
    if getattr(image, "n_frames", 1) > 1:
        raise ImageProblem(f"an animated {kind} image: not supported (use a still image)")
    return image


def decode(image: Image, scale: float) -> Image:
    """The image's pixels, decoded at `scale` of its size or more (a JPEG is decoded at 1/2,
    1/4 or 1/8 when that is enough for the widest variant: several times faster)."""
    if scale < 1 and image.format == "JPEG":
        width, height = image.size
        image.draft(None, (max(1, int(width * scale) + 1), max(1, int(height * scale) + 1)))
    try:
        image.load()
    except _BROKEN as error:
        raise ImageProblem(f"truncated or corrupt: {_said(error)}") from None
    return image


def _said(error: BaseException) -> str:
    """Pillow's message, on one line."""
    return " ".join(str(error).split()) or type(error).__name__
