"""Which shard of the search index an article page is in: its year's, but for the articles of
the current month (today, in the site's time zone), which have a shard of their own. A
newsroom's day adds and edits this month's articles: each such build indexes a month's pages
again, not a year's. The first build of a month moves the month before into its year's shard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTHS = tuple(f"{month:02d}" for month in range(1, 13))


@dataclass(frozen=True)
class Shards:
    """The shards of one day: `year` and `month` are today's (as in URLs: '2026', '12')."""

    year: str
    month: str

    @classmethod
    def on(cls, day: dt.date) -> Shards:
        return cls(f"{day.year:04d}", f"{day.month:02d}")

    def of(self, year: str, month: str) -> str:
        """The shard of the pages dated in this year and month ('2026', '12')."""
        return f"{year}-{month}" if (year, month) == (self.year, self.month) else year

    def months(self, shard: str) -> tuple[str, tuple[str, ...]]:
        """The year of a shard's pages, and their months."""
        year, _, month = shard.partition("-")
        if month:
            return year, (month,)
        if year == self.year:
            return year, tuple(m for m in MONTHS if m != self.month)
        return year, MONTHS

    def glob(self, shard: str) -> str:
        """The glob of a shard's pages, from the site's root (as Pagefind matches it)."""
        year, months = self.months(shard)
        if months == MONTHS:
            return f"{year}/[0-9][0-9]/*/index.html"
        if len(months) == 1:
            return f"{year}/{months[0]}/*/index.html"
        return f"{year}/{{{','.join(months)}}}/*/index.html"
