"""Markdown bodies -> HTML, with raw HTML escaped unless the site allows it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

EXTENSIONS = ["attr_list", "tables", "fenced_code", "footnotes", "sane_lists"]
_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')


def make_renderer(allow_html: bool) -> Callable[[str], str]:
    """A function that renders one Markdown body; one Markdown instance is reused."""
    import markdown  # here, not at the top: a build that renders no body never imports it

    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    if not allow_html:
        # Scraped and pasted text must not inject markup: raw HTML shows as text, and a link
        # or image cannot run script (javascript:, data: and vbscript: URLs are dropped).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeUrls(md), "safe_urls", 0)

    def render(text: str) -> str:
        md.reset()
        return md.convert(text)

    return render


def rebase_links(html: str, base_path: str) -> str:
    """Root-relative links written in bodies ('/2020/08/x/') honour the site's base path."""
    if base_path == "/":
        return html
    return _ROOT_LINK.sub(lambda m: m.group(1) + base_path, html)


_UNSAFE_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.I)


def _safe_urls_class() -> type:
    from markdown.treeprocessors import Treeprocessor

    class SafeUrls(Treeprocessor):
        def run(self, root):  # type: ignore[no-untyped-def]
            for element in root.iter():
                for attribute in ("href", "src"):
                    value = element.get(attribute)
                    # Entities and control characters ("java&#x09;script:") fool browsers.
                    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(value or ""))
                    if value is not None and _UNSAFE_SCHEME.match(cleaned):
                        element.set(attribute, "#")
            return None

    return SafeUrls


def _SafeUrls(md):  # type: ignore[no-untyped-def]  # noqa: N802 (a class made on first use)
    return _safe_urls_class()(md)
