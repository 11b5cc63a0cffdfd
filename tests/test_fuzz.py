"""Property-based tests: the converter and the front matter loader on arbitrary input.

Every input gives either a result or a clear one-line error naming the file; an exception of any
other kind escaping is a bug. The default run uses the "ci" profile (a few thousand examples in
all, well under 20 s); `pytest -m slow` runs the same properties with many more examples.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.convert import convert, furniture, markdown_text
from generator.convert.fields import extract
from generator.convert.head import read_article
from generator.convert.sites import recognise
from generator.convert.text import decode, split_blocks
from generator.convert.topics import load_vocabulary
from generator.errors import InputError
from generator.incremental.cache import body_store
from generator.model import frontmatter
from generator.model.article import ContentErrors
from generator.model.content import parse_file
from generator.model.gazetteer import load_gazetteer
from generator.output.markup import make_renderer

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,  # the same examples on every run: CI failures are reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "slow",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")

SHOWN = "seeds/fuzz.txt"
FAST = settings(max_examples=1_200)  # the lower layers: cheap, so many examples
END_TO_END = settings(max_examples=150)  # whole convert runs: files, ledger, detection
SLOW = settings(settings.get_profile("slow"), max_examples=5_000)


def one_line(error: Exception, path: str) -> None:
    """A user's error: one line that starts with the file it is about."""
    text = str(error)
    assert "\n" not in text and "\r" not in text, text
    assert text.startswith(path), text
    assert "Traceback" not in text


# --- seed text -----------------------------------------------------------------------------

_WORDS = st.sampled_from(
    "Harbin Ukraine Ukrainian South Korean Republic of Korea ROK British Brazil delegation trade "
    "e-commerce smart cities investment China Russia the a of , . : ; ! ? — “quoted” ‘x’ 2020 "
    "# > - * _ ` [ ] { } < > & &lt; <script>alert(1)</script> <img src=x onerror=y> ~~~ --- "
    "1984. + | \\ \u00a0 \u200b \u3000 \ufeff 哈尔滨 중국 Україна".split(" ")
)
_PHRASE = st.lists(_WORDS, min_size=1, max_size=12).map(" ".join)
_RARELY = st.integers(0, 3).map(lambda n: n == 0)  # one draw in four
_PRINTABLE = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=80)
_LINE = st.one_of(_PHRASE, _PRINTABLE, st.text(max_size=80), _PHRASE.map(lambda s: s * 40))


@st.composite
def _date_text(draw: st.DrawFn) -> str:
    number = st.integers(min_value=0, max_value=99_999)
    month = st.sampled_from(["January", "Feb", "sept", "Mayo", "Dec.", "", "13"])
    label = st.sampled_from(["", "Updated : ", "Published: ", "Posted ", "date:"])
    iso = st.builds(lambda y, m, d: f"{y}-{m}-{d}", number, number, number)
    mdy = st.builds(lambda m, d, y: f"{m} {d}, {y}", month, number, number)
    dmy = st.builds(lambda d, m, y: f"{d} {m} {y}", number, month, number)
    good = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(lambda d: d.isoformat())
    # Mostly a real date, so that the rest of the seed is exercised too.
    return draw(label) + draw(st.one_of(iso, mdy, dmy, _LINE) if draw(_RARELY) else good)


_CAPTION = st.builds(
    lambda c, credit, o, e: f"{c} {o}Photo/{credit}{e}",
    _PHRASE,
    st.text(max_size=20),
    st.sampled_from(["[", "("]),
    st.sampled_from(["]", ")", ""]),
)
_BODY = st.lists(
    st.one_of(_LINE, _CAPTION, _PHRASE.map(lambda s: "See also\u00a0" + s)), max_size=8
)


@st.composite
def seed_texts(draw: st.DrawFn) -> str:
    """Near-valid seeds: one of the known layouts (or none), with random fields."""
    layout = draw(st.sampled_from(["my399", "collective", "plain", "shuffled"]))
    title = draw(_LINE if draw(_RARELY) else _PHRASE)
    date = draw(_date_text())
    if layout == "my399":
        header = [f"Home>{draw(_LINE)}", title, f"Updated : {date}", f"By ( {draw(_LINE)} )"]
    elif layout == "collective":
        header = [date, "News Collective", draw(_LINE), title, title]
    else:
        header = [title, date, *draw(st.lists(_LINE, max_size=3))]
    blocks = header + draw(_BODY)
    if layout == "shuffled":
        blocks = draw(st.permutations(blocks))
    if draw(_RARELY):
        blocks = [b for b in blocks if draw(st.booleans())]
    sep = draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n \n", "\n\u00a0\n", "\n"]))
    return draw(st.sampled_from(["", "\ufeff"])) + sep.join(blocks)


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


seed_bytes = st.one_of(
    st.binary(max_size=3000),
    st.builds(_encoded, st.text(max_size=2000), st.sampled_from(["utf-8", "cp1252", "gb18030"])),
    st.builds(_encoded, seed_texts(), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "gb18030"])),
)

# Tags and attributes the converter's Markdown may produce: anything else is injected markup.
_ALLOWED_TAGS = {"p", "em", "code", "pre", "hr"}
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][^\s>/]*)([^>]*)>")
_RENDER = make_renderer(allow_html=False)
_GAZ, _VOCAB = load_gazetteer(), load_vocabulary()


def check_seed(data: bytes) -> None:
    """The converter's stages on one seed: a content file, or one InputError naming the seed."""
    try:
        blocks = split_blocks(decode(data, SHOWN))
        if not blocks:
            return
        layout = recognise(blocks)
        raw = read_article(blocks, layout, SHOWN)
    except InputError as error:
        one_line(error, SHOWN)
        return
    body = furniture.strip(raw.body, raw.layout, frozenset())
    extracted = extract(raw, body, "fuzz.txt", "fuzz", _GAZ, _VOCAB)
    text = frontmatter.dump(extracted.fields, extracted.body)
    # What convert writes must load, as written, without a single problem.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.md"
        path.write_text(text, "utf-8")
        article, markdown = parse_file(path, "content/fuzz.md", body_store(None), "text")
    assert article.title == raw.title and article.date == (raw.date or dt.date.today())
    assert article.draft == bool(raw.review)  # what the converter is unsure of is a draft
    for _closing, tag, attributes in _TAG.findall(_RENDER(markdown)):
        assert tag in _ALLOWED_TAGS, (tag, markdown)
        assert not attributes.strip() or attributes.strip() == 'class="photo-caption"', markdown


@FAST
@given(seed_bytes)
def test_seed_stages_never_crash(data: bytes) -> None:
    check_seed(data)


@END_TO_END
@given(st.lists(seed_bytes, min_size=1, max_size=4))
def test_convert_gives_files_or_one_line_errors(seeds: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "seeds").mkdir()
        for number, data in enumerate(seeds):
            (root / "seeds" / f"{number:03}.txt").write_bytes(data)
        said: list[str] = []
        report = convert(root / "seeds", root / "content", say=said.append, warn=said.append)
        assert len(report.written) + len(report.errors) == len(seeds)
        for error in report.errors:
            assert "\n" not in error and re.match(r".*seeds/\d{3}\.txt(:\d+)?: ", error), error
        store = body_store(None)
        for path in sorted((root / "content").glob("*.md")):
            parse_file(path, path.name, store, "text")  # raises on any problem
        again = convert(root / "seeds", root / "content", say=said.append, warn=said.append)
        assert again.written == [] and len(again.unchanged) == len(report.written)


# --- front matter ---------------------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=20),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_KEYS = st.one_of(
    st.sampled_from(
        ["title", "date", "section", "source", "countries", "places", "tags", "summary", "photos"]
        + ["slug", "draft", "seed", "extra"]
    ),
    st.text(max_size=10),
)
# Hand-written YAML a generator of values would not produce: tags, anchors, odd scalars.
_SNIPPETS = st.sampled_from(
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/object:generator.errors.InputError {}",
        "!!python/name:os.system",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [a: 1, b: 2]",
        "!!timestamp 2021-02-30",
        "2001-12-14t21:59:43.10+99:99",
        "2021-02-30",
        "0000-00-00",
        "9999-12-31",
        "0x" + "f" * 4000,
        "0o" + "7" * 5000,
        "0b" + "1" * 15000,
        "1_000" * 2000,
        "190:20:30:" * 300,
        "1e99999",
        "-.inf",
        ".NaN",
        "&a [1, *a]",
        "&b {x: *b}",
        "*undefined",
        "<<: {a: 1}",
        "? [complex, key]\n  : value",
        "|\n  block\n  text",
        '"\\x00\\ud800\\U0010ffff"',
        "'" + "x" * 100_000 + "'",
        "[" * 50 + "]" * 50,
        "{a: " * 50 + "1" + "}" * 50,
        "\t- tab",
        "%YAML 1.1",
        "--- !!str",
        "...",
        "@reserved",
        "`reserved",
        "\x85\u2028\u2029",
        "\ufeff",
    ]
)

# Numbers around Python's 4,300-digit limit on int <-> str conversion, in bases YAML reads.
_HUGE = st.builds(
    lambda prefix, digits: prefix + digits * 10,
    st.sampled_from(["", "-", "0x", "0o", "0b", "+"]),
    st.integers(400, 1500).map(lambda n: "1" * n),
)


def _yaml_value(value: object) -> str:
    try:
        # The unsafe dumper writes !!python/... tags for tuples and bytes, as an attacker might.
        return yaml.dump(value, default_flow_style=True, width=10**6).strip()
    except (yaml.YAMLError, ValueError, RecursionError):
        return "~"


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    """Near-valid content files: front matter of random keys, random YAML values."""
    lines = []
    for key in draw(st.lists(_KEYS, max_size=6)):
        value = draw(st.one_of(_VALUES.map(_yaml_value), _SNIPPETS, _HUGE, _PRINTABLE))
        lines.append(f"{key}: {value}")
    if draw(st.integers(0, 3)):
        lines.insert(0, "title: A title\ndate: 2020-08-12")
    if draw(st.integers(0, 7)) == 0:
        # Anchors defined, then aliased: exponential if ever expanded.
        lines.append("l0: &l0 [x, x, x, x, x, x, x, x, x, x]")
        lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
        lines.append(f"{draw(_KEYS)}: *l8")
    header = "\n".join(lines)
    closing = draw(st.sampled_from(["---", "---", "---", "--- ", "---\t", "", "----", "..."]))
    body = draw(st.text(max_size=200))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    opening = draw(st.sampled_from(["---", "---", "---", "--- ", "\ufeff---", "", "+++"]))
    return newline.join([opening, header, closing, body])


content_bytes = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=1000).map(lambda t: ("---\n" + t + "\n---\n").encode("utf-8")),
    front_matters().map(lambda t: t.encode("utf-8", errors="surrogatepass")),
)


def check_content(data: bytes, folder: Path) -> None:
    path = folder / "fuzz.md"
    path.write_bytes(data)
    shown = "content/fuzz.md"
    try:
        article, _ = parse_file(path, shown, body_store(None), "text")
    except ContentErrors as errors:
        assert errors.errors
        for error in errors.errors:
            one_line(error, shown)
    except InputError as error:
        one_line(error, shown)
    else:
        assert isinstance(article.title, str) and isinstance(article.date, dt.date)
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", article.slug), article.slug


@FAST
@given(content_bytes)
def test_front_matter_loader_never_crashes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        check_content(data, Path(folder))


# --- what fuzzing found: regressions -------------------------------------------------------


def load_error(tmp_path: Path, front_matter: str) -> str:
    path = tmp_path / "bad.md"
    path.write_text(f"---\ntitle: T\ndate: 2020-08-12\n{front_matter}\n---\n\nBody.\n", "utf-8")
    with pytest.raises(InputError) as caught:
        parse_file(path, "content/bad.md", body_store(None), "text")
    return str(caught.value)


def test_control_character_is_one_line_naming_its_line(tmp_path: Path) -> None:
    # YAML's reader error spans two lines ('... in "<unicode string>", position 8').
    message = load_error(tmp_path, "summary: a\x01b")
    # PyYAML's reason in its words; the file, the line and the character in ours.
    assert re.fullmatch(r"content/bad\.md:4: invalid YAML: [^\n]+ \(U\+0001\)", message), message


def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path) -> None:
    # The C loader recursed once per level and crashed the process near 30,000 levels.
    path = tmp_path / "deep.md"
    path.write_text("---\ntitle: T\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\n", "utf-8")
    code = (
        "import sys; from pathlib import Path; from generator.incremental.cache import body_store;"
        "from generator.errors import InputError; from generator.model.content import parse_file\n"
        "try: parse_file(Path(sys.argv[1]), 'content/deep.md', body_store(None), 'text')\n"
        "except InputError as e: print(e)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # One line naming the file and the line; whose words they are (ours or PyYAML's own depth
    # limit, which newer releases apply first) is not the point.
    assert re.fullmatch(r"content/deep\.md:3: [^\n]*nest[^\n]*\n", result.stdout), result.stdout


def test_number_python_cannot_print_is_refused(tmp_path: Path) -> None:
    # 0x + 4,000 digits is a valid int, but repr() of it raised ValueError in the error message.
    assert load_error(tmp_path, "slug: 0x" + "f" * 4000) == (
        "content/bad.md:4: invalid YAML: number too large"
    )


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    # Aliases nested ten deep name 10**9 values: repr() or == on them never finished.
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    message = load_error(tmp_path, "\n".join(lines) + "\ndate: *l9")
    assert message == "content/bad.md:7: aliases repeat more than 10,000 values"  # at l3


def test_ordinary_aliases_still_load(tmp_path: Path) -> None:
    path = tmp_path / "ok.md"
    text = "---\ntitle: T\ndate: 2020-08-12\ntags: &t [trade]\nlabels: *t\n---\n\nBody.\n"
    path.write_text(text, "utf-8")
    article, _ = parse_file(path, "content/ok.md", body_store(None), "text")
    assert article.tags == ("trade",) and article.extra == {"labels": ["trade"]}


@pytest.mark.parametrize("caption", ["0.", "1984.", "-", "+"])
def test_caption_that_looks_like_a_list_marker_stays_text(caption: str) -> None:
    # "0." escaped alone was fine, but the credit that follows made "0. *(Photo: x)*" a list.
    check_seed(f"Title\n\n2020-08-12\n\n{caption} [Photo/x]".encode())
    html = _RENDER(markdown_text.photo_caption(caption, "x"))
    assert html == f'<p class="photo-caption">{caption} <em>(Photo: x)</em></p>'


# --- the same properties, many more examples: `pytest -m slow` --------------------------------


@pytest.mark.slow
@SLOW
@given(seed_bytes)
def test_seed_stages_never_crash_slow(data: bytes) -> None:
    check_seed(data)


@pytest.mark.slow
@settings(SLOW, max_examples=1_000)
@given(st.lists(seed_bytes, min_size=1, max_size=4))
def test_convert_gives_files_or_one_line_errors_slow(seeds: list[bytes]) -> None:
    test_convert_gives_files_or_one_line_errors.hypothesis.inner_test(seeds)


@pytest.mark.slow
@SLOW
@given(content_bytes)
def test_front_matter_loader_never_crashes_slow(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        check_content(data, Path(folder))


def _markdown_own_renderer(allow_html: bool) -> Any:
    """The renderer with Markdown's own inline processor, not the one that leaves plain text
    alone at once (markup.PlainTextFirst), and its block processors searching every block:
    what it must give the same HTML as."""
    import markdown.treeprocessors

    from generator.output import markup

    fast, passing = markup._PlainTextFirst, markup._pass_blocks_that_cannot_match
    markup._PlainTextFirst = markdown.treeprocessors.InlineProcessor
    markup._pass_blocks_that_cannot_match = lambda md: None
    try:
        return make_renderer(allow_html)
    finally:
        markup._PlainTextFirst, markup._pass_blocks_that_cannot_match = fast, passing


# Pieces of text no inline pattern begins with, and pieces some pattern does.
_PLAIN = ["word", "Harbin", "é", "1.", " ", "  \n", "\n", "\n\n", "    ", "\t", "> ", "- ", "# "]
_PLAIN += ["(", ")", "!", ">", "]", "~", ":", "|", "---", "'", '"', "http://example.org"]
_MARKED = ["*", "**", "_", "__", "`", "``", "```\n", "[", "<", "&", "\\", "&amp;", "&#38;"]
_MARKED += ["{: .lead}", "[^1]", "[^1]: a note", "<http://example.org>", "<press@example.org>"]
_MARKED += ["<b>", "[a link](http://example.org)", "![a photo](photo.jpg)", "`code`"]
_MARKED += ["*stressed*", "**strong**", "_stressed_", "__strong__", "snake_case_name"]
_RENDERERS = {allow: (make_renderer(allow), _markdown_own_renderer(allow)) for allow in (0, 1)}
# Block syntax, and text a block processor's search would look at.
_BLOCKS = ["# ", "## ", " #", "> ", ">", "---", "- - -", "***", "_ _ _", "--", "-", "* ", "1. "]
_BLOCKS += ["[a]: /b", '[a]: /b "T"', "[a]:", "]:", "[^1]: a note", "[^", "```", "~~~", "``"]
_BLOCKS += ["    ", "===", "\n", "\n\n", "\n\n", "\n", "word", "more words", "[a]", "[^1]"]


@given(
    st.lists(st.sampled_from(_PLAIN), max_size=30),
    st.lists(st.sampled_from(_MARKED), max_size=2),
    st.randoms(use_true_random=False),
    st.booleans(),
)
@example(["a", "  \n", "b"], [], random.Random(0), False)  # a line break
@example(["a", " "], ["&amp;", "<b>"], random.Random(0), True)
@example(["a", " ", "b"], ["*stressed*"], random.Random(0), False)
def test_plain_text_left_alone_renders_as_markdown_does(
    plain: list[str], marked: list[str], order: random.Random, html: bool
) -> None:
    # Mostly plain text, with a marked piece or two in places, or none.
    pieces = list(plain)
    for piece in marked:
        pieces.insert(order.randint(0, len(pieces)), piece)
    fast, own = _RENDERERS[html]
    text = "".join(pieces)
    assert fast(text) == own(text)


@pytest.mark.parametrize("piece", _MARKED + ["  \n"])
@pytest.mark.parametrize("html", [False, True])
def test_each_marked_piece_in_plain_text_renders_as_markdown_does(piece: str, html: bool) -> None:
    fast, own = _RENDERERS[html]
    for text in (f"Plain words{piece}more words.", f"Plain words {piece} more words."):
        assert fast(text) == own(text)


@given(st.lists(st.sampled_from(_BLOCKS), max_size=40), st.booleans())
@example(["# ", "word", "\n\n", "> ", "word", "\n\n", "- - -"], False)
@example(["word", "\n", "---", "\n\n", "more words", "\n", "==="], False)
@example(["word", "\n\n", "[a]: /b", "\n\n", "[a]", "[^1]", "\n\n", "[^1]: a note"], False)
@example(["```", "\n", "word", "\n", "```", "\n\n", "~~~", "\n", "word", "\n", "~~~"], True)
def test_blocks_passed_over_render_as_markdown_does(pieces: list[str], html: bool) -> None:
    fast, own = _RENDERERS[html]
    text = "".join(pieces)
    assert fast(text) == own(text)


def test_the_block_processors_passed_over_are_markdowns() -> None:
    # If Markdown renamed one, its blocks would render right but slower: say so here.
    from generator.output import markup

    md = markdown_instance()
    processors = md.parser.blockprocessors
    for name in [*markup._BLOCK_NEEDS, *markup._RUN_NEEDS]:
        assert name in processors, name
    assert "fenced_code_block" in md.preprocessors


def markdown_instance() -> Any:
    import importlib

    import markdown

    from generator.output.markup import EXTENSIONS

    extensions = [
        importlib.import_module(f"markdown.extensions.{name}").makeExtension()
        for name in EXTENSIONS
    ]
    return markdown.Markdown(extensions=extensions)


def test_markdown_still_has_the_step_plain_text_skips() -> None:
    # If Markdown renamed it, rendering would stay right but lose its speed: say so here.
    from markdown.treeprocessors import InlineProcessor

    assert callable(getattr(InlineProcessor, "_InlineProcessor__handleInline", None))
