"""Markdown bodies -> HTML, with raw HTML escaped unless the site allows it."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable
from typing import Any

from generator.media.records import Figure

# Imported by module, not named: Markdown looks names up among the installed packages' entry
# points, which reads every package's metadata.
EXTENSIONS = ("attr_list", "tables", "fenced_code", "footnotes", "sane_lists")
_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')


Render = Callable[..., str]


def make_renderer(allow_html: bool) -> Render:
    """A function that renders one Markdown body, `render(text, figures=None, locate=None)`:
    its images named in `figures` (by `src`) become figures, their URLs from `locate`. One
    Markdown instance is reused."""
    import importlib

    import markdown  # here, not at the top: a build that renders no body never imports it

    extensions = [
        importlib.import_module(f"markdown.extensions.{name}").makeExtension()
        for name in EXTENSIONS
    ]
    md = markdown.Markdown(extensions=extensions, output_format="html")
    patterns = md.inlinePatterns
    if len(patterns) == sum(name in patterns for name in _PLAIN_PATTERNS):  # none unknown
        md.treeprocessors.register(_PlainTextFirst(md), "inline", 20)  # in place of Markdown's
    _pass_blocks_that_cannot_match(md)
    if not allow_html:
        # Scraped and pasted text must not inject markup: raw HTML shows as text, and a link
        # or image cannot run script (javascript:, data: and vbscript: URLs are dropped).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeUrls(md), "safe_urls", 0)
    figures = _Figures(md)
    md.treeprocessors.register(figures, "figures", 5)  # after the inline patterns made images

    def render(
        text: str, shown: dict[str, Figure] | None = None, locate: Callable | None = None
    ) -> str:
        md.reset()
        figures.shown, figures.locate = shown or {}, locate
        return md.convert(text)

    return render


def rebase_links(html: str, base_path: str) -> str:
    """Root-relative links written in bodies ('/2020/08/x/') honour the site's base path."""
    if base_path == "/":
        return html
    return _ROOT_LINK.sub(lambda m: m.group(1) + base_path, html)


# The inline patterns Markdown and our extensions register, each with what its matches begin
# with (as a regular expression). Text holding none of these, every pattern leaves as it is.
_PLAIN_PATTERNS = {
    "backtick": r"`|\\",
    "escape": r"\\",
    "reference": r"\[",
    "link": r"\[",
    "image_link": r"\[",
    "image_reference": r"\[",
    "short_reference": r"\[",
    "short_image_ref": r"\[",
    "autolink": "<",
    "automail": "<",
    "linebreak": r"  \n",  # two spaces before a line's end
    "html": "<",
    "entity": "&",
    "em_strong": r"\*|_",
    "em_strong2": "_",
    "not_strong": r"\*|_",
    "footnote": r"\[",
}
_MARKED = re.compile("|".join(sorted(set(_PLAIN_PATTERNS.values()))))


def _plain_text_first_class() -> type:
    from markdown.treeprocessors import InlineProcessor

    class PlainTextFirst(InlineProcessor):
        """Markdown's inline processor, which tries each of its patterns on each text in
        turn, most of a body's rendering time: a text with no character a pattern could
        begin with is left as it is at once (what the patterns would have done)."""

        # Markdown's own per-text step (a private name): if it is ever renamed, this is
        # not called and Markdown's runs, as fast as before.
        def _InlineProcessor__handleInline(self, data, patternIndex=0):  # type: ignore[no-untyped-def]  # noqa: N802, N803
            if patternIndex == 0 and not _MARKED.search(data):
                return data
            return super()._InlineProcessor__handleInline(data, patternIndex)

    return PlainTextFirst


def _PlainTextFirst(md):  # type: ignore[no-untyped-def]  # noqa: N802 (a class made on first use)
    return _plain_text_first_class()(md)


# Block processors whose regular expression searches the whole block, with what a block must
# hold for it to match: a block without it is passed over at once, as the search would have.
_BLOCK_NEEDS: dict[str, Callable[[str], bool]] = {
    "hashheader": lambda block: "#" in block,
    "setextheader": lambda block: "\n=" in block or "\n-" in block,
    "hr": lambda block: any(block.count(mark) >= 3 for mark in "-_*"),
    "quote": lambda block: ">" in block,
}
# Those that take every block and search it in `run`, which gives it back unmatched.
_RUN_NEEDS: dict[str, Callable[[str], bool]] = {
    "reference": lambda block: "]:" in block,
    "footnote": lambda block: "[^" in block,
}


def _pass_blocks_that_cannot_match(md: Any) -> None:
    """Spare most blocks the searches of processors that cannot match them (a quarter of a
    body's rendering was these searches failing on plain paragraphs)."""
    processors = md.parser.blockprocessors
    for name, needs in _BLOCK_NEEDS.items():
        if name in processors:
            test = processors[name].test
            processors[name].test = lambda parent, block, needs=needs, test=test: (
                needs(block) and test(parent, block)
            )
    for name, needs in _RUN_NEEDS.items():
        if name in processors:
            run = processors[name].run
            processors[name].run = lambda parent, blocks, needs=needs, run=run: (
                needs(blocks[0]) and run(parent, blocks)
            )
    if "fenced_code_block" in md.preprocessors:
        fences = md.preprocessors["fenced_code_block"]
        run_fences = fences.run
        fences.run = lambda lines: (
            run_fences(lines) if any("```" in line or "~~~" in line for line in lines) else lines
        )


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


def _figures_class() -> type:
    from markdown.treeprocessors import Treeprocessor

    class Figures(Treeprocessor):
        """Images of the article's own files as figures: a paragraph holding only the image
        becomes the figure, an image within text a <picture> (a figure cannot be in a <p>)."""

        shown: dict[str, Figure] = {}
        locate: Any = None

        def run(self, root):  # type: ignore[no-untyped-def]
            if not self.shown:
                return None
            from generator.media.markup import figure_html, picture_html

            parents = {child: parent for parent in root.iter() for child in parent}
            for image in [e for e in root.iter("img") if e.get("src") in self.shown]:
                figure = dataclasses.replace(self.shown[image.get("src")], alt=image.get("alt", ""))
                parent = parents[image]
                alone = (
                    parent.tag == "p"
                    and len(parent) == 1
                    and not (parent.text or "").strip()
                    and not (image.tail or "").strip()
                )
                if alone:
                    made = figure_html(figure, self.locate)
                    parent.remove(image)
                    parent.text = self.md.htmlStash.store(made)
                    continue
                made = picture_html(figure, self.locate)
                placeholder = self.md.htmlStash.store(made) + (image.tail or "")
                index = list(parent).index(image)
                if index:
                    before = parent[index - 1]
                    before.tail = (before.tail or "") + placeholder
                else:
                    parent.text = (parent.text or "") + placeholder
                parent.remove(image)
            return None

    return Figures


def _Figures(md):  # type: ignore[no-untyped-def]  # noqa: N802 (a class made on first use)
    return _figures_class()(md)
