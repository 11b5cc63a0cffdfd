"""Topic tags from the controlled vocabulary in data/topics.yaml."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Vocabulary:
    """Tags in their vocabulary order, each with the pattern of its signal words."""

    tags: tuple[str, ...]
    patterns: dict[str, re.Pattern[str]]
    max_tags: int
    # Per tag, the lower-case start of each of its signals: a tag none of them occurs in (as
    # a rule, most) needs no search.
    starts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def tags_in(self, text: str) -> list[str]:
        """The tags whose signals occur in text: most frequent first, ties in vocabulary order."""
        lowered = text.lower()
        counts = Counter(
            {
                tag: len(self.patterns[tag].findall(text))
                for tag in self.tags
                if any(start in lowered for start in self.starts.get(tag, ("",)))
            }
        )
        order = {tag: i for i, tag in enumerate(self.tags)}
        found = [tag for tag in self.tags if counts[tag]]
        found.sort(key=lambda tag: (-counts[tag], order[tag]))
        return found[: self.max_tags]


def _signal(word: str) -> str:
    stem = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
    return stem + r"[\w-]*" if word.endswith("*") else stem


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary of the package's data file."""
    text = resources.files("generator").joinpath("data/topics.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    patterns = {
        tag: re.compile(
            r"(?<![\w-])(?:" + "|".join(_signal(w) for w in words) + r")(?![\w-])", re.I
        )
        for tag, words in data["tags"].items()
    }
    starts = {
        tag: tuple(w.rstrip("*").split(" ")[0].lower() for w in words)
        for tag, words in data["tags"].items()
    }
    return Vocabulary(tuple(data["tags"]), patterns, int(data["max_tags"]), starts)
