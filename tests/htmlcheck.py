"""Reading built pages the way a browser and a crawler would (stdlib HTML parser)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


@dataclass
class Page:
    """What a test needs of one HTML page."""

    title: str = ""
    h1: str = ""
    text: str = ""
    links: list[str] = field(default_factory=list)  # href and src values, as written
    metas: dict[str, str] = field(default_factory=dict)  # name/property -> content
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (type, href)
    canonical: str = ""
    json_ld: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # datetime attributes


def _matches(selector: str, tag: str, attrs: dict[str, str]) -> bool:
    """A one-element CSS selector: `tag`, `.class`, `#id`, `tag.class`, `tag#id`."""
    name, _, rest = selector.partition("." if "." in selector else "#")
    if name and name != tag:
        return False
    if "." in selector:
        return rest in attrs.get("class", "").split()
    return not rest or attrs.get("id") == rest


class _Parser(HTMLParser):
    def __init__(self, within: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._within = within
        self._inside: int | None = None if within else -1  # stack depth of the chosen element
        self._done = False
        self._stack: list[str] = []
        self._text: list[str] = []
        self._h1: list[str] = []
        self._title: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._within and self._inside is None and not self._done:
            if _matches(self._within, tag, a):
                self._inside = len(self._stack)
        self._stack.append(tag)
        if self._inside is None:
            return
        for key in ("href", "src"):
            if key in a:
                self.page.links.append(a[key])
        if tag == "meta" and "content" in a:
            self.page.metas[a.get("name") or a.get("property", "")] = a["content"]
        if tag == "link" and a.get("rel") == "alternate":
            self.page.alternates.append((a.get("type", ""), a.get("href", "")))
        if tag == "link" and a.get("rel") == "canonical":
            self.page.canonical = a.get("href", "")
        if tag == "time" and "datetime" in a:
            self.page.times.append(a["datetime"])
        if tag == "script" and a.get("type") == "application/ld+json":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.page.json_ld.append("".join(self._script))
            self._script = None
        while self._stack and self._stack.pop() != tag:
            pass
        if self._inside is not None and len(self._stack) <= self._inside:
            self._inside, self._done = None, True  # the chosen element ended

    def handle_data(self, data: str) -> None:
        if self._inside is None:
            return
        if self._script is not None:
            self._script.append(data)
            return
        if "title" in self._stack:
            self._title.append(data)
        elif "h1" in self._stack:
            self._h1.append(data)
        if ("body" in self._stack or self._within) and "script" not in self._stack:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self.page.title = " ".join("".join(self._title).split())
        self.page.h1 = " ".join("".join(self._h1).split())
        self.page.text = " ".join(" ".join(self._text).split())


def parse(path: Path, within: str | None = None) -> Page:
    """The page, or with `within` (a selector such as `ul.countries`) only the first element
    it matches: its text, links and times, so a test looks at the part that shows a thing."""
    parser = _Parser(within)
    parser.feed(path.read_text("utf-8"))
    parser.close()
    if within and not parser._done and parser._inside is None:
        raise AssertionError(f"{path}: no element matches {within!r}")
    return parser.page


def file_for(out: Path, url_path: str, base_path: str = "/") -> Path | None:
    """The file a root-relative URL path is served from, or None when it is outside the site."""
    if not url_path.startswith(base_path):
        return None
    rel = unquote(url_path[len(base_path) :])
    target = out / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target


def crawl(out: Path, base_url: str) -> tuple[set[str], list[str]]:
    """Follow every internal link from the home page; (pages reached, broken links)."""
    base = urlsplit(base_url)
    start = base.path
    seen: set[str] = set()
    broken: list[str] = []
    queue = [start]
    while queue:
        url_path = queue.pop()
        if url_path in seen:
            continue
        seen.add(url_path)
        target = file_for(out, url_path, base.path)
        if target is None or not target.is_file():
            broken.append(url_path)
            continue
        if target.suffix != ".html":
            continue
        for link in parse(target).links:
            absolute = urlsplit(urljoin(f"{base.scheme}://{base.netloc}{url_path}", link))
            if absolute.netloc != base.netloc or absolute.scheme not in ("http", "https"):
                continue  # external
            path = absolute.path
            if not path.startswith(base.path):
                broken.append(f"{path} (outside {base.path}, linked from {url_path})")
                continue
            queue.append(path)
    return seen, broken
