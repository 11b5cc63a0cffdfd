"""Print pip constraints pinning every direct dependency to the lowest version pyproject allows.

`pip install -c <(python tools/lowest_constraints.py) -e ".[test]"` installs the oldest
releases the project claims to work with (what `uv pip install --resolution lowest-direct`
does), so CI can check that the lower bounds in pyproject.toml are honest.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
# name, optional [extras], then the specifiers: "pagefind[bin]>=1.1", "ruff>=0.6,<1"
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")


def lowest_pins(requirements: list[str]) -> list[str]:
    """`name==lower` for each requirement with a `>=` bound; a requirement without one is an
    error, since nothing would say which old version to test."""
    pins = []
    for requirement in requirements:
        match = REQUIREMENT.match(requirement)
        if not match:
            raise ValueError(f"pyproject.toml: cannot read requirement {requirement!r}")
        name, specifiers = match[1], match[2].split(";")[0]
        lower = re.search(r">=\s*([^,\s]+)", specifiers)
        if not lower:
            raise ValueError(f"pyproject.toml: {requirement!r} has no lower bound (>=)")
        pins.append(f"{name}=={lower[1]}")
    return pins


def main() -> int:
    project = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    try:
        pins = lowest_pins(requirements)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print("\n".join(sorted(set(pins), key=str.lower)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
