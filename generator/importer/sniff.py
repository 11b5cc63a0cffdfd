"""What a file is, told from its first bytes, never from its name."""

from __future__ import annotations

import re

from generator.errors import InputError

_XML_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|rdf:RDF|html)\b", re.I)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|p|div|article)\b", re.I)


def kind_of(data: bytes, shown: str) -> str:
    """'wordpress', 'feed' or 'page'; an InputError for anything else (binary, plain text)."""
    head = data[:4096]
    if b"\x00" in head:
        raise InputError(shown, "binary data, not a page, a feed or an export")
    root = _XML_ROOT.search(head)
    if root and root[1].lower() in (b"rss", b"feed", b"rdf:rdf"):
        if b"wordpress.org/export" in head or b"<wp:wxr_version" in data[:65536]:
            return "wordpress"
        return "feed"
    if _HTML.search(head):
        return "page"
    raise InputError(shown, "neither a web page, a feed nor a WordPress export")
