"""Markdown bodies -> HTML, with raw HTML escaped unless the site allows it."""

from __future__ import annotations

import re
from collections.abc import Callable

EXTENSIONS = ["attr_list", "tables", "fenced_code", "footnotes", "sane_lists"]
_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')


def make_renderer(allow_html: bool) -> Callable[[str], str]:
    """A function that renders one Markdown body; one Markdown instance is reused."""
    import markdown  # here, not at the top: a build that renders no body never imports it

    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    if not allow_html:
        # Scraped and pasted text must not inject markup: raw HTML shows as text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")

    def render(text: str) -> str:
        md.reset()
        return md.convert(text)

    return render


def rebase_links(html: str, base_path: str) -> str:
    """Root-relative links written in bodies ('/2020/08/x/') honour the site's base path."""
    if base_path == "/":
        return html
    return _ROOT_LINK.sub(lambda m: m.group(1) + base_path, html)
