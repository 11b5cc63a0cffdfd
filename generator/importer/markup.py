"""HTML of feeds and exports -> Markdown (markdownify), with relative links made absolute."""

from __future__ import annotations

import re
from urllib.parse import urljoin

_BLANK_LINES = re.compile(r"\n{3,}")
_LINK = re.compile(r"(!?\[[^\]]*\])\(([^)\s]+)\)")


def to_markdown(html: str, base: str | None = None) -> str:
    from markdownify import markdownify

    text = markdownify(html, heading_style="ATX", bullets="-", strip=["script", "style"])
    if base:
        text = _LINK.sub(lambda m: f"{m[1]}({urljoin(base, m[2])})", text)
    lines = [line.rstrip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
