"""Country detection through the country data: every way news text names a partner."""

from __future__ import annotations

import pytest

from generator.convert.fields import countries_in
from generator.model.gazetteer import load_gazetteer

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


# Phrases that only look like mentions (data/countries.yaml, not_mentions), each with what the
# sentence really mentions.
FALSE_FRIENDS = [
    ("Harbin, the Eastern Paris, welcomed Russian skaters.", ["China", "Russia"]),
    ("Harbin was once called the Paris of the East.", ["China"]),
    ("The deal is worth 30 million U.S. dollars for Kazakh growers.", ["Kazakhstan"]),
    ("Herders from Inner Mongolia met Mongolian vets.", ["China", "Mongolia"]),
    ("Exporters from South America shipped soybeans.", []),
    ("Guinea pigs and turkey were on the farm; Turkish coffee was served.", []),
    ("A bridge links Lao Cai with Hekou.", ["Vietnam"]),
]


@pytest.mark.parametrize(("sentence", "countries"), FALSE_FRIENDS)
def test_false_friends_are_not_mentions(sentence: str, countries: list[str]) -> None:
    assert sorted(countries_in(sentence, GAZ)) == sorted(countries)


def test_a_country_named_in_chinese_is_found() -> None:
    assert countries_in("哈萨克斯坦和白俄罗斯的企业在哈尔滨签约。", GAZ) == [
        "China",
        "Kazakhstan",
        "Belarus",
    ]
