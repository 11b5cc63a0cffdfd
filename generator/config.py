"""site.yaml -> SiteConfig: every option with its default, validated in one pass."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from generator.errors import InputError, InputErrors
from generator.model.frontmatter import key_lines, safe_load

CONFIG_NAME = "site.yaml"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The site's options. Paths are relative to the folder of site.yaml."""

    title: str = "Cooperation News"  # the portal's name, in the masthead and feeds
    description: str = "News of cooperation between China and its partner countries."
    base_url: str = "http://127.0.0.1:8000/"  # where the site is published, with any subpath
    language: str = "en"
    theme: str = "default"  # a folder under themes/
    paginate: int = 10  # articles per list page
    feed_limit: int = 20  # entries per Atom feed
    timezone: str = "Asia/Shanghai"  # decides which dates are "in the future"
    allow_html: bool = False  # raw HTML in Markdown bodies is escaped unless this is true
    search: bool = True  # build a Pagefind search index and the /search/ page
    cname: str = ""  # custom domain for GitHub Pages (writes CNAME)
    content_dir: str = "content"
    seeds_dir: str = "seeds"
    output_dir: str = "site"
    themes_dir: str = "themes"
    templates_dir: str = "templates"  # the site's own templates, overriding the theme's
    cache_dir: str = ".portal-cache"  # what one build keeps for the next (safe to delete)
    root: Path = field(default=Path("."), compare=False)  # the folder site.yaml is in

    @property
    def base_path(self) -> str:
        """The path part of base_url, always ending in '/': '/' or '/portal/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def absolute(self, url_path: str) -> str:
        """The full URL of a site-relative path such as 'tags/trade/'."""
        return self.base_url.rstrip("/") + "/" + url_path.lstrip("/") if url_path else self.base_url

    def today(self) -> dt.date:
        """Today's date in the site's time zone: the one clock of a build (which articles
        are in the future, which month's articles have a search shard of their own)."""
        return dt.datetime.now(ZoneInfo(self.timezone)).date()

    def path(self, option: str) -> Path:
        """One of the *_dir options as a path from the working directory."""
        return self.root / getattr(self, option)


_OPTIONS = {f.name: f for f in fields(SiteConfig) if f.name != "root"}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


def load_config(path: Path | None, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read site.yaml (or defaults when it is absent) and apply command-line overrides."""
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    root = Path(".")
    shown = str(path) if path else CONFIG_NAME
    if path is not None and path.exists():
        text = path.read_text("utf-8")
        data = safe_load(text, shown) or {}
        if not isinstance(data, dict):
            raise InputError(shown, "expected a mapping of options", line=1)
        lines = key_lines(text)
        root = path.parent
    elif path is not None:
        raise InputError(shown, "no such configuration file")
    data = {**data, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    errors = [InputError(shown, m, line=lines.get(k), key=k) for k, m in _problems(data)]
    if errors:
        raise ConfigErrors(errors)
    return dataclasses.replace(SiteConfig(**data), root=root)


class ConfigErrors(InputErrors):
    """Every problem in site.yaml, one line each."""


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for key, value in list(data.items()):
        option = _OPTIONS.get(key)
        if option is None:
            problems.append((key, "unknown option"))
            del data[key]
            continue
        expected = type(getattr(SiteConfig(), key))
        if expected is int and (type(value) is not int or value < 1):
            problems.append((key, f"{value!r} is not a whole number of at least 1"))
        elif expected is not int and not isinstance(value, expected):
            problems.append((key, f"{value!r} is not a {expected.__name__}"))
    if isinstance(data.get("base_url"), str):
        parts = urlsplit(data["base_url"])
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(("base_url", f"{data['base_url']!r} is not an http(s) URL"))
    if isinstance(data.get("cname"), str) and data["cname"] and not _HOST.match(data["cname"]):
        # It becomes a file's bytes and its manifest line: a domain name, nothing else.
        problems.append(("cname", f"{data['cname']!r} is not a domain name, e.g. news.example.org"))
    if isinstance(data.get("theme"), str) and not _SAFE_NAME.match(data["theme"]):
        problems.append(("theme", f"{data['theme']!r} is not a plain folder name"))
    if isinstance(data.get("timezone"), str):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(data["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(("timezone", f"{data['timezone']!r} is not a known time zone"))
    return problems
