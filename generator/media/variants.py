"""An image made fit to publish: upright (its EXIF orientation applied), in sRGB (its colour
profile converted, then dropped), with no metadata at all (no EXIF, GPS, XMP, comments or
profiles: each file is encoded from bare pixels), in a few widths and a card crop, as WebP
and in the original's format."""

from __future__ import annotations

import hashlib
import io
import os
import sys
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


def process(
    data: bytes, name: str, settings: ImageSettings, threads: int | None = None
) -> Processed:
    """Every variant of the image in `data`, made in `threads` threads (by default one in a
    worker process, else one per core); ImageProblem if it cannot be published."""
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
    # The narrower widths and the crops are made from the widest variant, not from the whole
    # original: several times faster, and as sharp (Lanczos, still shrinking).
    widest = _resized(upright, (widths[-1], max(1, round(widths[-1] * height / width))))
    shapes: list[tuple[str, Image, tuple[int, int], tuple[float, ...] | None]] = []
    for target in widths:
        size = (target, max(1, round(target * height / width)))
        shapes.append((f"{target}", widest, size, None))
    source = widest if crop[0] * widest.width / width >= card_widths[-1] else upright
    # Each axis scaled on its own: the source's height is rounded (776 px for 776.29), and one
    # scale for both would put the crop's edge a fraction of a pixel outside it.
    scale_x, scale_y = source.width / width, source.height / height
    left = max(0.0, (source.width - crop[0] * scale_x) / 2)
    top = max(0.0, (source.height - crop[1] * scale_y) / 2)
    box = (
        left,
        top,
        min(float(source.width), left + crop[0] * scale_x),
        min(float(source.height), top + crop[1] * scale_y),
    )
    for target in card_widths:
        size = (target, max(1, round(target * crop[1] / crop[0])))
        shapes.append((f"card-{target}", source, size, box))
    threads = _threads() if threads is None else threads
    made = _made(shapes, (fallback, "image/webp"), settings, threads)
    return Processed(width, height, mime, made[: 2 * len(widths)], made[2 * len(widths) :])


def _made(
    shapes: list[tuple[str, Image, tuple[int, int], tuple[float, ...] | None]],
    kinds: tuple[str, str],
    settings: ImageSettings,
    threads: int,
) -> list[tuple[Variant, bytes]]:
    """Each shape (name, source, size, crop box) resized and encoded in each kind, in order.
    With `threads` > 1 the resizes, then the encodings, run in that many threads (Pillow
    lets go of the interpreter lock while it resamples and encodes): one image processed
    alone, as in a rebuild after it changed, uses every core."""
    if threads <= 1:
        resized = [_resized(image, size, box) for _, image, size, box in shapes]
        return [
            _encoded(image, kind, name, settings)
            for (name, *_), image in zip(shapes, resized, strict=True)
            for kind in kinds
        ]
    from concurrent.futures import Future, ThreadPoolExecutor

    # The largest first, as they take longest. An encoding waits for its resize, queued
    # before it and so started already: no thread waits for work that is not begun.
    order = sorted(range(len(shapes)), key=lambda i: -shapes[i][2][0] * shapes[i][2][1])

    def encode(future: Future[Image], kind: str, name: str) -> tuple[Variant, bytes]:
        # A copy each: saving sets attributes of the image saved (its encoder's options), so
        # two threads saving one image as JPEG and as WebP would take each other's quality.
        return _encoded(future.result().copy(), kind, name, settings)

    with ThreadPoolExecutor(threads) as pool:
        resizing = {i: pool.submit(_resized, *shapes[i][1:]) for i in order}
        encoding = {
            (i, kind): pool.submit(encode, resizing[i], kind, shapes[i][0])
            for i in order
            for kind in kinds
        }
        return [encoding[i, kind].result() for i in range(len(shapes)) for kind in kinds]


def _threads() -> int:
    """Threads to process one image in: one in a worker process (the others keep the other
    cores busy), else one per core (at most 4), as when a rebuild processes one image here."""
    if "multiprocessing" in sys.modules:  # imported by every worker pool, not by a plain build
        import multiprocessing

        if multiprocessing.parent_process() is not None:
            return 1
    return max(1, min(os.cpu_count() or 1, 4))


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
