"""Country flags: SVG files in the static folder (`flags/<iso2>.svg`, the theme's made from
flag-icons by tools/make_flags.py; a site's static/ may replace one), shown beside country names
and published only when a page shows them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from generator.model.gazetteer import Gazetteer
from generator.output.assets import Asset

FOLDER = "flags/"


def flag_file(iso2: str) -> str:
    """The static file name of the flag of an ISO 3166 alpha-2 code."""
    return f"{FOLDER}{iso2.lower()}.svg"


def flags_of(gazetteer: Gazetteer, static: Mapping[str, Asset]) -> Callable[[str], str]:
    """Country name -> the static file name of its flag; '' for a name the gazetteer does not
    know or a country with no flag (a former one), which then shows its name alone."""

    def flag_of(name: str) -> str:
        country = gazetteer.country(name)
        file = flag_file(country.iso2) if country and country.iso2 else ""
        return file if file in static else ""

    return flag_of


def published(static: Mapping[str, Asset], shown: Iterable[str]) -> list[Asset]:
    """The static files to publish: all but the flags no page shows (a site names a handful
    of the gazetteer's countries). The folder's other files (the set's licence) are published."""
    wanted = set(shown)
    return [
        asset
        for name, asset in static.items()
        if not (name.startswith(FOLDER) and name.endswith(".svg")) or name in wanted
    ]
