"""The converter on the development set (tests/fixtures/pages/): 88 pages in the shapes of
scraped news pages from about 60 sites, written in our own words and labelled."""

from __future__ import annotations

import pytest

from tests.convert_scores import FIELDS, Scores, score


@pytest.fixture(scope="module")
def scores() -> Scores:
    return score()


def test_the_set_is_big_and_varied(scores: Scores) -> None:
    assert scores.pages >= 60


@pytest.mark.parametrize("field", ["title", "date"])
def test_titles_and_dates_are_right(scores: Scores, field: str) -> None:
    assert field in FIELDS
    misses = [m for m in scores.misses if f": {field} " in m]
    assert scores.rate(field) >= 0.98, misses


def test_countries_are_found_and_only_they(scores: Scores) -> None:
    misses = [m for m in scores.misses if ": countries " in m]
    assert scores.recall >= 0.95 and scores.precision >= 0.95, misses


def test_no_furniture_is_left_and_no_text_lost(scores: Scores) -> None:
    left = [m for m in scores.misses if "furniture left" in m or "text lost" in m]
    assert scores.furniture_left == 0 and scores.text_lost == 0, left


def test_nothing_refused_nor_crashed(scores: Scores) -> None:
    assert scores.crashed == []
    assert scores.refused_wrongly == 0, [m for m in scores.misses if "refused" in m]
    assert not [m for m in scores.misses if "has no article" in m]  # index pages refused
