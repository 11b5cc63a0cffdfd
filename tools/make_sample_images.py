"""Draw the sample portal's illustrations into content/media/: made here, with Pillow, so the
sample has images of its own to publish (no photographs from elsewhere).

    python tools/make_sample_images.py

The drawings are seeded: the same files every run.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

MEDIA = Path(__file__).resolve().parent.parent / "content" / "media"
SIZE = (2400, 1350)  # 3.2 megapixels, 16:9


RGB = tuple[int, int, int]


def _sky(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / (height - 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize(size)


def exhibition_hall(rng: random.Random) -> Image.Image:
    """An exhibition hall: a roof of trusses, rows of booths under banners, a crowd."""
    image = _sky(SIZE, (226, 233, 240), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    for x in range(0, width + 1, 160):  # the roof's trusses
        draw.line([(x, 0), (x + 80, 260)], fill=(150, 160, 172), width=6)
        draw.line([(x + 160, 0), (x + 80, 260)], fill=(150, 160, 172), width=6)
    draw.line([(0, 260), (width, 260)], fill=(120, 130, 142), width=10)
    colours = [(196, 30, 58), (0, 71, 160), (30, 130, 76), (240, 170, 0), (90, 60, 150)]
    for row, base in enumerate((620, 900)):
        for number in range(7):
            left = 60 + number * 340 + row * 120
            colour = colours[(number + row) % len(colours)]
            draw.rectangle([left, base - 260, left + 280, base], fill=(245, 245, 245),
                           outline=(90, 90, 90), width=4)  # fmt: skip
            draw.rectangle([left, base - 320, left + 280, base - 260], fill=colour)
            draw.rectangle([left + 40, base - 200, left + 240, base - 90], fill=(210, 220, 232))
    draw.rectangle([0, 980, width, height], fill=(205, 200, 190))  # the floor
    for _ in range(260):  # visitors
        x, y = rng.randrange(0, width), rng.randrange(960, height - 40)
        tone = rng.choice([(40, 44, 52), (70, 80, 96), (120, 60, 50), (30, 70, 110)])
        draw.ellipse([x - 14, y - 60, x + 14, y - 32], fill=(224, 190, 160))
        draw.rounded_rectangle([x - 22, y - 32, x + 22, y + 40], radius=12, fill=tone)
    return image.filter(ImageFilter.SMOOTH)


def winter_city(rng: random.Random) -> Image.Image:
    """A northern city in winter: a river frozen white, towers and a domed hall, snow."""
    image = _sky(SIZE, (70, 110, 170), (214, 226, 240))
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    for number in range(22):  # the skyline
        left = number * 115 + rng.randrange(-20, 20)
        top = rng.randrange(380, 760)
        draw.rectangle([left, top, left + 100, 1000], fill=(52, 64, 86))
        for y in range(top + 30, 980, 60):
            for x in range(left + 15, left + 90, 30):
                if rng.random() < 0.55:
                    draw.rectangle([x, y, x + 12, y + 22], fill=(250, 214, 120))
    draw.ellipse([980, 420, 1420, 860], fill=(60, 120, 100))  # a domed hall
    draw.rectangle([1000, 640, 1400, 1000], fill=(196, 160, 120))
    draw.polygon([(1200, 300), (1170, 430), (1230, 430)], fill=(60, 120, 100))
    draw.rectangle([0, 1000, width, height], fill=(236, 242, 248))  # the frozen river
    for _ in range(900):  # snow
        x, y, r = rng.randrange(width), rng.randrange(height), rng.choice((2, 3, 4))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 255))
    return image.filter(ImageFilter.SMOOTH)


DRAWINGS = {"exhibition-hall.jpg": exhibition_hall, "winter-city.jpg": winter_city}


def main() -> None:
    MEDIA.mkdir(parents=True, exist_ok=True)
    for name, draw in DRAWINGS.items():
        draw(random.Random(name)).save(MEDIA / name, quality=88, optimize=True)
        print(f"wrote {(MEDIA / name).relative_to(MEDIA.parent.parent)}")


if __name__ == "__main__":
    main()
