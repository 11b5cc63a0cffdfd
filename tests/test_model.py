"""The model: ordering, taxonomies, pairs and related articles, on articles made in memory."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from generator.incremental.cache import LayoutCache, body_store
from generator.model.article import Article, Body
from generator.model.site import build_site, country_pairs, layout_key, related_articles


def article(slug: str, date: str, countries=(), places=(), tags=(), section=None) -> Article:
    return Article(
        path=f"content/{slug}.md",
        title=slug.replace("-", " ").title(),
        date=dt.date.fromisoformat(date),
        slug=slug,
        section=section,
        source=None,
        countries=tuple(countries),
        places=tuple(places),
        tags=tuple(tags),
        summary="",
        photos=(),
        draft=False,
        seed=None,
        extra={},
        body=Body(slug, body_store(None)),
        digest=slug,
    )


def test_most_related_article_comes_first() -> None:
    subject = article(
        "subject",
        "2021-05-01",
        ["China", "Ukraine"],
        ["Harbin", "Kharkiv"],
        ["trade", "agriculture"],
    )
    same_partner_and_place = article(
        "partner-place", "2015-01-01", ["China", "Ukraine"], ["Kharkiv"], ["culture"]
    )
    same_partner = article("partner", "2021-04-30", ["China", "Ukraine"], [], ["culture"])
    same_tags_only = article(
        "tags", "2021-05-02", ["China", "Brazil"], [], ["trade", "agriculture"]
    )
    home_only = article("home", "2021-05-01", ["China"], ["Beijing"], ["tourism"])
    same_place = article("place", "2010-01-01", ["China"], ["Harbin"], [])
    articles = [
        subject,
        same_partner_and_place,
        same_partner,
        same_tags_only,
        home_only,
        same_place,
    ]
    # Newest first, as the model orders them: equal scores go to the nearest in time, so the
    # article sharing a place as well (the oldest) must win on its score alone.
    ordered = tuple(sorted(articles, key=lambda a: a.date, reverse=True))
    related = related_articles(ordered, "China")
    # Country 3, place 2, tag 1; sharing only the home country says nothing.
    assert [a.slug for a in related[subject.url]] == ["partner-place", "partner", "tags", "place"]
    assert home_only.url not in {a.url for a in related[subject.url]}


def test_ties_go_to_the_nearest_in_time() -> None:
    subject = article("subject", "2021-05-01", ["China", "Ukraine"])
    near = article("near", "2021-04-01", ["China", "Ukraine"])
    far = article("far", "2011-04-01", ["China", "Ukraine"])
    ordered = tuple(sorted([subject, far, near], key=lambda a: a.date, reverse=True))
    assert [a.slug for a in related_articles(ordered, "China")[subject.url]] == ["near", "far"]


def test_taxonomies_pairs_and_neighbours() -> None:
    a = article("a", "2020-01-01", ["China", "Ukraine", "Spain"], tags=["Trade"], section="News")
    b = article("b", "2021-01-01", ["China", "Ukraine"], tags=["trade"], section="News")
    site = build_site([a, b], "China")
    assert [x.slug for x in site.articles] == ["b", "a"]
    assert site.newer[a.url] is b and site.older[b.url] is a and site.newer[b.url] is None
    [trade] = site.terms["tag"]
    assert trade.slug == "trade" and len(site.terms["tag"][trade]) == 2  # one page, any case
    pairs = {t.slug: len(items) for t, items in site.terms["pair"].items()}
    assert pairs == {"china--ukraine": 2, "china--spain": 1, "spain--ukraine": 1}
    ukraine = site.term("country", "Ukraine")
    assert [(t.name, n) for t, n in site.partners[ukraine]] == [("China", 2), ("Spain", 1)]
    assert country_pairs(("Ukraine", "China", "ukraine")) == ("China – Ukraine",)


def test_an_article_under_two_spellings_of_a_term_is_listed_once() -> None:
    a = article("a", "2020-01-01", ["China", "Kenya", "kenya"], tags=["E-commerce", "e-commerce"])
    b = article("b", "2021-01-01", ["China", "Kenya"], tags=["e-commerce"])
    site = build_site([a, b], "China")
    [tag] = site.terms["tag"]
    assert tag.name == "e-commerce" and site.terms["tag"][tag] == (b, a)
    kenya = site.term("country", "Kenya")
    assert site.terms["country"][kenya] == (b, a)


def test_a_kept_layout_files_the_articles_as_a_new_one(tmp_path: Path) -> None:
    articles = [
        article("a", "2020-01-01", ["China", "Kenya", "kenya"], ["Nairobi"], ["trade"], "News"),
        article("b", "2021-01-01", ["China", "Kenya"], [], ["Trade", "energy"], "Business"),
        article("c", "2021-03-01", ["China", "Spain", "Kenya"], ["Nairobi"], ["energy"]),
        article("d", "2019-06-01", ["China", "Spain"], [], ["culture"], "News"),
    ]
    LayoutCache(tmp_path).get("")  # nothing kept yet
    assert build_site(articles, "China", LayoutCache(tmp_path)) == build_site(articles, "China")
    kept = LayoutCache(tmp_path)  # read from the file the first build wrote
    retitled = [dataclasses.replace(articles[0], title="Another title"), *articles[1:]]
    ordered = tuple(sorted(retitled, key=lambda a: (a.date, a.slug), reverse=True))
    assert kept.get(layout_key(ordered, "China")) is not None  # a title leaves the layout
    assert build_site(retitled, "China", kept) == build_site(retitled, "China")
    # Each of what files an article, changed: the kept layout is not used.
    for field, value in [
        ("tags", ("culture",)),
        ("countries", ("China", "Spain")),
        ("places", ()),
        ("section", "Business"),
        ("date", dt.date(2022, 1, 1)),
    ]:
        moved = [dataclasses.replace(articles[0], **{field: value}), *articles[1:]]
        assert build_site(moved, "China", kept) == build_site(moved, "China"), field
    assert build_site(articles, "Spain", kept) == build_site(articles, "Spain")
