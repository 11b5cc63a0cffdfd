"""Countries and places: one canonical table for the project, and mention detection in text.

Country names, official names and demonyms come from the `countryinfo` package; the project's
data files add short forms, places and the home country.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from generator import atomic

# Short codes in the country data (IT, CAN, MAR) are ordinary words in news text.
_MIN_DATA_ALIAS = 4


@dataclass(frozen=True, slots=True)
class Country:
    """A country under its canonical name, with ISO codes (its flag is named by the alpha-2
    code: pages.flags)."""

    name: str
    iso2: str
    iso3: str


@dataclass(frozen=True, slots=True)
class Place:
    """A city, province or region, and the country it belongs to."""

    name: str
    country: str
    kind: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in text: what it names (canonical) and where."""

    name: str
    start: int


@dataclass(frozen=True)
class Gazetteer:
    """Look-ups from names in text to canonical countries and places."""

    home: str
    countries: dict[str, Country]
    places: dict[str, Place]
    country_aliases: dict[str, str]
    place_aliases: dict[str, str]
    not_mentions: tuple[str, ...] = ()

    def country(self, name: str) -> Country | None:
        """The country with this canonical name, or the one an alias names."""
        canonical = self.countries.get(name) and name or self.country_aliases.get(name)
        return self.countries.get(canonical) if canonical else None

    def country_mentions(self, text: str, places_in: list[Mention] | None = None) -> list[Mention]:
        """Countries named in text, in order of appearance (places count for their country),
        but not inside a phrase that only looks like one ("Eastern Paris", "U.S. dollars").
        `places_in`: the text's place mentions, when the caller has them already."""
        names = _find(_alias_pattern(tuple(self.country_aliases)), self.country_aliases, text)
        found = self.place_mentions(text) if places_in is None else places_in
        places = [Mention(self.places[m.name].country, m.start) for m in found]
        pattern = _alias_pattern(self.not_mentions)
        if pattern is not None and (names or places):
            spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
            names = [m for m in names if not any(a <= m.start < b for a, b in spans)]
            # A place may be the whole phrase (Inner Mongolia is in China).
            spans = [(a, b) for a, b in spans if text[a:b] not in self.place_aliases]
            places = [m for m in places if not any(a <= m.start < b for a, b in spans)]
        return sorted(names + places, key=lambda m: m.start)

    def place_mentions(self, text: str) -> list[Mention]:
        """Places named in text, in order of appearance."""
        return _find(_alias_pattern(tuple(self.place_aliases)), self.place_aliases, text)


def _find(pattern: re.Pattern[str] | None, aliases: dict[str, str], text: str) -> list[Mention]:
    if pattern is None:
        return []
    return [Mention(aliases[m.group(0)], m.start()) for m in pattern.finditer(text)]


@cache
def _alias_pattern(aliases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not aliases:
        return None
    # A trie of the names, so the regex tries a few branches at each place in the text, not
    # a thousand names; longest first within it, so "Republic of Korea" wins over "Korea".
    words = _trie([a for a in aliases if not _CJK.search(a)])
    # Chinese, Japanese and Korean text has no spaces between words: no boundaries there.
    cjk = _trie([a for a in aliases if _CJK.search(a)]) or "(?!)"
    return re.compile(rf"(?<![\w.-])(?:{words})(?![\w]|-[a-z])|{cjk}")


def _trie(names: list[str]) -> str:
    """A regex matching exactly the names, the longest at a place first, as a trie."""
    root: dict[str, dict] = {}
    for name in names:
        node = root
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here
    return _branches(root)


def _branches(node: dict[str, dict]) -> str:
    ends = "" in node
    options = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not options:
        return ""
    group = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
    return f"(?:{group})?" if ends else group


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


_loaded: Gazetteer | None = None  # one per process, however it was loaded
GAZETTEER_CACHE = "gazetteer.pickle"


def load_gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """The project's gazetteer: countryinfo plus data/countries.yaml and data/places.yaml.
    With a `cache_dir`, kept there as a pickle while its sources are unchanged: making it
    reads every JSON file of countryinfo, a noticeable part of a one-article rebuild."""
    global _loaded
    if _loaded is None:
        _loaded = _cached(cache_dir) if cache_dir is not None else _make_gazetteer()
    return _loaded


def _cached(cache_dir: Path) -> Gazetteer:
    path = cache_dir / GAZETTEER_CACHE
    sources = _sources_key()
    try:
        with open(path, "rb") as handle:
            key, gazetteer = pickle.load(handle)
        if key == sources and isinstance(gazetteer, Gazetteer):
            return gazetteer
    except Exception:  # missing, cut short, or of classes that changed: made again
        pass
    gazetteer = _make_gazetteer()
    atomic.keep(path, pickle.dumps((sources, gazetteer), pickle.HIGHEST_PROTOCOL))
    return gazetteer


def _sources_key() -> tuple[object, ...]:
    """Stamps of what the gazetteer is made of: countryinfo (found, not imported), the
    project's data files and this module."""
    spec = importlib.util.find_spec("countryinfo")
    files = [spec.origin] if spec is not None and spec.origin else []
    data = Path(__file__).parent.parent / "data"
    files += [str(data / "countries.yaml"), str(data / "places.yaml"), __file__]
    stamps: list[tuple[str, int, int] | tuple[str, None]] = []
    for name in files:
        try:
            stat = os.stat(name)
        except OSError:
            stamps.append((name, None))
            continue
        stamps.append((name, stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def _make_gazetteer() -> Gazetteer:
    project = _data("countries.yaml")
    rename: dict[str, str] = project.get("rename") or {}
    countries: dict[str, Country] = {}
    by_level: list[dict[str, set[str]]] = [{}, {}, {}]  # names, official/alternative, demonyms
    for info in _country_records():
        name = rename.get(info["name"], info["name"])
        countries[name] = Country(name, info["alpha2"], info["alpha3"])
        _add(by_level[0], [info["name"], name], name)
        _add(by_level[1], info["alt"], name)
        _add(by_level[2], info["demonyms"], name)
    aliases: dict[str, str] = {}
    ignore = set(project.get("ignore") or ())
    for level in reversed(by_level):
        # Higher levels overwrite lower ones; a name shared by two countries names neither.
        for alias, names in level.items():
            if len(names) == 1 and alias not in ignore:
                aliases[alias] = next(iter(names))
    for name, extra in (project.get("aliases") or {}).items():
        if name not in countries:
            raise ValueError(f"data/countries.yaml: aliases: unknown country {name!r}")
        aliases.update({alias: name for alias in extra})
        # An entry of the data named as an alias (Wales -> United Kingdom) is part of that
        # country: it is no country of its own, and its demonym (Welsh) names the whole.
        for part in set(extra) & set(countries):
            del countries[part]
            aliases.update({a: name for a, target in aliases.items() if target == part})
    places, place_aliases = _places(countries)
    not_mentions = tuple(project.get("not_mentions") or ())
    return Gazetteer(project["home"], countries, places, aliases, place_aliases, not_mentions)


def _country_records() -> Iterable[dict[str, Any]]:
    from countryinfo import all_countries

    for entry in all_countries():
        iso = entry.iso() or {}
        if not iso.get("alpha2"):
            continue  # parts of a country (Scotland) are aliases of it, not countries
        demonym = entry.demonym() or ""
        alt = [a for a in entry.alt_spellings() or () if len(a) >= _MIN_DATA_ALIAS]
        yield {
            "name": entry.name(),
            "alpha2": iso["alpha2"],
            "alpha3": iso.get("alpha3", ""),
            "alt": alt,
            "demonyms": [demonym, _plural(demonym)] if demonym else [],
        }


def _plural(demonym: str) -> str:
    return demonym if demonym.endswith(("s", "sh", "ch", "ese")) else demonym + "s"


def _add(level: dict[str, set[str]], aliases: Iterable[str], name: str) -> None:
    for alias in aliases:
        if alias:
            level.setdefault(alias, set()).add(name)


def _places(countries: dict[str, Country]) -> tuple[dict[str, Place], dict[str, str]]:
    places: dict[str, Place] = {}
    aliases: dict[str, str] = {}
    for name, entry in _data("places.yaml").items():
        if entry["country"] not in countries:
            raise ValueError(f"data/places.yaml: {name}: unknown country {entry['country']!r}")
        places[name] = Place(name, entry["country"], entry.get("kind", "place"))
        aliases[name] = name
        aliases.update({alias: name for alias in entry.get("aliases") or ()})
    return places, aliases


def _data(name: str) -> Any:
    text = resources.files("generator").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)
