"""The cooperation map: valid SVG, the right countries shaded and linked, small and fast."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.model.gazetteer import load_gazetteer
from generator.pages.worldmap import LAND, SHADES, world_map_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def url(name: str) -> str:
    return f"/countries/{name.lower().replace(' ', '-')}/"


def links(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {a.get("href"): a for a in root.iter("{http://www.w3.org/2000/svg}a")}


def test_partners_are_shaded_linked_and_named() -> None:
    svg = world_map_svg({"Ukraine": 3, "South Korea": 1}, url)
    found = links(svg)
    assert set(found) == {"/countries/ukraine/", "/countries/south-korea/"}
    ukraine = found["/countries/ukraine/"]
    assert ukraine.get("aria-label") == "Ukraine: 3 articles"
    assert ukraine.find("svg:title", NS).text == "Ukraine: 3 articles"
    assert found["/countries/south-korea/"].get("aria-label") == "South Korea: 1 article"
    fills = {p.get("fill") for a in found.values() for p in a.iter() if p.get("fill")}
    assert fills <= set(SHADES) and len(fills) == 2  # two counts, two shades
    root = ET.fromstring(svg)
    assert root.get("viewBox") and root.get("width") == "100%"
    assert (
        root.find("svg:title", NS).text and "Ukraine 3 articles" in root.find("svg:desc", NS).text
    )


def test_unknown_and_zero_are_ignored_and_text_is_escaped() -> None:
    svg = world_map_svg({"Atlantis": 5, "France": 0, "Germany": 2}, url, title='Map <&> "x"')
    assert set(links(svg)) == {"/countries/germany/"}
    assert ET.fromstring(svg).find("svg:title", NS).text == 'Map <&> "x"'


def test_unlinked_partner_is_shaded_with_a_name() -> None:
    svg = world_map_svg({"Kenya": 4}, lambda name: None)
    assert not links(svg)
    group = next(g for g in ET.fromstring(svg).iter() if g.get("class") == "partner")
    assert group.find("svg:title", NS).text == "Kenya: 4 articles"


def test_tiny_countries_get_a_dot_and_home_is_apart() -> None:
    svg = world_map_svg({"Singapore": 2, "China": 9}, url, home="China")
    singapore = links(svg)["/countries/singapore/"]
    assert singapore.find("svg:circle", NS) is not None
    assert "/countries/china/" not in links(svg)
    assert "China (home country)" in svg


def test_no_partners_draws_the_base_map() -> None:
    root = ET.fromstring(world_map_svg({}, url))
    assert [p.get("fill") for p in root.iter("{http://www.w3.org/2000/svg}path")] == [LAND]


def test_every_country_shaded_stays_small() -> None:
    # How fast it is drawn is the benchmark's business (bench/), not a test's.
    names = list(load_gazetteer().countries)
    counts = {name: i % 40 + 1 for i, name in enumerate(names)}
    svg = world_map_svg(counts, url)
    assert len(svg.encode()) < 150_000
    assert len(links(svg)) > 200
    for link in links(svg).values():
        assert link.get("aria-label") and link.find("svg:title", NS) is not None
