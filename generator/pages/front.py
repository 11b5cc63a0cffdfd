"""The front page's side column: the partner countries most in the news over the year up to the
newest article, and the latest story of each section. Both come from the articles alone, not
from today's date, so a build of the same content shows the same column."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from generator.model.site import Site, Term
from generator.pages.records import Card, Link

ACTIVE_PARTNERS = 8  # countries in the column's list
ACTIVE_DAYS = 365  # the window, counted back from the newest article
FEWEST_PARTNERS = 3  # fewer in the window, and the column counts over every article


@dataclass(frozen=True, slots=True)
class ActivePartner:
    """A partner country and how many articles named it in the window."""

    country: Link
    count: int


@dataclass(frozen=True, slots=True)
class FrontSide:
    """What the side column shows; `since` is the window's first day."""

    since: dt.date | None
    partners: tuple[ActivePartner, ...]
    latest: tuple[tuple[Link, Card], ...]  # per section: its link and its newest story

    @property
    def cards(self) -> tuple[str, ...]:
        """The articles whose titles the column shows (a title edit must reach the page)."""
        return tuple(card.url for _, card in self.latest)


def front_side(
    site: Site,
    home: str | None,
    link: Callable[[Term], Link],
    card: Callable[..., Card],
) -> FrontSide:
    """The side column of the front page for this site (`home`: the home country, left out)."""
    if not site.articles:
        return FrontSide(None, (), ())
    since: dt.date | None = site.articles[0].date - dt.timedelta(days=ACTIVE_DAYS - 1)
    counts = _partner_counts(site, home, since)
    if len(counts) < FEWEST_PARTNERS:  # a quiet year: the whole archive says more
        since, counts = None, _partner_counts(site, home, None)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:ACTIVE_PARTNERS]
    partners = tuple(
        ActivePartner(link(site.term("country", name)), count) for name, count in ranked
    )
    sections = sorted(site.terms["section"].items(), key=lambda kv: (-len(kv[1]), kv[0].name))
    latest = tuple((link(term), card(items[0])) for term, items in sections if items)
    return FrontSide(since, partners, latest)


def _partner_counts(site: Site, home: str | None, since: dt.date | None) -> Counter[str]:
    """Articles per partner country, from `since` on (None: all)."""
    counts: Counter[str] = Counter()
    for article in site.articles:  # newest first: stop at the window's start
        if since is not None and article.date < since:
            break
        counts.update(c for c in article.countries if c != home)
    return counts
