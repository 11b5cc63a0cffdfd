"""`portal check`: load and validate everything without writing the site; every problem is one
`file:line: message` line, so it can gate CI before a build.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

from generator.build import Builder
from generator.config import SiteConfig
from generator.errors import InputError
from generator.model.article import Article, ContentErrors
from generator.model.site import build_site
from generator.pages.planning import plan

EARLIEST_YEAR = 1949  # older dates in a portal of current news are typing mistakes


@dataclass(frozen=True, slots=True)
class CheckResult:
    problems: list[InputError]
    articles: int
    # Drafts the converter was unsure of, with what an editor must check: listed, but not
    # problems (a build leaves drafts out, so they cannot break the site).
    reviews: list[InputError] = field(default_factory=list)


def check(config: SiteConfig) -> CheckResult:
    """Every problem of the site's content, without writing anything."""
    from generator.model.gazetteer import load_gazetteer

    builder = Builder(config, drafts=True, future=True)
    try:
        articles = builder.load_content()
    except ContentErrors as errors:
        return CheckResult(errors.errors, 0)
    problems: list[InputError] = []
    gazetteer = load_gazetteer()
    today = dt.datetime.now(ZoneInfo(config.timezone)).date()
    for article in articles:
        lines = _KeyLines(article.path)
        problems += _article_problems(article, gazetteer, today, lines)
    problems += _duplicate_slugs(articles)
    site = build_site(articles, gazetteer.home)
    planned = plan(site, config)
    urls = {page.url for page in planned.pages} | {page.output for page in planned.pages}
    for article in articles:
        problems += _broken_links(article, urls, config.base_path)
    ordered = sorted(problems, key=lambda p: (p.path, p.line or 0))
    return CheckResult(ordered, len(articles), _awaiting_review(articles))


def _awaiting_review(articles: Iterable[Article]) -> list[InputError]:
    """One line per note of every draft whose `review:` lists what an editor must check."""
    found = []
    for article in sorted(articles, key=lambda a: a.path):
        notes = article.extra.get("review")
        if not notes or not article.draft:
            continue
        line = _KeyLines(article.path).of("review")
        for note in notes if isinstance(notes, list) else [notes]:
            found.append(
                InputError(article.path, f"{note} (a draft until reviewed)", line, "review")
            )
    return found


def _article_problems(
    article: Article, gazetteer, today: dt.date, lines: _KeyLines
) -> list[InputError]:
    problems = []
    if not article.countries:
        problems.append(
            InputError(article.path, "no country: add `countries:`", line=lines.of("title"))
        )
    for name in article.countries:
        if gazetteer.country(name) is None:
            problems.append(
                InputError(
                    article.path,
                    f"{name!r} is not in the project's country table "
                    "(generator/data/countries.yaml adds names)",
                    line=lines.of("countries"),
                    key="countries",
                )
            )
    if article.date > today:
        problems.append(
            InputError(
                article.path,
                f"{article.date} is in the future: the article is left out until then",
                line=lines.of("date"),
                key="date",
            )
        )
    elif article.date.year < EARLIEST_YEAR:
        problems.append(
            InputError(
                article.path,
                f"{article.date} is implausibly old",
                line=lines.of("date"),
                key="date",
            )
        )
    return problems


def _duplicate_slugs(articles: Iterable[Article]) -> list[InputError]:
    first: dict[str, Article] = {}
    problems = []
    for article in articles:
        other = first.setdefault(article.slug, article)
        if other is not article and other.url != article.url:  # same URL is a load error already
            problems.append(
                InputError(
                    article.path,
                    f"slug {article.slug!r} is also used by {other.path}",
                    line=_first_line(_KeyLines(article.path), "slug", "title"),
                    key="slug",
                )
            )
    return problems


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append((tag, value))


def _broken_links(article: Article, urls: set[str], base_path: str) -> list[InputError]:
    """Links and images in the body that point into the site at nothing it publishes."""
    parser = _Links()
    parser.feed(article.body_html)
    problems = []
    page = "/" + article.url
    for tag, link in parser.found:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # external, or only a fragment
        target = normpath(unquote(urljoin(page, parts.path)))
        if parts.path.endswith("/") and not target.endswith("/"):
            target += "/"
        for prefix in (base_path, "/"):  # written with or without the site's subpath
            if target.startswith(prefix) and target[len(prefix) :] in urls | {""}:
                break
        else:
            what = "missing image" if tag == "img" else "broken link"
            line = _line_containing(article.path, parts.path)
            problems.append(InputError(article.path, f"{what}: {link}", line=line))
    return problems


class _KeyLines:
    """Line numbers of a content file's front matter keys, read only when a problem needs one."""

    def __init__(self, path: str):
        self.path = path
        self._lines: dict[str, int] | None = None

    def of(self, key: str) -> int | None:
        if self._lines is None:
            self._lines = {}
            try:
                for number, line in enumerate(Path(self.path).read_text("utf-8").splitlines(), 1):
                    match = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
                    if match and match[1] not in self._lines:
                        self._lines[match[1]] = number
                    if number > 1 and line.strip() == "---":
                        break
            except OSError:
                pass
        return self._lines.get(key)


def _first_line(lines: _KeyLines, *keys: str) -> int | None:
    return next((line for key in keys if (line := lines.of(key))), None)


def _line_containing(path: str, text: str) -> int | None:
    try:
        for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
            if text in line:
                return number
    except OSError:
        return None
    return None
