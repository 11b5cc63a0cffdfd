"""The cooperation map: an inline SVG world map, partner countries shaded by article count.

Drawn at build time from data/world.json (Natural Earth borders, projected and simplified once by
tools/make_world.py), so a build only joins strings: no JavaScript, no tiles from the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from generator.model.gazetteer import load_gazetteer

# A sequential red scale in the theme's accent hue (ColorBrewer "Reds"), light to dark.
SHADES = ("#fcbba1", "#fc9272", "#ef3b2c", "#cb181d", "#8c0d17")
LAND = "#dde1e6"  # countries without articles
HOME = "#5b6675"  # the portal's own country, when the caller names it
_NICE = (1, 2, 3, 5)  # break points are these times a power of ten


@cache
def _world() -> dict[str, Any]:
    text = resources.files("generator").joinpath("data", "world.json").read_text("utf-8")
    return json.loads(text)


@cache
def _iso3_of(name: str) -> str | None:
    country = load_gazetteer().country(name)
    return country.iso3 if country else None


def world_map_svg(
    counts: Mapping[str, int],
    url_of: Callable[[str], str | None],
    *,
    title: str = "Cooperation map: partner countries by number of articles",
    home: str | None = None,
    id_prefix: str = "world-map",
) -> str:
    """An inline SVG world map: countries in `counts` (canonical names) shaded and linked.

    `url_of(name)` gives a country's page (or None: shaded, not linked); names the gazetteer or
    the map does not know are left out. `home` is drawn apart, in grey. `id_prefix` keeps the
    ids of the title and description unique if a page shows two maps.
    """
    world = _world()
    shapes: dict[str, dict[str, Any]] = world["countries"]
    partners = _partners(counts, shapes, home)
    breaks = _breaks(max((p[2] for p in partners), default=0))
    home_code = _iso3_of(home) if home else None
    drawn = {code for _, code, _ in partners} | {home_code}
    # Every other country goes into one path: its subpaths still draw each border.
    base = "".join(s["d"] for code, s in sorted(shapes.items()) if code not in drawn)
    width, height = world["width"], world["height"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%"'
        # No role="img": it would hide the country links from assistive technology (its children
        # are presentational); the implicit graphics-document role, named, keeps them reachable.
        f' aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc"'
        f' class="world-map-svg" font-family="inherit">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(_description(partners))}</desc>',
        f'<g stroke="#fff" stroke-width=".5" stroke-linejoin="round">'
        f'<path fill="{LAND}" d="{base}{world["other"]}"/>',
    ]
    if home_code in shapes and home:
        label = escape(f"{home} (home country)")
        out.append(f'<path class="home" fill="{HOME}" d="{shapes[home_code]["d"]}">')
        out.append(f"<title>{label}</title></path>")
    dots = []
    for name, code, count in partners:
        label = escape(f"{name}: {_articles(count)}")
        fill = SHADES[_step(count, breaks)]
        shape = shapes[code]
        body = f'<path fill="{fill}" d="{shape["d"]}"/>' if shape["d"] else ""
        if "dot" in shape:
            x, y = shape["dot"]
            # Too small to see or click: a ringed dot on top of the rest.
            dots.append((name, label, f'<circle cx="{x}" cy="{y}" r="4" fill="{fill}"/>'))
        out.append(_link(name, url_of, label, body) if body else "")
    out.append("</g>")
    if dots:
        out.append('<g stroke="#1d232b" stroke-width=".75">')
        out += [_link(name, url_of, label, circle) for name, label, circle in dots]
        out.append("</g>")
    if partners:
        out.append(_legend(breaks, height))
    out.append("</svg>")
    return "".join(out)


def _description(partners: list[tuple[str, str, int]]) -> str:
    listed = ", ".join(f"{name} {_articles(count)}" for name, _, count in partners)
    shaded = f"{len(partners)} partner countries shaded by number of articles"
    return shaded + (f": {listed}." if listed else ".")


def _partners(
    counts: Mapping[str, int], shapes: dict[str, dict[str, Any]], home: str | None
) -> list[tuple[str, str, int]]:
    """(name, ISO 3166 alpha-3 code, count) of the partner countries the map can draw, most
    articles first."""
    partners = []
    for name, count in counts.items():
        code = _iso3_of(name)
        if count > 0 and code in shapes and name != home:
            partners.append((name, code, count))
    partners.sort(key=lambda p: (-p[2], p[0]))
    return partners


def _link(name: str, url_of: Callable[[str], str | None], label: str, body: str) -> str:
    url = url_of(name)
    if url is None:
        return f'<g class="partner"><title>{label}</title>{body}</g>'
    return (
        f'<a href="{escape(url)}" class="partner" aria-label="{label}">'
        f"<title>{label}</title>{body}</a>"
    )


def _articles(count: int) -> str:
    return f"{count} article" if count == 1 else f"{count} articles"


def _breaks(top: int) -> list[int]:
    """Lower bounds of up to five shades: every count when few, else roughly logarithmic."""
    if top <= len(SHADES):
        return list(range(1, top + 1))
    nice = sorted({n * 10**e for e in range(7) for n in _NICE})
    bounds = [1]
    for i in range(1, len(SHADES)):
        target = top ** (i / len(SHADES))
        bound = min(nice, key=lambda n: abs(n - target))
        if bounds[-1] < bound <= top:
            bounds.append(bound)
    return bounds


def _step(count: int, breaks: list[int]) -> int:
    """The shade of a count: the last bound it reaches, spread over the whole scale."""
    index = sum(1 for b in breaks if count >= b) - 1
    if len(breaks) == 1:
        return len(SHADES) - 1
    return round(index * (len(SHADES) - 1) / (len(breaks) - 1))


def _legend(breaks: list[int], height: int) -> str:
    # Bottom left, over the empty South Pacific.
    x, y, size = 24, height - 70, 16
    labels = []
    for i, low in enumerate(breaks):
        high = breaks[i + 1] - 1 if i + 1 < len(breaks) else None
        if high is None:
            labels.append(f"{low}+" if len(breaks) > 1 and low > 1 else str(low))
        else:
            labels.append(str(low) if high == low else f"{low}\u2013{high}")
    parts = [
        f'<g class="legend" font-size="13" fill="#333b45" aria-hidden="true">'
        f'<text x="{x}" y="{y - 8}" font-weight="bold">Articles</text>'
    ]
    for i, label in enumerate(labels):
        fill = SHADES[_step(breaks[i], breaks)]
        top = y + i * 0
        left = x + i * 54
        parts.append(
            f'<rect x="{left}" y="{top}" width="{size * 3}" height="{size}" fill="{fill}"/>'
            f'<text x="{left}" y="{top + size + 15}">{escape(label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
