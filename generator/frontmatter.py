"""Front matter + Markdown files: the one writer of `content/*.md` text."""

from __future__ import annotations

from typing import Any

import yaml

DELIMITER = "---"


def dump(fields: dict[str, Any], body: str) -> str:
    """A content file: YAML front matter between `---` lines, a blank line, the Markdown body."""
    # safe_dump, never string concatenation: headlines hold ": ", "#" and quotes.
    header = yaml.safe_dump(
        fields, sort_keys=False, allow_unicode=True, default_flow_style=None, width=4096
    )
    return f"{DELIMITER}\n{header}{DELIMITER}\n\n{body.strip()}\n"
