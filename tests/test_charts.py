"""Timelines: bar charts per year and month, and the counts behind them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from generator.pages.charts import bar_chart_svg, counts_by_month, counts_by_year

SVG = "{http://www.w3.org/2000/svg}"


def bar_titles(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    # A bar is a rect with its own title, or a link named by one.
    rects = [r.find(f"{SVG}title") for r in root.iter(f"{SVG}rect")]
    named = [t.text for t in rects if t is not None]
    return named + [a.find(f"{SVG}title").text for a in root.iter(f"{SVG}a")]


def axis_labels(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    groups = [g for g in root.iter(f"{SVG}g") if g.get("text-anchor") == "middle"]
    return [t.text for g in groups for t in g.iter(f"{SVG}text")]


def test_counts_fill_gaps() -> None:
    dates = [date(2019, 5, 1), date(2021, 1, 2), date(2021, 3, 3)]
    assert counts_by_year(dates) == [("2019", 1), ("2020", 0), ("2021", 2)]
    months = counts_by_month([date(2020, 11, 30), date(2021, 2, 1), date(2020, 11, 1)])
    assert months == [("2020-11", 2), ("2020-12", 0), ("2021-01", 0), ("2021-02", 1)]
    assert counts_by_year([]) == [] and counts_by_month([]) == []


def test_one_bar_per_entry_with_titles() -> None:
    svg = bar_chart_svg([("2019", 1), ("2020", 4), ("2021", 0)], title="Per year")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Per year"
    assert bar_titles(svg) == ["2019: 1 article", "2020: 4 articles", "2021: 0 articles"]
    assert axis_labels(svg) == ["2019", "2020", "2021"]


def test_linked_bars() -> None:
    svg = bar_chart_svg(
        [("2019", 2), ("2020", 0)], title="T", url_of=lambda year: f"/archive/{year}/"
    )
    root = ET.fromstring(svg)
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["/archive/2019/"]  # an empty year has no page
    assert links[0].get("aria-label") == "2019: 2 articles"
    assert root.get("role") is None  # role="img" would hide the links
    assert bar_titles(svg) == ["2020: 0 articles", "2019: 2 articles"]


def test_no_bars() -> None:
    svg = bar_chart_svg([], title="Nothing <yet>")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Nothing <yet>"
    assert bar_titles(svg) == []


def test_many_months_are_labelled_by_year() -> None:
    dates = [date(2010 + i // 12, i % 12 + 1, 1) for i in range(0, 180, 5)]
    bars = counts_by_month(dates)
    assert len(bars) > 170
    svg = bar_chart_svg(bars, title="Per month")
    assert len(bar_titles(svg)) == len(bars)
    labels = axis_labels(svg)
    assert labels and all(len(label) == 4 for label in labels)  # years only
    assert len(labels) <= 16


def test_label_every() -> None:
    bars = [(str(2000 + i), i) for i in range(10)]
    assert axis_labels(bar_chart_svg(bars, title="T", label_every=3)) == [
        "2000",
        "2003",
        "2006",
        "2009",
    ]
