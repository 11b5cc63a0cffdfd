"""The one form of an article's URL, to know two links to it for one."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = ("utm_", "fbclid", "gclid", "mc_", "yclid", "spm")
_INDEX = ("index.html", "index.htm", "index.php", "default.htm", "default.aspx")


def canonical(url: str) -> str:
    """Host in lower case without 'www.', https, no fragment, no tracking parameters, no
    'index.html' or trailing slash: 'HTTP://www.X.cn/a/index.html?utm_source=y#top' -> 'https://x.cn/a'."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path
    for index in _INDEX:
        if path.endswith("/" + index):
            path = path[: -len(index)]
    path = path.rstrip("/") or ""
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]  # fmt: skip
    return urlunsplit(("https", host, path, urlencode(query), ""))
