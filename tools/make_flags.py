"""Make themes/default/static/flags/: the flag of every country in the gazetteer, as SVG.

Run once by a developer, never by a build, from the installed `flag-icons` npm package
(lipis/flag-icons, MIT; https://github.com/lipis/flag-icons):

    npm install --prefix /tmp/flagset flag-icons@7.5.0
    python tools/make_flags.py /tmp/flagset/node_modules/flag-icons

It writes `<iso2>.svg` (lower case, the set's own names) for each ISO 3166 alpha-2 code of the
gazetteer's countries, and the package's licence as `LICENSE.txt` beside them: published with the
flags, as MIT asks of copies. The 4x3 variant, the shape the theme shows them in.

Each file is the package's with the whitespace between elements and the root's `id` removed
(an <img> shows a file on its own, so nothing refers to it): a lossless change (in Chromium,
each drew pixel for pixel as the package's when this was written). Rounding
coordinates would halve the larger files (coats of arms), but at svgo's precision 0 China's
and New Zealand's stars lose their shape or vanish, so it is not done. Codes the set has no flag
for (former countries: the Netherlands Antilles, Serbia and Montenegro) are listed and get
none; the theme then shows the country's name alone.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from generator.model.gazetteer import load_gazetteer

OUT = Path(__file__).resolve().parent.parent / "themes" / "default" / "static" / "flags"
VARIANT = "4x3"

_BETWEEN_ELEMENTS = re.compile(r">\s+<")
_ROOT_ID = re.compile(r'(<svg\b[^>]*?)\s+id="flag-icons-[^"]*"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the installed flag-icons package folder")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    package: Path = args.package
    version = json.loads((package / "package.json").read_text("utf-8"))["version"]
    codes = sorted({c.iso2.lower() for c in load_gazetteer().countries.values() if c.iso2})
    args.out.mkdir(parents=True, exist_ok=True)
    for stale in args.out.glob("*.svg"):
        stale.unlink()  # a code the gazetteer no longer has
    missing, total = [], 0
    for code in codes:
        source = package / "flags" / VARIANT / f"{code}.svg"
        if not source.is_file():
            missing.append(code)
            continue
        data = minified(source.read_text("utf-8")).encode("utf-8")
        (args.out / f"{code}.svg").write_bytes(data)
        total += len(data)
    licence = (package / "LICENSE").read_text("utf-8")
    header = f"The flags in this folder are from flag-icons {version} ({VARIANT}),\n"
    header += "https://github.com/lipis/flag-icons, under this licence:\n\n"
    (args.out / "LICENSE.txt").write_text(header + licence, "utf-8")
    written = len(codes) - len(missing)
    print(f"{args.out}: {written} flags, {total} bytes; no flag in the set for {missing}")


def minified(svg: str) -> str:
    """The SVG without indentation between elements, nor the id of its root. Only where no
    <text> could make that whitespace visible (the set has none)."""
    if "<text" in svg:
        return svg
    return _ROOT_ID.sub(r"\1", _BETWEEN_ELEMENTS.sub("><", svg.strip())) + "\n"


if __name__ == "__main__":
    main()
