"""The converter on the project's five real seeds, field by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.convert import convert
from tests.conftest import ROOT, content_by_seed


@pytest.fixture(scope="module")
def converted_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seeds converted now, into a fresh folder."""
    content = tmp_path_factory.mktemp("content")
    report = convert(ROOT / "seeds", content, say=lambda _: None, warn=lambda _: None)
    assert report.errors == []
    assert len(report.written) == 5
    return content


@pytest.fixture(scope="module")
def converted(converted_folder: Path) -> dict[str, tuple[dict, str, Path]]:
    return content_by_seed(converted_folder)


def test_committed_sample_is_what_convert_makes_of_the_seeds(converted_folder: Path) -> None:
    # The sample portal's content/ is the converter's output, byte for byte: a converter
    # change that alters it must regenerate it (`portal convert --force`), seen in review.
    def files(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}

    committed, fresh = files(ROOT / "content"), files(converted_folder)
    assert committed.keys() == fresh.keys()
    for name in committed:
        assert without_editors_images(committed[name]) == fresh[name], name


def without_editors_images(text: bytes) -> bytes:
    """A content file less what an editor added to two sample articles after converting them:
    a lead image (`image:`, `image_alt:`) and its `photos:` entry (content/media/)."""
    lines = text.decode("utf-8").split("\n")
    kept = [
        line for line in lines if not line.startswith(("image: ", "image_alt: ", "- {src: media/"))
    ]
    # A `photos:` key left with no entry was the editor's too.
    kept = [
        line for n, line in enumerate(kept) if line != "photos:" or kept[n + 1].startswith("- ")
    ]
    return "\n".join(kept).encode("utf-8")


def article(converted: dict, prefix: str) -> tuple[dict, str]:
    [(fields, body, _)] = [v for k, v in converted.items() if k.startswith(prefix)]
    return fields, body


def test_korean_delegation(converted: dict) -> None:
    fields, body = article(converted, "000_")
    assert fields["title"] == "South Korean delegation seeks business deals in Harbin"
    assert fields["date"] == dt.date(2020, 8, 12)
    assert fields["section"] == "Foreign Exchanges"
    assert fields["source"] == "e.my399.com"
    assert fields["countries"] == ["China", "South Korea"]
    assert fields["places"][:2] == ["Harbin", "Heilongjiang"]
    assert {"trade", "e-commerce", "medical equipment"} <= set(fields["tags"])
    assert [p["credit"] for p in fields["photos"]] == ["hljfao.gov.cn"]
    assert fields["photos"][0]["caption"].startswith("A meeting between China’s northernmost")
    assert fields["slug"] == "south-korean-delegation-seeks-business-deals-in-harbin"
    assert fields["seed"] == "000_78f5b1d3834dd6ed.txt"
    assert fields["draft"] is False
    assert fields["summary"].startswith("A delegation of 21 business representatives")
    # The caption is a caption block, not an ordinary paragraph.
    assert "*(Photo: hljfao.gov.cn)*\n{: .photo-caption }" in body
    assert "[Photo/" not in body


def test_ukraine(converted: dict) -> None:
    fields, _ = article(converted, "001_")
    assert fields["countries"] == ["China", "Ukraine"]
    assert fields["date"] == dt.date(2020, 12, 4)
    assert "agriculture" in fields["tags"]
    assert "photos" not in fields


def test_europe_meeting(converted: dict) -> None:
    fields, body = article(converted, "002_")
    assert fields["countries"][0] == "China"
    assert set(fields["countries"]) == {
        "China",
        "United Kingdom",
        "Spain",
        "Finland",
        "Germany",
        "Greece",
    }
    assert {p["credit"] for p in fields["photos"]} == {"dbw.cn"}
    assert len(fields["photos"]) == 2
    # The summary skips the opening photo caption.
    assert fields["summary"].startswith("A total of seven cooperation deals")


def test_biz_update(converted: dict) -> None:
    fields, _ = article(converted, "003_")
    assert fields["countries"] == ["China", "Russia", "Brazil"]
    assert fields["section"] == "Biz updates"
    assert fields["date"] == dt.date(2015, 9, 2)
    assert "e-commerce" in fields["tags"]


def test_news_collective(converted: dict) -> None:
    fields, body = article(converted, "004_")
    assert fields["title"].startswith("China-South Korea Environmental and Innovation Coop")
    assert fields["date"] == dt.date(2023, 11, 30)
    assert fields["source"] == "News Collective"
    assert fields["countries"] == ["China", "South Korea"]
    assert "section" not in fields
    assert fields["places"] == ["Yancheng", "Jiangsu"]
    # Furniture is gone: tagline, repeated title, the injected See-also line.
    assert "See also" not in body
    assert "Dominican" not in body and "New Zealand" not in body
    assert body.count("Cooperation Exhibition") == 0
    assert body.startswith("Under the slogan")


def test_teaser_is_stripped_everywhere(converted: dict) -> None:
    for _, _, path in converted.values():
        text = path.read_text("utf-8")
        assert "Harbin ramps up childcare services" not in text, path
        assert "comprehensive service center for childcare" not in text, path
