"""Fingerprints: what a page shows, as one digest, so the writer renders only the pages whose
digest changed. The planner asks for one per page; `Unmarked` gives none (a page made again
whose fingerprint is known)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from generator.model.article import Article
from generator.pages.front import FrontSide
from generator.pages.records import Card, Link, Pager, SiteInfo


class Fingerprints:
    """Canonical texts of context values, hashed: equal text, equal page. `template_digest`
    names what a template (and the files it uses) depends on."""

    def __init__(self, template_digest: Callable[[str], str], common: str = ""):
        self.template_digest = template_digest
        self.common = common  # the digest of what every page shows (the masthead...)
        # Cards and links recur on many pages (lists, feeds, neighbours): each one's text is
        # worked out once, by identity (the planner makes one object per article and term).
        self._known: dict[int, tuple[object, str]] = {}

    def fresh(self) -> Fingerprints:
        """Fingerprints of the same templates and common context, with an empty memo."""
        return type(self)(self.template_digest, self.common)

    def of(self, template: str, content: str) -> str:
        """The fingerprint of a page showing `content` with `template`."""
        return self.digest_text(self.template_digest(template) + content)

    def page(self, context: dict[str, Any]) -> str:
        """What a page shows, from its whole context."""
        return self.digest([self.common, context])

    def article(self, article: Article, context: dict[str, Any]) -> str:
        """What an article's page shows: its file (its digest), links and cards, taken directly
        rather than by walking the context (several times faster)."""
        key = self.key
        links = [context["section"], *context["countries"], "|", *context["tags"], "|"]
        neighbours = [context["newer"], context["older"]]
        own = "".join(
            [self.common, article.digest, article.url]
            + [key(value) for value in links]
            + [key(card) if card else "None" for card in neighbours]
            + ["'|'"]
            + [key(card) for card in context["related"]]
        )
        return self.digest_text(own)

    def list_shared(self, title: str | None, total: int, feeds: list, extra: Any) -> str:
        """What all pages of a list share, worked out once per list."""
        return self.key([self.common, title, total, feeds, extra])

    def list_page(self, shared: str, url: str, pager: Pager, cards: list[Card]) -> str:
        """What one page of a list shows besides what the list shares."""
        texts = ",".join([self.key(card) for card in cards])
        return self.digest_text(f"{shared}{url!r}{pager!r}[{texts}]")

    def digest(self, value: Any) -> str:
        return self.digest_text(self.key(value))

    @staticmethod
    def digest_text(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def key(self, value: Any) -> str:
        kind = type(value)
        if kind is str and len(value) < 200:
            return repr(value)
        if kind in _SHARED:
            known = self._known.get(id(value))
            if known is None or known[0] is not value:
                known = self._known[id(value)] = (value, self._text(value, kind))
            return known[1]
        if kind is Article:
            # An article's page depends on its whole file, which its digest stands for.
            return "A" + value.digest
        if value is None or kind in (int, float, bool, dt.date, Pager, FrontSide):
            return repr(value)  # their repr shows every field
        raise TypeError(f"cannot fingerprint {kind.__name__}")

    def _text(self, value: Any, kind: type) -> str:
        if kind is list or kind is tuple:
            return "[" + ",".join(map(self.key, value)) + "]"
        if kind is dict:
            return "{" + ",".join(f"{k!r}:{self.key(v)}" for k, v in value.items()) + "}"
        return repr(value)  # cards, links and long strings (an SVG chart): every field shows


class Unmarked(Fingerprints):
    """No fingerprints: for a page made again whose fingerprint is already known."""

    def of(self, template: str, content: str) -> str:
        return ""

    def page(self, context: dict[str, Any]) -> str:
        return ""

    def article(self, article: Article, context: dict[str, Any]) -> str:
        return ""

    def list_shared(self, title: str | None, total: int, feeds: list, extra: Any) -> str:
        return ""

    def list_page(self, shared: str, url: str, pager: Pager, cards: list[Card]) -> str:
        return ""


# Values that recur on many pages as the same object (a country's partner list is on each of
# its pages): their text is kept by identity. The memo holds them, so an id is never reused.
_SHARED = (str, list, tuple, dict, Card, Link, SiteInfo)
