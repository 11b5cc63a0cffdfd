"""Country detection through the country data: every way news text names a partner."""

from __future__ import annotations

import pytest

from generator.convert.fields import countries_in
from generator.gazetteer import load_gazetteer

GAZ = load_gazetteer()

# Each sentence names one country and only by that form: a dropped alias or demonym in the data
# (countryinfo's or data/countries.yaml's) fails its case.
BY_DEMONYM = [
    ("Ukrainian firms showed sunflower oil at the fair.", "Ukraine"),
    ("Two Ukrainians joined the tour of the free trade zone.", "Ukraine"),
    ("South Korean buyers ordered medical equipment.", "South Korea"),
    ("British investors toured the ice festival.", "United Kingdom"),
    ("Brazilian soybean growers met the importers.", "Brazil"),
    ("Russian carriers opened a new freight route.", "Russia"),
    ("German engineers will train local technicians.", "Germany"),
    ("Spanish wine makers set up a showroom.", "Spain"),
    ("Finnish designers exhibited furniture.", "Finland"),
    ("Greek shipping firms signed two letters of intent.", "Greece"),
    ("French chefs cooked at the opening dinner.", "France"),
    ("Norwegian salmon arrived by air.", "Norway"),
]
BY_OTHER_NAME = [
    ("The Republic of Korea sent a trade mission.", "South Korea"),
    ("An ROK delegation arrived on Monday.", "South Korea"),
    ("Exporters from the UK and Britain attended.", "United Kingdom"),
    ("Companies from Czechia and the Czech Republic signed.", "Czech Republic"),
    ("Dutch flower growers opened an office.", "Netherlands"),
]


@pytest.mark.parametrize(("sentence", "country"), BY_DEMONYM + BY_OTHER_NAME)
def test_a_country_is_found_by_its_demonym_or_other_name(sentence: str, country: str) -> None:
    assert countries_in(sentence, GAZ) == [country]


def test_home_country_comes_first_then_the_most_mentioned() -> None:
    text = "Ukraine and Brazil. Brazilian firms and a Brazilian bank met Chinese partners."
    assert countries_in(text, GAZ) == ["China", "Brazil", "Ukraine"]
