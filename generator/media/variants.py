"""An image made fit to publish: upright (its EXIF orientation applied), in sRGB (its colour
profile converted, then dropped), with no metadata at all (no EXIF, GPS, XMP, comments or
profiles: each file is encoded from bare pixels), in a few widths and a card crop, as WebP
and in the original's format."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.media.read import SUPPORTED, ImageProblem, decode, open_checked
from generator.media.records import EXTENSIONS, Variant
from generator.media.settings import ImageSettings

if TYPE_CHECKING:
    from PIL.Image import Image

ORIENTATION = 0x0112  # the EXIF tag
_ROTATED = {5, 6, 7, 8}  # orientations that swap width and height


@dataclass(frozen=True)
class Processed:
    """An image's variants and their bytes, with its upright size and original type."""

    width: int
    height: int
    mime: str
    variants: list[tuple[Variant, bytes]]
    card: list[tuple[Variant, bytes]]


def process(data: bytes, name: str, settings: ImageSettings) -> Processed:
    """Every variant of the image in `data`; ImageProblem if it cannot be published."""
    image = open_checked(data, name, settings)
    mime = SUPPORTED[image.format or ""]
    if image.format != "JPEG":
        # Only a JPEG's EXIF is read without decoding the image (a PNG's may follow its
        # pixels): the others are decoded first, so a broken one is reported as such.
        image = decode(image, 1.0)
    orientation = _orientation(image)
    width, height = image.size
    if orientation in _ROTATED:
        width, height = height, width
    widths = widths_for(width, settings.widths)
    crop = card_crop(width, height, settings.card_ratio)
    card_widths = [w for w in settings.card_widths if w <= crop[0]] or [crop[0]]
    # Decoded no larger than the widest variant and the card crop need.
    image = decode(image, min(1.0, max(widths[-1] / width, card_widths[-1] / crop[0])))
    upright = _upright_srgb(image, orientation)
    fallback = mime if mime != "image/webp" else _fallback(upright)
    variants = []
    # The narrower widths and the crops are made from the widest variant, not from the whole
    # original: several times faster, and as sharp (Lanczos, still shrinking).
    widest = _resized(upright, (widths[-1], max(1, round(widths[-1] * height / width))))
    for target in reversed(widths):
        size = (target, max(1, round(target * height / width)))
        resized = _resized(widest, size)
        for kind in (fallback, "image/webp"):
            variants.append(_encoded(resized, kind, f"{target}", settings))
    variants.sort(key=lambda made: made[0].width)
    source = widest if crop[0] * widest.width / width >= card_widths[-1] else upright
    scale = source.width / width
    left = (source.width - crop[0] * scale) / 2
    top = (source.height - crop[1] * scale) / 2
    box = (left, top, left + crop[0] * scale, top + crop[1] * scale)
    card = []
    for target in card_widths:
        size = (target, max(1, round(target * crop[1] / crop[0])))
        cropped = _resized(source, size, box)
        for kind in (fallback, "image/webp"):
            card.append(_encoded(cropped, kind, f"card-{target}", settings))
    return Processed(width, height, mime, variants, card)


def widths_for(width: int, wanted: tuple[int, ...]) -> list[int]:
    """The widths to publish an image `width` pixels wide in: the wanted ones it exceeds by a
    tenth or more, and its own (or the widest wanted), never wider than it."""
    widest = min(width, max(wanted))
    return sorted({w for w in wanted if w * 1.1 <= width and w < widest} | {widest})


def card_crop(width: int, height: int, ratio: tuple[int, int]) -> tuple[int, int]:
    """The largest centred crop of the card's shape, in the image's pixels."""
    if width * ratio[1] > height * ratio[0]:
        return (max(1, round(height * ratio[0] / ratio[1])), height)
    return (width, max(1, round(width * ratio[1] / ratio[0])))


def _orientation(image: Image) -> int:
    try:
        value = image.getexif().get(ORIENTATION, 1)
    except Exception:  # an EXIF block that cannot be parsed: the image as stored
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _upright_srgb(image: Image, orientation: int) -> Image:
    """The pixels turned upright and in sRGB, RGB or RGBA, with nothing else kept."""
    from PIL import Image as PILImage

    profile = image.info.get("icc_profile")
    alpha = _has_alpha(image)
    if image.mode.startswith("I") or image.mode == "F":
        # 16- or 32-bit samples: scaled to 8 bits (a plain conversion would clip to white).
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        image = image.convert("RGBA" if alpha else "RGB")
    if profile:
        image = _to_srgb(image, profile, "RGBA" if alpha else "RGB")
    image = image.convert("RGBA" if alpha else "RGB")
    transpose = {
        2: [PILImage.Transpose.FLIP_LEFT_RIGHT],
        3: [PILImage.Transpose.ROTATE_180],
        4: [PILImage.Transpose.FLIP_TOP_BOTTOM],
        5: [PILImage.Transpose.TRANSPOSE],
        6: [PILImage.Transpose.ROTATE_270],
        7: [PILImage.Transpose.TRANSVERSE],
        8: [PILImage.Transpose.ROTATE_90],
    }.get(orientation, [])
    for method in transpose:
        image = image.transpose(method)
    image.info = {}  # nothing of the original's metadata goes further
    return image


def _to_srgb(image: Image, profile: bytes, mode: str) -> Image:
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        target = ImageCms.createProfile("sRGB")
        output = "RGBA" if image.mode == "RGBA" and mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=output)
    except (ImageCms.PyCMSError, OSError, ValueError) as error:
        said = " ".join(str(error).split())
        raise ImageProblem(f"its colour profile cannot be converted to sRGB: {said}") from None
    if converted is None:  # only when converting in place, which this never asks for
        raise ImageProblem("its colour profile cannot be converted to sRGB")
    return converted


def _has_alpha(image: Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _fallback(image: Image) -> str:
    """What a WebP original is offered in besides WebP: PNG if it is transparent."""
    return "image/png" if image.mode == "RGBA" else "image/jpeg"


def _resized(image: Image, size: tuple[int, int], box: tuple[float, ...] | None = None) -> Image:
    from PIL import Image as PILImage

    if box is None and size == image.size:
        return image
    # reducing_gap: a fast integer reduction first, Lanczos for the last factor of 3 or less.
    resampling = PILImage.Resampling.LANCZOS
    return image.resize(size, resampling, box=box, reducing_gap=3.0)  # type: ignore[arg-type]


def _encoded(image: Image, mime: str, name: str, settings: ImageSettings) -> tuple[Variant, bytes]:
    buffer = io.BytesIO()
    if mime == "image/jpeg":
        opaque = image.convert("RGB") if image.mode != "RGB" else image
        opaque.save(buffer, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True)
    elif mime == "image/png":
        image.save(buffer, "PNG", compress_level=settings.png_compress_level)
    else:
        image.save(buffer, "WEBP", quality=settings.webp_quality, method=settings.webp_method)
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:32]
    variant = Variant(name + EXTENSIONS[mime], image.width, image.height, mime, len(data), digest)
    return variant, data
