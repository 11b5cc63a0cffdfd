"""How images are published: widths, crops and encoder settings, as data (data/images.yaml)."""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "images.yaml"
# Bump when processing changes in a way the settings do not show: old variants are not reused.
FORMAT = 2


@dataclass(frozen=True, slots=True)
class ImageSettings:
    widths: tuple[int, ...]
    card_ratio: tuple[int, int]
    card_widths: tuple[int, ...]
    jpeg_quality: int
    webp_quality: int
    webp_method: int
    png_compress_level: int
    max_megapixels: int
    sizes: str
    card_sizes: str
    lead_card_sizes: str

    @property
    def max_pixels(self) -> int:
        return self.max_megapixels * 1_000_000

    @property
    def digest(self) -> str:
        """What the processed files depend on besides the image: the settings (but for the
        HTML-only `sizes`), the processing's own version, and Pillow's (its encoders)."""
        return _digest(self)


@cache
def _digest(settings: ImageSettings) -> str:
    import PIL  # its version only: the package's __init__, not the image modules

    processing = astuple(settings)[:8]
    text = repr((FORMAT, PIL.__version__, processing))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@cache
def load_settings(path: Path = DATA) -> ImageSettings:
    """The settings in data/images.yaml."""
    data = yaml.safe_load(path.read_text("utf-8"))
    widths = tuple(sorted(set(data["widths"])))
    ratio = tuple(data["card_ratio"])
    if not widths or min(widths) < 16 or len(ratio) != 2 or min(ratio) < 1:
        raise ValueError(f"{path}: widths and card_ratio must be positive")
    return ImageSettings(
        widths=widths,
        card_ratio=(int(ratio[0]), int(ratio[1])),
        card_widths=tuple(sorted(set(data["card_widths"]))),
        jpeg_quality=int(data["jpeg_quality"]),
        webp_quality=int(data["webp_quality"]),
        webp_method=int(data["webp_method"]),
        png_compress_level=int(data["png_compress_level"]),
        max_megapixels=int(data["max_megapixels"]),
        sizes=str(data["sizes"]),
        card_sizes=str(data["card_sizes"]),
        lead_card_sizes=str(data["lead_card_sizes"]),
    )
