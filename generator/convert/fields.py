"""A seed's raw article -> the front matter and Markdown body of its content file."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.convert import markdown_text
from generator.convert.captions import Caption, caption_of, lone_credit
from generator.convert.head import RawArticle
from generator.convert.text import Block
from generator.convert.topics import Vocabulary
from generator.model.gazetteer import Gazetteer, Mention

SUMMARY_SHORT = 160  # a first sentence shorter than this gets the second one too
SUMMARY_MAX = 320
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Mr|Mrs|Ms|Dr|Prof|St|Co|Corp|Inc|Ltd"
    r"|No|Gov|Sen|Rep|vs|etc|e\.g|i\.e)|\b[A-Z])\.$"
)
_SENTENCE_END = re.compile(r"[.!?][”\"’)]*\s+(?=[“\"‘(]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Extracted:
    """Everything a content file holds."""

    fields: dict[str, Any]
    body: str


def extract(
    raw: RawArticle,
    body: tuple[Block, ...],
    seed_name: str,
    slug: str,
    gaz: Gazetteer,
    vocab: Vocabulary,
) -> Extracted:
    """Front matter fields, in DESIGN.md's order, and the Markdown body."""
    photos: list[dict[str, str]] = []  # front matter entries: {caption, credit}
    paragraphs: list[str] = []
    markdown: list[str] = []
    for index, block in enumerate(body):
        found = caption_of(block.text)
        following = body[index + 1].text if index + 1 < len(body) else ""
        if found is None and lone_credit(following) and index:
            found = Caption(block.text, following.strip())  # "CHINA DAILY" on the next line
        if lone_credit(block.text) and index and photos and photos[-1]["credit"] == block.text:
            continue  # the credit line, now part of the caption above
        if found and not found.caption and paragraphs and markdown:
            # A credit on a line of its own ("[Photo by Newsgd.com]"): the line above is its
            # caption.
            found = Caption(paragraphs.pop(), found.credit)
            markdown.pop()
        if found and found.caption:
            photos.append({"caption": found.caption, "credit": found.credit})
            markdown.append(markdown_text.photo_caption(found.caption, found.credit))
        else:
            paragraphs.append(block.text)
            markdown.append(markdown_text.escape(block.text))
    text = "\n".join([raw.title, *(b.text for b in body)])
    fields = front_matter(
        Article(raw.title, raw.date, raw.section, raw.source, text, paragraphs, photos),
        slug,
        gaz,
        vocab,
        draft=bool(raw.review),
        review=list(raw.review),
    )
    fields["seed"] = seed_name
    return Extracted(fields, "\n\n".join(markdown))


@dataclass(frozen=True, slots=True)
class Article:
    """What the front matter is made from, whether converted or imported."""

    title: str
    date: dt.date | None
    section: str | None
    source: str | None
    text: str  # where countries, places and topics are looked for
    paragraphs: list[str]  # the first gives the summary
    photos: list[dict[str, str]]


def front_matter(
    article: Article,
    slug: str,
    gaz: Gazetteer,
    vocab: Vocabulary,
    *,
    draft: bool,
    review: list[str],
    home_first: bool = False,
    labels: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Front matter fields in DESIGN.md's order, up to `review`. An undated article is kept, as
    a draft dated the day it was made, for an editor to date. `home_first`: the home country
    is listed even when the text does not name it; `labels`: the source's own tags, read for
    topics."""
    fields: dict[str, Any] = {"title": article.title, "date": article.date or dt.date.today()}
    if article.section:
        fields["section"] = article.section
    if article.source:
        fields["source"] = article.source
    places = gaz.place_mentions(article.text)
    countries = countries_in(article.text, gaz, places)
    if home_first:
        countries = [gaz.home, *(c for c in countries if c != gaz.home)]
    fields["countries"] = countries
    fields["places"] = list(dict.fromkeys(m.name for m in places))
    fields["tags"] = vocab.tags_in("\n".join([article.text, *labels]))
    fields["summary"] = summarise(article.paragraphs)
    if article.photos:
        fields["photos"] = article.photos
    fields["slug"] = slug
    fields["draft"] = draft or article.date is None
    if review:
        fields["review"] = review
    return fields


def countries_in(text: str, gaz: Gazetteer, places: list[Mention] | None = None) -> list[str]:
    """Countries mentioned: the home country first, then the most mentioned, then first seen."""
    mentions = gaz.country_mentions(text, places)
    counts = Counter(m.name for m in mentions)
    first = {m.name: i for i, m in reversed(list(enumerate(mentions)))}
    return sorted(counts, key=lambda n: (n != gaz.home, -counts[n], first[n]))


def summarise(paragraphs: list[str]) -> str:
    """The first sentence of the article, or two when the first is short."""
    if not paragraphs:
        return ""
    sentences = _sentences(paragraphs[0])
    summary = sentences[0]
    if len(summary) < SUMMARY_SHORT and len(sentences) > 1:
        summary = f"{summary} {sentences[1]}"
    if len(summary) > SUMMARY_MAX:
        summary = summary[:SUMMARY_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary


def _sentences(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start : match.end()].strip()
        if _ABBREVIATIONS.search(candidate.rstrip('”"’)')):
            continue
        sentences.append(candidate)
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
