"""Image processing, timed: N page bundles, each with a 2-4 megapixel JPEG drawn here (shapes
and gradients, different per article), built by `portal build` as whole processes: cold,
no change, one image changed. Not part of the test suite.

    python bench/images.py [N] [--dir /dev/shm/portal-images] [--runs 3]

Hugo's side of the comparison (issue #17: `.Resize` to the same widths as WebP) is not here.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent


def photo(seed: int) -> bytes:
    """A 2-4 MP JPEG: a gradient with shapes, so the encoders have real work."""
    rng = random.Random(seed)
    width = rng.choice([1800, 2000, 2200, 2400])
    height = rng.randint(1_000_000 * 2, 1_000_000 * 4) // width
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(40, 400)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def corpus(count: int, folder: Path) -> None:
    content = folder / "content"
    for number in range(count):
        bundle = content / f"story-{number:04}"
        bundle.mkdir(parents=True, exist_ok=True)
        (bundle / "index.md").write_text(
            f"---\ntitle: Story {number}\ndate: 20{10 + number % 15}-0{1 + number % 9}-1"
            f"{number % 9}\ncountries: [China, Mongolia]\ntags: [trade]\nimage: photo.jpg\n"
            f"photos:\n- {{caption: Photo {number}, credit: Portal, src: photo.jpg}}\n---\n\n"
            f"Paragraph of story {number}.\n",
            "utf-8",
        )
        (bundle / "photo.jpg").write_bytes(photo(number))
    config = {"title": "Images", "base_url": "https://example.org/", "search": False}
    config["themes_dir"] = str(ROOT / "themes")
    (folder / "site.yaml").write_text(json.dumps(config), "utf-8")


def timed(folder: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=folder,
        check=True,
        capture_output=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/portal-images"))
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    folder = options.dir / str(options.count)
    if not (folder / "content").is_dir():
        corpus(options.count, folder)
    times: dict[str, list[float]] = {"cold": [], "no change": [], "one image changed": []}
    for run in range(options.runs):
        for leftover in ("site", ".site.prev", ".portal-cache"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
        times["cold"].append(timed(folder))
        times["no change"].append(timed(folder))
        (folder / "content/story-0000/photo.jpg").write_bytes(photo(10_000 + run))
        times["one image changed"].append(timed(folder))
    for name, values in times.items():
        print(f"{name}: {statistics.median(values):.2f} s (median of {len(values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
