"""What Pagefind reads of a page: a page whose new version differs from the published one
only outside it (the previous and next links, the related articles, a template's header or
footer) leaves its search shard as it was.

Pagefind reads the element marked `data-pagefind-body`, the `data-pagefind-*` attributes
anywhere on the page, the `<html>` tag (the language), the first `<h1>` (the result's title
unless one is marked; with no `<h1>`, the `<title>` element) and the first image after it
(its picture, unless one is marked), skipping images inside an element marked
`data-pagefind-ignore="all"`. The part kept here holds all of these: the body element as
written, every `<h1>` element (or else the `<title>`) and every `<img>` tag after the first
`<h1>` that no such element holds (a related article's picture, say). A page with
`data-pagefind-*` attributes outside its body (but for `data-pagefind-ignore`, which changes
nothing there), with more or fewer than one body element, or with one not closed, has no
part: any change to it counts.
"""

from __future__ import annotations

import functools
import re

_MARK = b"data-pagefind-"
_ATTRIBUTE = re.compile(rb"\sdata-pagefind-([a-z-]+)")
_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)")
_HTML = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(rb"<title\b.*?</title\s*>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(rb"<h1\b.*?</h1\s*>", re.IGNORECASE | re.DOTALL)
_IMAGE = re.compile(rb"<img\b[^>]*>", re.IGNORECASE)
_IGNORE_ALL = re.compile(rb"""\sdata-pagefind-ignore\s*=\s*["']?all["'\s/>]""")
# Elements with no end tag: one marked ignores only itself.
_VOID = {b"img", b"source", b"input", b"br", b"hr", b"wbr", b"meta", b"link", b"area", b"embed"}


def indexed_part(page: bytes) -> bytes | None:
    """The part of a page Pagefind reads, or None if it cannot be told apart."""
    marked = _marked_tags(page)
    bodies = [(at, tag) for at, tag, names in marked if b"body" in names]
    if len(bodies) != 1:
        return None
    start, tag = bodies[0]
    name = _NAME.match(tag)
    end = _element_end(page, start, name[1]) if name else None
    if end is None:
        return None
    for at, _, names in marked:
        if not start <= at < end and names != {b"ignore"}:
            return None
    html = _HTML.search(page)
    headings = [m[0] for m in _HEADING.finditer(page)]
    first = _HEADING.search(page)
    found = list(_IMAGE.finditer(page, first.end())) if first else []
    ignored = _ignored_all(page, marked, found[-1].start()) if found else []
    images = [
        m[0] for m in found if not any(opened <= m.start() < closed for opened, closed in ignored)
    ]
    title = None if first else _TITLE.search(page)  # read only when no h1 is there
    heads = [b"" if match is None else match[0] for match in (html, title)]
    parts = [*heads, page[start:end], *headings, b"", *images]
    return b"\0".join(parts)


def _ignored_all(
    page: bytes, marked: list[tuple[int, bytes, set[bytes]]], last_image: int
) -> list[tuple[int, int]]:
    """Where the elements marked `data-pagefind-ignore="all"` are (start, end), of those that
    begin before the last image, but for those not closed: where they end is not known, so
    the images after them count."""
    spans = []
    for at, tag, names in marked:
        if at > last_image or b"ignore" not in names or _IGNORE_ALL.search(tag) is None:
            continue
        name = _NAME.match(tag)
        if name is not None and name[1] in _VOID:
            spans.append((at, at + len(tag)))
            continue
        end = _element_end(page, at, name[1]) if name else None
        if end is not None:
            spans.append((at, end))
    return spans


def _marked_tags(page: bytes) -> list[tuple[int, bytes, set[bytes]]]:
    """Each tag with data-pagefind-* attributes: where it starts, the tag and the names of
    the attributes (`data-pagefind-` left out), in lower case. Found by the attributes'
    prefix, then the tag around it: far faster than a pattern tried at every tag. (HTML's
    names are in any case; lowering the bytes keeps their places.)"""
    page = page.lower()
    tags = []
    at = page.find(_MARK)
    while at != -1:
        opened, closed = page.rfind(b"<", 0, at), page.find(b">", at)
        in_a_tag = opened != -1 and closed != -1 and page.find(b">", opened, at) == -1
        if in_a_tag and page[at - 1 : at].isspace():
            tag = page[opened : closed + 1]
            tags.append((opened, tag, set(_ATTRIBUTE.findall(tag))))
            at = page.find(_MARK, closed)
        else:  # words in the text, not an attribute
            at = page.find(_MARK, at + len(_MARK))
    return tags


def same_for_index(before: bytes, after: bytes) -> bool:
    """Whether Pagefind reads the same of both versions of a page."""
    if before == after:
        return True
    part = indexed_part(after)
    return part is not None and part == indexed_part(before)


def _element_end(page: bytes, start: int, name: bytes) -> int | None:
    """Where the element opened at `start` ends (after its closing tag), counting the
    elements of the same name inside it; None if it is not closed."""
    depth = 0
    for tag in _tags_named(name.lower()).finditer(page, start):
        if tag[1]:
            depth -= 1
            if depth == 0:
                return tag.end()
        else:
            depth += 1
    return None


@functools.cache
def _tags_named(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<(/?)" + re.escape(name) + rb"\b[^>]*>", re.IGNORECASE)
