"""Front matter + Markdown files: writing them (convert) and splitting and parsing them (load)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.errors import InputError

DELIMITER = "---"
_DELIMITER_LINE = re.compile(r"^---[ \t]*$", re.M)
# Lists and mappings nested deeper than this are refused: the C loader recurses without limit
# (a crash near 30,000 levels) and parses deep nesting in quadratic time.
MAX_DEPTH = 100
# Values that aliases may repeat, in all: more is a "billion laughs" that hangs whatever walks it.
MAX_ALIASED = 10_000


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (the C one, much faster, when present), keeping impossible dates as text.

    YAML reads 2021-02-30 as a timestamp and fails without a line number; kept as text, the
    schema check reports it with its file, line and key.
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


def _int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    # Python refuses to print numbers of more than 4,300 digits: refuse them here, with a line.
    try:
        value = yaml.SafeLoader.construct_yaml_int(loader, node)  # type: ignore[arg-type]
        str(value)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, "number too large", node.start_mark
        ) from None
    return value


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)


def dump(fields: dict[str, Any], body: str) -> str:
    """A content file: YAML front matter between `---` lines, a blank line, the Markdown body."""
    # The safe dumper, never string concatenation: headlines hold ": ", "#" and quotes. The C
    # one (libyaml) when present: the same text, five times faster than the Python emitter.
    header = yaml.dump(
        fields,
        Dumper=_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=4096,
    )
    return f"{DELIMITER}\n{header}{DELIMITER}\n\n{body.strip()}\n"


def split(text: str, path: str) -> tuple[str, str, int]:
    """(front matter, body, line the body starts on) of a content file's text."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    opening = _DELIMITER_LINE.match(text)
    if opening is None:
        raise InputError(path, "no front matter: the file must start with a '---' line", line=1)
    closing = _DELIMITER_LINE.search(text, opening.end() + 1)
    if closing is None:
        raise InputError(path, "front matter is not closed by a '---' line", line=1)
    header = text[opening.end() + 1 : closing.start()]
    body = text[closing.end() + 1 :]
    return header, body, header.count("\n") + 3


def safe_load(text: str, path: str, first_line: int = 1) -> Any:
    """YAML with the safe loader; a syntax error names the file and the line in it."""
    try:
        if "*" in text or sum(text.count(c) for c in "[{-:?") > MAX_DEPTH:
            _check_shape(text, path, first_line)  # each level of nesting needs one of these
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else first_line
        problem = error.problem or "invalid YAML"
        raise InputError(path, f"invalid YAML: {problem}", line=line) from None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (a control character); its message spans lines.
        line = first_line + text[: text.find(chr(error.character))].count("\n")
        what = f"{error.reason} (U+{error.character:04X})"
        raise InputError(path, f"invalid YAML: {what}", line=line) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        problem = " ".join(str(error).split())
        raise InputError(path, f"invalid YAML: {problem}", line=first_line) from None


def _check_shape(text: str, path: str, first_line: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH and aliases repeating more than MAX_ALIASED values,
    reading the parser's events before anything is built from them."""
    sizes: dict[str, int] = {}  # values in each anchored node, aliases expanded
    open_sizes: list[int] = []
    anchors: list[str | None] = []
    aliased = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = first_line + (event.start_mark.line if event.start_mark else 0)
        if isinstance(event, yaml.CollectionStartEvent):
            open_sizes.append(1)
            anchors.append(event.anchor)
            if len(open_sizes) > MAX_DEPTH:
                raise InputError(path, f"nested more than {MAX_DEPTH} levels deep", line=line)
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            size, anchor = open_sizes.pop(), anchors.pop()
        elif isinstance(event, yaml.AliasEvent):
            size, anchor = sizes.get(event.anchor or "", 1), None
            aliased += size
            if aliased > MAX_ALIASED:
                message = f"aliases repeat more than {MAX_ALIASED:,} values"
                raise InputError(path, message, line=line)
        elif isinstance(event, yaml.ScalarEvent):
            size, anchor = 1, event.anchor
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        if open_sizes:
            open_sizes[-1] += size


def key_lines(text: str, first_line: int = 1) -> dict[str, int]:
    """The line of each top-level key of a YAML mapping; only needed when reporting errors."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): first_line + key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
