"""Front matter + Markdown files: writing them (convert) and splitting and parsing them (load)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.errors import InputError

DELIMITER = "---"
_DELIMITER_LINE = re.compile(r"^---[ \t]*$", re.M)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (the C one, ~8x faster, when present), keeping impossible dates as text.

    YAML reads 2021-02-30 as a timestamp and fails without a line number; kept as text, the
    schema check reports it with its file, line and key.
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def dump(fields: dict[str, Any], body: str) -> str:
    """A content file: YAML front matter between `---` lines, a blank line, the Markdown body."""
    # safe_dump, never string concatenation: headlines hold ": ", "#" and quotes.
    header = yaml.safe_dump(
        fields, sort_keys=False, allow_unicode=True, default_flow_style=None, width=4096
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
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else first_line
        problem = error.problem or "invalid YAML"
        raise InputError(path, f"invalid YAML: {problem}", line=line) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        raise InputError(path, f"invalid YAML: {error}", line=first_line) from None


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
