"""Score the converter on the development set (tests/fixtures/pages/): each page's fields,
countries, furniture left and text lost against its labels.

    python -m tests.convert_scores [FOLDER]     # the table, and every page's misses
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.convert import convert
from tests.conftest import content_by_seed

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
FIELDS = ("title", "date", "source", "section")


@dataclass
class Scores:
    pages: int = 0
    right: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)  # tp, fp, fn
    furniture_left: int = 0
    furniture: int = 0
    text_lost: int = 0
    text: int = 0
    photos_right: int = 0
    refused_wrongly: int = 0
    crashed: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def rate(self, name: str) -> float:
        return self.right[name] / self.pages if self.pages else 1.0

    @property
    def recall(self) -> float:
        found = self.countries["tp"] + self.countries["fn"]
        return self.countries["tp"] / found if found else 1.0

    @property
    def precision(self) -> float:
        said = self.countries["tp"] + self.countries["fp"]
        return self.countries["tp"] / said if said else 1.0

    def table(self) -> str:
        rows = [("pages", f"{self.pages}")]
        rows += [(f"{name} right", f"{self.rate(name):.0%}") for name in FIELDS]
        rows += [
            ("country recall", f"{self.recall:.0%}"),
            ("country precision", f"{self.precision:.0%}"),
            ("furniture left", f"{self.furniture_left} of {self.furniture} pieces"),
            ("text lost", f"{self.text_lost} of {self.text} passages"),
            ("photo credits right", f"{self.photos_right} of {self.pages} pages"),
            ("articles refused", f"{self.refused_wrongly}"),
            ("tracebacks", f"{len(self.crashed)}"),
        ]
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"| {name:<{width}} | {value:>18} |" for name, value in rows)


def labelled(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    return [(p.with_suffix(".txt"), yaml.safe_load(p.read_text("utf-8"))) for p in
            sorted(folder.rglob("*.yaml"))]  # fmt: skip


def score(folder: Path = PAGES) -> Scores:
    """Convert each family of pages (a folder: one site's pages recur together) and compare."""
    scores = Scores()
    families = sorted({seed.parent for seed, _ in labelled(folder)})
    for family in families:
        with tempfile.TemporaryDirectory() as scratch:
            content = Path(scratch) / "content"
            errors: list[str] = []
            try:
                convert(family, content, say=lambda _: None, warn=errors.append)
            except Exception as bug:  # noqa: BLE001 (the score counts it)
                scores.crashed.append(f"{family.name}: {bug!r}")
                continue
            converted = content_by_seed(content) if content.exists() else {}
            for seed, labels in labelled(family):
                _score_page(scores, seed, labels, converted.get(seed.name), errors)
    return scores


def _plain(markdown: str) -> str:
    """The body's text as a reader sees it: Markdown escapes and emphasis marks removed."""
    text = re.sub(r"\\(.)", r"\1", markdown).replace("&lt;", "<")
    return text.replace("*(", "(").replace(")*", ")")


def _score_page(
    scores: Scores,
    seed: Path,
    labels: dict[str, Any],
    converted: tuple[dict, str, Path] | None,
    errors: list[str],
) -> None:
    name = f"{seed.parent.name}/{seed.name}"
    if labels.get("refuse"):
        if converted is not None:
            scores.misses.append(f"{name}: converted, but has no article")
        return
    scores.pages += 1
    if converted is None:
        scores.refused_wrongly += 1
        said = [e for e in errors if seed.name in e]
        scores.misses.append(f"{name}: refused ({'; '.join(said) or 'no message'})")
        return
    fields, body, _ = converted
    expected = dict(labels)
    for key in FIELDS:
        got, want = fields.get(key), expected.get(key)
        if key == "date" and want is None:
            ok = fields.get("draft") is True and "no date found" in fields.get("review", [])
        else:
            ok = str(got) == str(want) if want is not None else got is None
        scores.right[key] += ok
        if not ok:
            scores.misses.append(f"{name}: {key} {got!r}, expected {want!r}")
    got_countries, want_countries = set(fields.get("countries", [])), set(labels["countries"])
    scores.countries["tp"] += len(got_countries & want_countries)
    scores.countries["fp"] += len(got_countries - want_countries)
    scores.countries["fn"] += len(want_countries - got_countries)
    if got_countries != want_countries:
        extra, missing = got_countries - want_countries, want_countries - got_countries
        scores.misses.append(f"{name}: countries +{sorted(extra)} -{sorted(missing)}")
    text = _plain(body)
    for piece in labels.get("furniture") or []:
        scores.furniture += 1
        if piece in text:
            scores.furniture_left += 1
            scores.misses.append(f"{name}: furniture left: {piece!r}")
    for passage in labels.get("keep") or []:
        scores.text += 1
        if passage not in text:
            scores.text_lost += 1
            scores.misses.append(f"{name}: text lost: {passage!r}")
    credits = [p.get("credit") for p in fields.get("photos", [])]
    if credits == list(labels.get("photos") or []):
        scores.photos_right += 1
    else:
        scores.misses.append(f"{name}: photo credits {credits}, expected {labels.get('photos')}")


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else PAGES
    scores = score(folder)
    print(scores.table())
    for line in scores.crashed + scores.misses:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
