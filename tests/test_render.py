"""The renderer: imported macros remember their HTML per distinct arguments, and only then."""

from __future__ import annotations

import json
from pathlib import Path

from generator.config import load_config
from generator.output.render import Renderer
from generator.pages.records import Link, Page
from generator.stages import DEFAULT_THEME
from tests.conftest import ROOT


def renderer(tmp_path: Path, macros: str, page: str) -> tuple[Renderer, list[object]]:
    """A renderer over a site whose templates are `_m.html` (macros) and `page.html`; the
    macros can call `seen(x)`, which records every call that really ran."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/_m.html").write_text(macros)
    (tmp_path / "templates/page.html").write_text(page)
    (tmp_path / "site.yaml").write_text(
        json.dumps({"title": "T", "base_url": "https://x.org/", "themes_dir": str(ROOT / "themes")})
    )
    config = load_config(tmp_path / "site.yaml")
    result = Renderer(config, lambda name: name, DEFAULT_THEME)
    calls: list[object] = []
    result.env.globals["seen"] = lambda value: calls.append(value) or ""
    return result, calls


def render(renderer: Renderer, **context: object) -> str:
    return renderer.render(Page("x/", "page.html", context, "")).decode()


def test_a_macro_runs_once_per_distinct_arguments(tmp_path: Path) -> None:
    r, calls = renderer(
        tmp_path,
        "{% macro flag(c, level=2) %}{{ seen(c.name) }}<h{{ level }}>{{ c.name }}</h{{ level }}>"
        "{% endmacro %}",
        '{% import "_m.html" as m %}{% for c in cs %}{{ m.flag(c) }}{% endfor %}'
        "{{ m.flag(cs[0], level=1) }}{{ m.flag(cs[0], level=True) }}",
    )
    a, b = Link("Chile", "countries/chile/"), Link("Peru", "countries/peru/")
    html = render(r, cs=[a, b, a, Link("Chile", "countries/chile/")])
    chile, peru = "<h2>Chile</h2>", "<h2>Peru</h2>"
    assert html == chile + peru + chile + chile + "<h1>Chile</h1><hTrue>Chile</hTrue>"
    # Equal links are one call; level=1 and level=True are equal in Python, not in HTML.
    assert calls == ["Chile", "Peru", "Chile", "Chile"]
    render(r, cs=[b])  # a later page reuses what earlier pages made: only the levels are new
    assert calls == ["Chile", "Peru", "Chile", "Chile", "Peru", "Peru"]


def test_mutable_arguments_and_call_blocks_are_never_remembered(tmp_path: Path) -> None:
    r, calls = renderer(
        tmp_path,
        "{% macro items(xs) %}{{ seen(xs | length) }}{{ xs | join(',') }}{% endmacro %}"
        "{% macro box() %}[{{ caller() }}]{% endmacro %}",
        '{% from "_m.html" import items, box %}{{ items(xs) }};'
        "{% set _ = xs.append(3) %}{{ items(xs) }};{% call box() %}{{ word }}{% endcall %}",
    )
    assert render(r, xs=[1, 2], word="one") == "1,2;1,2,3;[one]"
    assert render(r, xs=[1, 2], word="two") == "1,2;1,2,3;[two]"
    assert calls == [2, 3, 2, 3]


class _Safe:
    def __html__(self) -> str:
        return "<b>safe</b>"


def test_quick_escape_gives_what_markupsafe_gives() -> None:
    import markupsafe

    from generator.output.render import quick_escape

    for value in ['Tom & "Jerry" <x> \'y\'', "", markupsafe.Markup("<i>kept</i>"), 7, -12,
                  True, 2.5, None, _Safe(), type("Text", (str,), {})("<sub>")]:  # fmt: skip
        quick, reference = quick_escape(value), markupsafe.escape(value)
        assert quick == reference and type(quick) is type(reference), value


def test_templates_escape_text_and_keep_markup(tmp_path: Path) -> None:
    r, _ = renderer(tmp_path, "", "<p>{{ text }}|{{ html }}|{{ n }}</p>")
    import markupsafe

    shown = render(r, text='<script>"&', html=markupsafe.Markup("<em>ok</em>"), n=3)
    assert shown == "<p>&lt;script&gt;&#34;&amp;|<em>ok</em>|3</p>"


def test_compiled_templates_are_kept_and_a_changed_template_is_compiled_again(
    tmp_path: Path,
) -> None:
    r, _ = renderer(tmp_path, "", "<p>{{ text }}</p>")
    assert render(r, text="one") == "<p>one</p>"
    kept = list((tmp_path / ".portal-cache").glob("templates-*/*"))
    assert kept, "no compiled template kept"
    (tmp_path / "templates/page.html").write_text("<div>{{ text }}</div>")
    again = Renderer(load_config(tmp_path / "site.yaml"), lambda name: name, DEFAULT_THEME)
    assert render(again, text="two") == "<div>two</div>"


def test_a_cache_folder_that_cannot_be_made_only_means_compiling(tmp_path: Path) -> None:
    (tmp_path / ".portal-cache").write_text("a file, not a folder")
    r, _ = renderer(tmp_path, "", "<p>{{ text }}</p>")
    assert render(r, text="still") == "<p>still</p>"
