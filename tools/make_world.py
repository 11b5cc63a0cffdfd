"""Make generator/data/world.json, the simplified world map that generator/worldmap.py draws.

Run once by a developer, never by a build: `python tools/make_world.py [countries-50m.json]`.
Without a path it fetches the `world-atlas` npm package (Natural Earth 1:50m admin-0 borders,
public domain, as TopoJSON) with `npm pack`. TopoJSON rather than the per-country GeoJSON of
`countryinfo`: neighbours share each border arc, so a border simplified once stays shared (no
slivers or gaps), and countryinfo has no shape for Hungary, Serbia or Myanmar.

The output holds, per ISO 3166 alpha-3 code, an SVG path already projected (Equal Earth,
Antarctica cropped), simplified (Douglas-Peucker per arc), snapped to an integer grid and
written with relative commands, plus a dot for countries too small to see or click.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

Point = tuple[float, float]
Projection = Callable[[float, float], Point]

OUT = Path(__file__).resolve().parent.parent / "generator" / "data" / "world.json"
PACKAGE = "world-atlas@2.0.2"

WIDTH = 1000  # viewBox units for 360 degrees at the equator; coordinates are integers in it
TOLERANCE = 0.5  # Douglas-Peucker tolerance, in viewBox units
MIN_RING_AREA = 3.0  # rings (islands, lakes) smaller than this, in square units, are dropped
DOT_AREA = 30.0  # countries smaller than this get a dot, so they can be seen and clicked
TOP, BOTTOM = 84.0, -57.0  # latitude crop: Greenland's north cape to below Cape Horn
PAD = 4  # viewBox margin around the crop
# Polygons Natural Earth gives to another country than the UN does: (from, to, lon/lat box that
# holds the polygon's first position). Crimea is Ukraine's.
REASSIGN = [("RUS", "UKR", (32.0, 44.0, 37.0, 46.2))]

# Equal Earth projection (Šavrič, Patterson, Jenny 2018): a closed form close to Robinson.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Project degrees to unit-less Equal Earth coordinates (y grows northwards)."""
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", nargs="?", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.topojson or _fetch(Path(tmp))
        topology = json.loads(path.read_text("utf-8"))
    world = make_world(topology, _iso_codes())
    args.out.write_text(json.dumps(world, separators=(",", ":"), sort_keys=True) + "\n", "utf-8")
    print(f"{args.out}: {len(world['countries'])} countries, {args.out.stat().st_size} bytes")


def _fetch(tmp: Path) -> Path:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True)
    with tarfile.open(next(tmp.glob("world-atlas-*.tgz"))) as archive:
        archive.extractall(tmp, filter="data")
    return tmp / "package" / "countries-50m.json"


def _iso_codes() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[float, float]]]:
    """ISO numeric -> alpha-3, country name -> alpha-3, and alpha-3 -> (lat, lon), from countryinfo.

    Centres give a dot to the countries Natural Earth has no shape for (Tuvalu, Gibraltar).
    """
    from countryinfo import all_countries

    numeric: dict[str, str] = {}
    names: dict[str, str] = {}
    centres: dict[str, tuple[float, float]] = {}
    for entry in all_countries():
        iso = entry.iso() or {}
        alpha3 = iso.get("alpha3")
        if not alpha3:
            continue
        if iso.get("numeric"):
            numeric.setdefault(str(iso["numeric"]).zfill(3), alpha3)
        names[entry.name()] = alpha3
        latlng = entry.latlng()
        if latlng and len(latlng) == 2:
            centres.setdefault(alpha3, (float(latlng[0]), float(latlng[1])))
    return numeric, names, centres


def make_world(
    topology: dict[str, Any],
    codes: tuple[dict[str, str], dict[str, str], dict[str, tuple[float, float]]],
) -> dict[str, Any]:
    """The map data: size, one path (and maybe a dot) per country, and land of no country."""
    numeric, names, centres = codes
    x0, _ = _project(-180.0, 0.0)  # the equator is the widest parallel
    _, y_top = _project(0.0, TOP)
    _, y_bottom = _project(0.0, BOTTOM)
    offset = (PAD - x0, PAD - y_top)

    def to_svg(lon: float, lat: float) -> Point:
        x, y = _project(lon, lat)
        return x + offset[0], y + offset[1]

    arcs = [_simplify(_arc_points(arc, topology["transform"]), to_svg) for arc in topology["arcs"]]
    # Each country as polygons (lists of rings, each a list of arc indices), Antarctica cropped.
    polygons: dict[str | None, list[list[list[int]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = numeric.get(geometry.get("id", "")) or names.get(name)
        parts = geometry.get("arcs") or []
        if code != "ATA":
            polygons.setdefault(code, []).extend(
                [parts] if geometry["type"] == "Polygon" else parts
            )
    for source, target, (west, south, east, north) in REASSIGN:
        for polygon in list(polygons.get(source, ())):
            first = polygon[0][0]
            lon, lat = arcs[first][0] if first >= 0 else arcs[~first][-1]
            if west <= lon <= east and south <= lat <= north:
                polygons[source].remove(polygon)
                polygons[target].append(polygon)
    countries: dict[str, dict[str, Any]] = {}
    other: list[str] = []
    for code, parts in sorted(polygons.items(), key=lambda item: item[0] or ""):
        rings = _rings(parts, arcs, to_svg)
        if not rings:
            continue
        path = "".join(_ring_path(ring) for ring in rings)
        if code is None:
            other.append(path)  # Somaliland, N. Cyprus, Kosovo: land, but no ISO code
            continue
        area = sum(abs(_area(ring)) for ring in rings)
        countries[code] = {"d": path, "area": round(area)}
        if area < DOT_AREA:
            biggest = max(rings, key=lambda r: abs(_area(r)))
            countries[code]["dot"] = _round_point(_centroid(biggest))
    for code, (lat, lon) in sorted(centres.items()):
        if code not in countries and BOTTOM < lat < TOP:
            countries[code] = {"d": "", "area": 0, "dot": _round_point(to_svg(lon, lat))}
    return {
        "source": f"Natural Earth 1:50m admin-0 (public domain), from the npm package {PACKAGE}",
        "width": round(2 * (PAD - x0)),
        "height": round(y_bottom - y_top + 2 * PAD),
        "countries": countries,
        "other": "".join(other),
    }


def _project(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    scale = WIDTH / (2 * equal_earth(180.0, 0.0)[0])
    return x * scale, -y * scale  # SVG's y grows downwards


def _arc_points(arc: list[list[int]], transform: dict[str, Any]) -> list[Point]:
    """An arc's positions as (longitude, latitude), cropped in latitude."""
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    qx = qy = 0
    points = []
    for dx, dy in arc:
        qx, qy = qx + dx, qy + dy  # TopoJSON arcs are delta-encoded, quantized positions
        points.append((qx * sx + tx, max(min(qy * sy + ty, TOP), BOTTOM)))
    return points


def _simplify(points: list[Point], to_svg: Projection) -> list[Point]:
    """Douglas-Peucker on the projected arc, keeping both ends (where it meets its neighbours).

    Positions stay in degrees: rings that cross the antimeridian are cut before projection.
    """
    if len(points) < 3:
        return points
    projected = [to_svg(lon, lat) for lon, lat in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = projected[first], projected[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, index = 0.0, 0
        for i in range(first + 1, last):
            px, py = projected[i]
            if abs(points[i][0] - points[first][0]) > 180 or norm > WIDTH / 2:
                distance = math.inf  # never shortcut across the antimeridian
            elif norm:
                distance = abs(dy * (px - ax) - dx * (py - ay)) / norm
            else:
                distance = math.hypot(px - ax, py - ay)  # a closed arc: both ends meet
            if distance > best:
                best, index = distance, i
        if best > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _rings(
    polygons: list[list[list[int]]], arcs: list[list[Point]], to_svg: Projection
) -> list[list[tuple[int, int]]]:
    rings = []
    for polygon in polygons:
        for ring_arcs in polygon:
            degrees: list[Point] = []
            for index in ring_arcs:
                # A negative index ~i is arc i walked backwards (TopoJSON).
                degrees += arcs[index] if index >= 0 else arcs[~index][::-1]
            for piece in _split_antimeridian(degrees):
                ring: list[tuple[int, int]] = []
                for lon, lat in piece:
                    snapped = _round_point(to_svg(lon, lat))
                    if not ring or ring[-1] != snapped:
                        ring.append(snapped)
                if len(ring) > 1 and ring[0] == ring[-1]:
                    ring.pop()
                if len(ring) >= 3 and abs(_area(ring)) >= MIN_RING_AREA:
                    rings.append(ring)
    return rings


def _split_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """A ring that crosses longitude 180 (Chukotka) as its pieces on either side of the map."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in pairwise(ring)):
        return [ring]
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        lon += 360 * round((previous - lon) / 360)
        unwrapped.append((lon, lat))
    pieces = []
    for low, high, shift in ((-180, 180, 0), (180, 540, -360), (-540, -180, 360)):
        piece = _clip(_clip(unwrapped, low, 1), high, -1)
        if len(piece) >= 3:
            pieces.append([(lon + shift, lat) for lon, lat in piece])
    return pieces


def _clip(ring: list[Point], bound: float, side: int) -> list[Point]:
    """Sutherland-Hodgman against one meridian: keep side * (lon - bound) >= 0."""
    out: list[Point] = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        inside_now = side * (current[0] - bound) >= 0
        inside_before = side * (previous[0] - bound) >= 0
        if inside_now != inside_before:
            t = (bound - previous[0]) / (current[0] - previous[0])
            out.append((bound, previous[1] + t * (current[1] - previous[1])))
        if inside_now:
            out.append(current)
    return out


def _round_point(point: Point) -> tuple[int, int]:
    return round(point[0]), round(point[1])


def _area(ring: list[tuple[int, int]]) -> float:
    return (
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def _centroid(ring: list[tuple[int, int]]) -> Point:
    n = len(ring)
    return sum(x for x, _ in ring) / n, sum(y for _, y in ring) / n


def _ring_path(ring: list[tuple[int, int]]) -> str:
    """An SVG subpath with relative lines: small integers are the shortest text."""
    x0, y0 = ring[0]
    steps = "".join(_pair(bx - ax, by - ay) for (ax, ay), (bx, by) in pairwise(ring))
    # After "l", pairs need no command letter, and a minus sign is a separator of its own.
    return f"M{x0} {y0}l{steps.lstrip()}z"


def _pair(dx: int, dy: int) -> str:
    return f"{'' if dx < 0 else ' '}{dx}{'' if dy < 0 else ' '}{dy}"


if __name__ == "__main__":
    main()
