"""Errors meant for users: one line, naming the file (and line, and key, where known)."""

from __future__ import annotations


class InputError(Exception):
    """A problem with one input file, printed as `path:line: key: message`."""

    def __init__(self, path: str, message: str, line: int | None = None, key: str | None = None):
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.key = key

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = self.message if self.key is None else f"{self.key}: {self.message}"
        return f"{where}: {what}"


class InputErrors(Exception):
    """Every problem found in one kind of input, each an InputError: one line each."""

    def __init__(self, errors: list[InputError]):
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors
