"""Articles -> Site: sorted, grouped into taxonomies, linked. Pure functions, no I/O."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from generator.model import urls
from generator.model.article import Article

TAXONOMIES = ("tag", "country", "section", "year", "pair")
RELATED_COUNT = 4
# Related candidates per shared term, nearest in time: keeps related-article search linear.
_RELATED_WINDOW = 25
_WEIGHTS = {"country": 3, "place": 2, "tag": 1}


@dataclass(frozen=True, slots=True, order=True)
class Term:
    """A tag, country, section or year, with its URL."""

    kind: str
    name: str
    slug: str

    @property
    def url(self) -> str:
        return urls.term(self.kind, self.slug)


@dataclass(frozen=True)
class Site:
    """Everything the pages show, computed once from the articles."""

    articles: tuple[Article, ...]  # newest first
    terms: dict[str, dict[Term, tuple[Article, ...]]]  # kind -> term -> its articles, newest first
    newer: dict[str, Article | None]  # article url -> the next newer article
    older: dict[str, Article | None]
    related: dict[str, tuple[Article, ...]]
    partners: dict[Term, tuple[tuple[Term, int], ...]]  # country -> (partner, shared articles)
    by_slug: dict[tuple[str, str], Term]
    # Article url -> the urls of the articles listing it as related: made on first use (a
    # title edit in watch mode) and shared with the sites that replace articles in this one.
    listed_by: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)
    layout_key: str = ""  # the digest of what the layout was made from (layout_key)

    def term(self, kind: str, name: str) -> Term:
        """The term an article's name files it under."""
        return self.by_slug.get((kind, slug_of(kind, name))) or make_term(kind, name)


def make_term(kind: str, name: str) -> Term:
    return Term(kind, name, slug_of(kind, name))


PAIR_SEPARATOR = " – "


def slug_of(kind: str, name: str) -> str:
    """The URL segment of a term. A pair's joins its countries' with '--', which no single
    name's slug contains, so /countries/china--ukraine/ never collides with a country."""
    if kind == "pair":
        return "--".join(urls.term_slug(part) for part in name.split(PAIR_SEPARATOR))
    return urls.term_slug(name)


def article_terms(article: Article) -> dict[str, tuple[str, ...]]:
    """The names an article is filed under, per taxonomy."""
    return {
        "tag": article.tags,
        "country": article.countries,
        "section": (article.section,) if article.section else (),
        "year": (str(article.date.year),),
        "pair": country_pairs(article.countries),
    }


def pair_name(first: str, second: str) -> str:
    """The name of a pair of countries, in canonical (slug) order: 'China – South Korea'."""
    a, b = sorted((first, second), key=urls.term_slug)
    return f"{a}{PAIR_SEPARATOR}{b}"


@functools.lru_cache(maxsize=4096)
def country_pairs(countries: tuple[str, ...]) -> tuple[str, ...]:
    """Every pair of the article's countries: bilateral pages are made of these (the same few
    hundred lists of countries recur: kept)."""
    first: dict[str, str] = {}
    for country in countries:
        first.setdefault(urls.term_slug(country), country)  # the first spelling wins
    unique = sorted(first.values(), key=urls.term_slug)
    return tuple(pair_name(a, b) for i, a in enumerate(unique) for b in unique[i + 1 :])


def placed(article: Article) -> tuple[object, ...]:
    """What of an article decides where it is filed and which articles each page shows."""
    a = article
    return (a.url, a.date, a.section, a.countries, a.places, a.tags)


class Layout(NamedTuple):
    """Where the articles are filed, by position in the newest-first order: what build_site
    works out from `placed` alone, so it can be kept between builds while that is unchanged."""

    terms: tuple[tuple[str, str, str, tuple[int, ...]], ...]  # kind, name, slug, positions
    related: tuple[tuple[int, ...], ...]  # each article's related articles
    partners: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # country slug -> partners


class LayoutCache(Protocol):
    """Where the layout is kept between builds, by a key of all its inputs."""

    def get(self, key: str) -> Layout | None: ...

    def put(self, key: str, value: Layout) -> None: ...


def layout_key(ordered: tuple[Article, ...], home_country: str | None) -> str:
    """A digest of everything the layout of these articles is made from."""
    inputs = repr([placed(a) for a in ordered] + [home_country])
    return hashlib.sha256(inputs.encode("utf-8")).hexdigest()


def build_site(
    articles: Iterable[Article],
    home_country: str | None = None,
    layout_cache: LayoutCache | None = None,
) -> Site:
    """Sort and group the articles (the home country is left out of related-article scoring)."""
    ordered = tuple(sorted(articles, key=lambda a: (a.date, a.slug), reverse=True))
    key = layout_key(ordered, home_country)
    layout = layout_cache.get(key) if layout_cache is not None else None
    if layout is None:
        layout = layout_of(ordered, home_country)
        if layout_cache is not None:
            layout_cache.put(key, layout)
    return _site_of(ordered, layout, key)


def layout_of(ordered: tuple[Article, ...], home_country: str | None) -> Layout:
    """File the articles under their terms, find their related articles and partners."""
    # Filed by name first: each of the few hundred names is slugged once, not once per use.
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, article in enumerate(ordered):
        for kind, names in article_terms(article).items():
            for name in names:
                by_name[kind, name].append(position)
    # Grouped by slug, so "E-commerce" and "e-commerce" are one page (named as most write it).
    spellings: dict[tuple[str, str], list[tuple[str, list[int]]]] = defaultdict(list)
    for (kind, name), positions in by_name.items():
        spellings[kind, slug_of(kind, name)].append((name, positions))
    terms: list[tuple[str, str, str, tuple[int, ...]]] = []
    for (kind, slug), named in sorted(spellings.items()):
        name = min(named, key=lambda spelling: (-len(spelling[1]), spelling[0]))[0]
        # An article filed under two spellings of one term is listed on its page once.
        positions = named[0][1] if len(named) == 1 else sorted({p for _, ps in named for p in ps})
        terms.append((kind, name, slug, tuple(positions)))
    countries = [(slug, positions) for kind, _, slug, positions in terms if kind == "country"]
    return Layout(
        terms=tuple(terms),
        related=_related_positions(ordered, home_country),
        partners=_partners(ordered, countries),
    )


def _site_of(ordered: tuple[Article, ...], layout: Layout, key: str) -> Site:
    """The site the layout files these articles into."""
    terms: dict[str, dict[Term, tuple[Article, ...]]] = {kind: {} for kind in TAXONOMIES}
    for kind, name, slug, positions in layout.terms:
        terms[kind][Term(kind, name, slug)] = tuple([ordered[p] for p in positions])
    newer = {a.url: (ordered[i - 1] if i > 0 else None) for i, a in enumerate(ordered)}
    older = {
        a.url: (ordered[i + 1] if i + 1 < len(ordered) else None) for i, a in enumerate(ordered)
    }
    related = {
        a.url: tuple([ordered[p] for p in positions])
        for a, positions in zip(ordered, layout.related, strict=True)
    }
    country_of = {t.slug: t for t in terms["country"]}
    partners = {
        country_of[slug]: tuple((country_of[other], count) for other, count in shared)
        for slug, shared in layout.partners
    }
    return Site(
        articles=ordered,
        terms=terms,
        newer=newer,
        older=older,
        related=related,
        partners=partners,
        by_slug={(t.kind, t.slug): t for by_term in terms.values() for t in by_term},
        layout_key=key,
    )


def with_articles_replaced(site: Site, changed: dict[str, Article]) -> Site:
    """The site with some articles replaced by new versions that are filed and ordered the
    same (same URL, date, section, countries, places and tags): only what holds them changes.
    A title edit in watch mode costs this, not a new model of the whole site."""
    # The old versions, by identity: finding them in tuples is done in C, not per article.
    old = {id(a): changed[a.url] for a in site.articles if a.url in changed}

    def replaced(items: tuple[Article, ...]) -> tuple[Article, ...]:
        ids = list(map(id, items))
        if old.keys().isdisjoint(ids):
            return items
        copy = list(items)
        for key, article in old.items():
            with contextlib.suppress(ValueError):  # an article is in a tuple once (build_site)
                copy[ids.index(key)] = article
        return tuple(copy)

    terms = {kind: dict(by_term) for kind, by_term in site.terms.items()}
    newer, older = dict(site.newer), dict(site.older)
    if not site.listed_by:
        for url, items in site.related.items():
            for item in items:
                site.listed_by.setdefault(item.url, []).append(url)
    related = dict(site.related)
    for url, article in changed.items():
        for kind, names in article_terms(article).items():
            for name in names:
                term = site.by_slug[kind, slug_of(kind, name)]
                terms[kind][term] = replaced(terms[kind][term])
        # The articles either side of it point at it.
        if (before := site.older[url]) is not None:
            newer[before.url] = article
        if (after := site.newer[url]) is not None:
            older[after.url] = article
        for holder in site.listed_by.get(url, ()):
            related[holder] = replaced(related[holder])
    return Site(
        articles=replaced(site.articles),
        terms=terms,
        newer=newer,
        older=older,
        related=related,
        partners=site.partners,
        by_slug=site.by_slug,
        listed_by=site.listed_by,
        layout_key=site.layout_key,
    )


def related_articles(
    ordered: tuple[Article, ...], home_country: str | None
) -> dict[str, tuple[Article, ...]]:
    """For each article, the articles sharing most countries, places and tags (weighted)."""
    related = zip(ordered, _related_positions(ordered, home_country), strict=True)
    return {a.url: tuple(ordered[p] for p in best) for a, best in related}


def _related_positions(
    ordered: tuple[Article, ...], home_country: str | None
) -> tuple[tuple[int, ...], ...]:
    postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, article in enumerate(ordered):
        for key in _related_keys(article, home_country):
            postings[key].append(index)
    position = {key: {i: n for n, i in enumerate(items)} for key, items in postings.items()}
    related: list[tuple[int, ...]] = []
    for index, article in enumerate(ordered):
        # Each candidate once per weight unit, counted in C: a big site has millions of
        # candidates, too many for a Python-level `scores[i] += w`.
        candidates: list[int] = []
        for key in _related_keys(article, home_country):
            items = postings[key]
            at = position[key][index]
            candidates += (
                items[max(0, at - _RELATED_WINDOW) : at + _RELATED_WINDOW + 1] * (_WEIGHTS[key[0]])
            )
        scores = Counter(candidates)
        scores.pop(index, None)
        related.append(tuple(_best(scores, index)))
    return tuple(related)


def _best(scores: Counter[int], index: int) -> list[int]:
    """The highest-scoring candidates, the nearest in time first among equals (then the newer):
    only the candidates of the top scores are sorted, not all few hundred."""
    best: list[int] = []
    for score in sorted(set(scores.values()), reverse=True):
        tied = [i for i, s in scores.items() if s == score]
        tied.sort(key=lambda i: (abs(i - index), i))
        best += tied[: RELATED_COUNT - len(best)]
        if len(best) == RELATED_COUNT:
            break
    return best


def _related_keys(article: Article, home_country: str | None) -> list[tuple[str, str]]:
    # The home country is in nearly every article: sharing it says nothing.
    keys = [("country", c) for c in article.countries if c != home_country]
    keys += [("place", p) for p in article.places]
    keys += [("tag", t) for t in article.tags]
    return keys


def _partners(
    ordered: tuple[Article, ...], countries: list[tuple[str, tuple[int, ...]]]
) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    """Each country's partners (by slug), with how many articles it shares with each."""
    partners: list[tuple[str, tuple[tuple[str, int], ...]]] = []
    for slug, positions in countries:
        shared = Counter(
            other
            for p in positions
            for other in map(urls.term_slug, ordered[p].countries)
            if other != slug
        )
        partners.append((slug, tuple(sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])))))
    return tuple(partners)


def latest(items: tuple[Article, ...]) -> dt.date:
    return items[0].date
