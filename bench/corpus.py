"""Write a deterministic benchmark corpus: N seed-like articles for portal, Hugo, Pelican, Eleventy.

    python bench/corpus.py N OUTDIR [--seed 42]

OUTDIR/site.yaml + OUTDIR/content/*.md   portal (themes_dir: the repository's themes/)
OUTDIR/hugo/                             Hugo: config.toml, content/*.md, layouts/ (a copy)
OUTDIR/pelican/                          Pelican: pelicanconf.py, content/*.md, theme/ (a copy)
OUTDIR/eleventy/                         Eleventy: eleventy.config.mjs, content/*.md, templates

Article i depends only on (seed, i): the corpus of 1,000 is the first 1,000 of the 10,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PEERS = BENCH / "peers"
HOME = "China"
FIRST_DAY = dt.date(2010, 1, 1)
DAYS = (dt.date(2025, 12, 31) - FIRST_DAY).days

SECTIONS = [
    "Foreign Exchanges", "Business", "Culture", "Education", "Local News", "Tourism",
    "Science and Technology", "Sports",
]  # fmt: skip
COUNTRIES = [
    "South Korea", "Japan", "Russia", "Ukraine", "United Kingdom", "United States", "France",
    "Germany", "Italy", "Spain", "Brazil", "Argentina", "Mexico", "Canada", "Australia",
    "New Zealand", "India", "Pakistan", "Vietnam", "Thailand", "Malaysia", "Singapore",
    "Indonesia", "Philippines", "Mongolia", "Kazakhstan", "Uzbekistan", "Belarus", "Poland",
    "Czech Republic", "Hungary", "Serbia", "Greece", "Turkey", "Egypt", "Kenya", "Nigeria",
    "South Africa", "Ethiopia", "United Arab Emirates", "Saudi Arabia", "Iran", "Israel",
    "Netherlands", "Belgium", "Sweden", "Norway", "Finland", "Denmark", "Chile",
]  # fmt: skip
TAGS = [
    "trade", "investment", "e-commerce", "agriculture", "environmental protection",
    "medical equipment", "health", "smart cities", "culture", "education", "logistics",
    "tourism", "manufacturing", "energy", "technology", "sports", "aviation", "finance",
    "ice and snow", "railways", "ports", "food", "textiles", "automobiles", "biomedicine",
    "artificial intelligence", "film", "music", "youth exchange", "sister cities",
    "science parks", "forestry", "fisheries", "water management", "urban planning",
    "cross-border payments", "exhibitions", "translation", "heritage", "public health",
]  # fmt: skip
PLACES = [
    "Harbin", "Heilongjiang", "Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Yancheng",
    "Jiangsu", "Hangzhou", "Zhejiang", "Chengdu", "Sichuan", "Dalian", "Liaoning", "Xi'an",
    "Wuhan", "Qingdao", "Shandong", "Kunming", "Yunnan", "Suifenhe", "Heihe", "Daqing",
]  # fmt: skip
SOURCES = ["e.my399.com", "News Collective", "Harbin Daily", "Xinhua", "China Daily"]
SUBJECTS = [
    "delegation", "trade mission", "business forum", "university", "expo", "investment fair",
    "cultural week", "joint venture", "logistics hub", "research centre", "festival",
    "sister-city partnership", "film week", "student exchange", "energy project",
]  # fmt: skip
VERBS = [
    "seeks deals in", "opens in", "visits", "signs agreements in", "expands to", "returns to",
    "showcases products in", "holds talks in", "launches programme in", "welcomes guests in",
]  # fmt: skip
WORDS = (
    "the a of and to in for with on by from at as that this which their its new two both "
    "city province partner partners cooperation exchange exchanges trade investment project "
    "projects company companies enterprise enterprises government officials delegation "
    "delegates mayor governor ambassador consul minister meeting meetings forum talks "
    "agreement agreements memorandum signed signing deal deals million billion yuan dollars "
    "percent growth development economic economy industry industrial industries market "
    "markets export exports import imports products goods services logistics port railway "
    "freight corridor border crossing customs platform online digital technology innovation "
    "research university students teachers education culture cultural festival exhibition "
    "expo visitors tourists tourism ice snow winter summer season year years month week "
    "local regional national international global bilateral mutual shared future friendly "
    "relations ties long-standing deepen strengthen expand promote boost support build "
    "attract host held opened launched announced said added noted stressed highlighted "
    "according report reports officials representatives more than about over nearly "
    "first second third largest important key major practical fruitful successful green "
    "energy environmental protection agriculture farming grain soybeans food health medical "
    "equipment manufacturing automobiles machinery aviation airline flights cargo shipping "
    "finance bank banks payment settlement currency youth sports athletes film music art "
    "heritage museum translation language training centre park zone pilot free economic "
    "cross-border e-commerce smart cities infrastructure construction water forestry "
    "fisheries science scientists laboratory cooperation framework mechanism dialogue"
).split()


@dataclass(frozen=True)
class Item:
    """One generated article, independent of any tool's format."""

    index: int
    title: str
    date: dt.date
    section: str
    source: str
    countries: tuple[str, ...]  # the home country first
    places: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    slug: str
    body: str  # Markdown paragraphs

    @property
    def seed(self) -> str:
        return f"{self.index:06d}_bench.txt"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def sentence(rng: random.Random, mention: list[str]) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 26))
    if mention and rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), rng.choice(mention))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def make_item(seed: int, index: int) -> Item:
    """Article `index`: ~650 words, 2-5 tags, 1-3 partner countries plus China."""
    rng = random.Random(f"{seed}-{index}")
    partners = rng.sample(COUNTRIES, rng.randint(1, 3))
    places = rng.sample(PLACES, rng.randint(1, 2))
    tags = rng.sample(TAGS, rng.randint(2, 5))
    title = f"{partners[0]} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {places[0]}"
    mention = partners + places + [HOME, "Chinese"]
    paragraphs: list[str] = []
    words = 0
    target = rng.randint(560, 660)
    while words < target:
        text = " ".join(sentence(rng, mention) for _ in range(rng.randint(3, 6)))
        paragraphs.append(text)
        words += len(text.split())
    summary = paragraphs[0].split(". ")[0].rstrip(".") + "."
    return Item(
        index=index,
        title=title,
        date=FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS)),
        section=rng.choice(SECTIONS),
        source=rng.choice(SOURCES),
        countries=(HOME, *partners),
        places=tuple(places),
        tags=tuple(tags),
        summary=summary,
        slug=f"{slugify(title)}-{index}",
        body="\n\n".join(paragraphs),
    )


def q(value: object) -> str:
    """A YAML scalar or flow list (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def portal_text(item: Item) -> str:
    return (
        "---\n"
        f"title: {q(item.title)}\n"
        f"date: {item.date.isoformat()}\n"
        f"section: {q(item.section)}\n"
        f"source: {q(item.source)}\n"
        f"countries: {q(list(item.countries))}\n"
        f"places: {q(list(item.places))}\n"
        f"tags: {q(list(item.tags))}\n"
        f"summary: {q(item.summary)}\n"
        f"slug: {item.slug}\n"
        "draft: false\n"
        f"seed: {item.seed}\n"
        "---\n\n"
        f"{item.body}\n"
    )


def yaml_text(item: Item, url_key: str, taxonomies: list[tuple[str, object]]) -> str:
    """Front matter as Hugo and Eleventy read it: ours' fields, the URL under `url_key`, then
    the tool's own taxonomy fields; the body after it."""
    url = f"/{item.date.year:04d}/{item.date.month:02d}/{item.slug}/"
    fields = [
        ("title", q(item.title)),
        ("date", item.date.isoformat()),
        (url_key, url),
        ("slug", item.slug),
        ("summary", q(item.summary)),
        ("source", q(item.source)),
        ("places", q(list(item.places))),
        ("tags", q(list(item.tags))),
        ("countries", q(list(item.countries))),
    ] + [(key, q(value)) for key, value in taxonomies]
    lines = "".join(f"{key}: {value}\n" for key, value in fields)
    return f"---\n{lines}---\n\n{item.body}\n"


def hugo_text(item: Item) -> str:
    """Hugo: tags, countries, sections and archive (year) are taxonomies; the URL is ours."""
    return yaml_text(
        item, "url", [("sections", [item.section]), ("archive", [str(item.date.year)])]
    )


def pelican_text(item: Item) -> str:
    """Pelican: section -> Category, tags -> Tags, countries -> Authors (multi-valued)."""
    return (
        f"Title: {item.title}\n"
        f"Date: {item.date.isoformat()}\n"
        f"Category: {item.section}\n"
        f"Tags: {', '.join(item.tags)}\n"
        f"Authors: {', '.join(item.countries)}\n"
        f"Slug: {item.slug}\n"
        f"Summary: {item.summary}\n"
        f"Source: {item.source}\n\n"
        f"{item.body}\n"
    )


def eleventy_text(item: Item) -> str:
    """Eleventy: the URL is the front matter `permalink`; its config makes the taxonomies
    (tags, countries, section, the year of the date), as it has none of its own."""
    return yaml_text(item, "permalink", [("section", item.section)])


SITE_YAML = """\
# Benchmark corpus (bench/corpus.py). themes_dir points at the repository's themes/.
title: Benchmark Cooperation News
description: Delegations, trade deals and exchanges between China and partner countries.
base_url: https://bench.example.org/
language: en
theme: default
paginate: 10
feed_limit: 20
timezone: Asia/Shanghai
output_dir: site
content_dir: content
themes_dir: {themes}
# Search on, as users build; bench/run.py measures `--no-search` too, against Hugo alone.
search: true
"""


def write_corpus(count: int, out: Path, seed: int = 42) -> None:
    """Write the four trees; an existing OUTDIR's generated parts are replaced."""
    for sub in ("content", "hugo", "pelican", "eleventy", "site"):
        shutil.rmtree(out / sub, ignore_errors=True)
    ours, hugo, pelican = out / "content", out / "hugo" / "content", out / "pelican" / "content"
    for folder in (ours, hugo, pelican):
        folder.mkdir(parents=True)
    (out / "site.yaml").write_text(SITE_YAML.format(themes=REPO / "themes"), "utf-8")
    shutil.copy(PEERS / "hugo" / "config.toml", out / "hugo" / "config.toml")
    shutil.copytree(PEERS / "hugo" / "layouts", out / "hugo" / "layouts")
    shutil.copy(PEERS / "pelican" / "pelicanconf.py", out / "pelican" / "pelicanconf.py")
    shutil.copytree(PEERS / "pelican" / "theme", out / "pelican" / "theme")
    # Eleventy's whole folder (config, templates, content/'s data file naming the layout), but
    # not what an install or a build leaves in it.
    skip = shutil.ignore_patterns("node_modules", "_site", "package-lock.json")
    shutil.copytree(PEERS / "eleventy", out / "eleventy", ignore=skip)
    eleventy = out / "eleventy" / "content"
    for index in range(count):
        item = make_item(seed, index)
        name = f"{item.slug}.md"
        (ours / name).write_text(portal_text(item), "utf-8")
        (hugo / name).write_text(hugo_text(item), "utf-8")
        (pelican / name).write_text(pelican_text(item), "utf-8")
        (eleventy / name).write_text(eleventy_text(item), "utf-8")
    (out / "corpus.json").write_text(json.dumps({"count": count, "seed": seed}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of articles")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    write_corpus(args.count, args.outdir, args.seed)
    print(f"wrote {args.count:,} articles (seed {args.seed}) into {args.outdir}/")


if __name__ == "__main__":
    main()
