"""Photo captions and their credits, in the forms news sites write them (data/lines.yaml):
'[Photo/hljfao.gov.cn]', '[Xinhua]', '(Xinhua/Wang Song)', 'Photo: Courtesy of ...', a lone
'CHINA DAILY' line after the caption."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from generator.convert import lines


@dataclass(frozen=True, slots=True)
class Caption:
    caption: str
    credit: str


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    text = resources.files("generator").joinpath("data/lines.yaml").read_text("utf-8")
    return tuple(re.compile(p, re.I) for p in yaml.safe_load(text)["captions"])


@lru_cache(maxsize=16384)
def caption_of(text: str) -> Caption | None:
    """The caption and credit of a line that credits a photo, or None."""
    for pattern in _patterns():
        match = pattern.search(text)
        if match:
            credit = re.sub(r"(?i)^(?:photos?\s*)?by\s+", "", match["credit"].strip(" .:："))
            caption = (text[: match.start()] + text[match.end() :]).strip()
            if credit and lines.words(credit) <= 12:
                return Caption(caption, credit)
    return None


def lone_credit(text: str) -> str | None:
    """A line that is only a photo's credit, under its caption: 'CHINA DAILY'."""
    name = lines.outlet(text)
    return text.strip() if name and text.strip().isupper() else None
