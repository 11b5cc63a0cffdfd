"""A synchronous client of `pagefind --service`, the process Pagefind's own Python and Node APIs
drive: requests and responses are base64-encoded JSON messages, each followed by a comma.

The `pagefind` package's asyncio client waits 100 ms before reading every response, so each
request costs at least that; a shard takes four requests. This one reads a response as soon
as the service writes it.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

_SEPARATOR = b","


class SearchUnavailable(Exception):
    """Pagefind cannot index here (its binary is missing, or the pages changed while it read
    them); the site is built without a search index, or the shard made anew."""


class PagefindError(Exception):
    """The service refused a request or stopped; the message says why."""


def executable() -> Path:
    """The Pagefind binary: PAGEFIND_BINARY_PATH, else the one the `pagefind[bin]` package
    (or its extended build) installed, else one on PATH. The `pagefind` package looks in
    this order too; its lookup is not imported, as it brings its asyncio client (0.1 s)."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return Path(named)
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found: Path = importlib.import_module(package).get_executable()
            return found
        except (ImportError, FileNotFoundError):
            continue
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if on_path is None:
        raise PagefindError("the Pagefind binary is not installed (pip install pagefind[bin])")
    return Path(on_path)


class PagefindService:
    """One `pagefind --service` process, asked one request at a time."""

    def __init__(self, binary: Path) -> None:
        self._process = subprocess.Popen(
            [str(binary), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._pending = b""
        self._last_id = 0

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its response's payload."""
        assert self._process.stdin is not None
        self._last_id += 1
        message = json.dumps({"message_id": self._last_id, "payload": payload})
        try:
            self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + _SEPARATOR)
            self._process.stdin.flush()
        except OSError as error:
            raise PagefindError(f"its service stopped ({error})") from None
        while True:
            response = self._read()
            if response is not None and response.get("message_id") in (self._last_id, None):
                break
        answer: dict[str, Any] = response["payload"]
        if answer.get("type") == "Error":
            raise PagefindError(answer.get("message") or "the service refused a request")
        return answer

    def new_index(self) -> int:
        return int(self.request({"type": "NewIndex", "config": None})["index_id"])

    def add_directory(self, index: int, path: Path, glob: str) -> int:
        """Index the HTML files under `path` matching `glob`; how many pages it indexed."""
        done = self.request({"type": "AddDir", "index_id": index, "path": str(path), "glob": glob})
        return int(done.get("page_count", 0))

    def add_file(self, index: int, name: str, html: str) -> None:
        """Index one page, `name` its path from the site's root (its URL is made of it as
        `add_directory` makes it)."""
        self.request(
            {
                "type": "AddFile",
                "index_id": index,
                "file_path": name,
                "url": None,
                "file_contents": html,
            }
        )

    def files(self, index: int) -> dict[str, bytes]:
        """The bundle of an index, by path inside the bundle."""
        done = self.request({"type": "GetFiles", "index_id": index})
        return {
            file["path"].lstrip("/"): base64.b64decode(file["content"]) for file in done["files"]
        }

    def delete_index(self, index: int) -> None:
        self.request({"type": "DeleteIndex", "index_id": index})

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def kill(self) -> None:
        """Stop the service at once, whatever it is doing: its work will not be taken."""
        self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):  # what the writer still held is lost
                    pipe.close()

    def _exit_code(self) -> int | None:
        try:
            return self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _read(self) -> dict[str, Any] | None:
        """The next message from the service (JSON null for some it sends unasked)."""
        assert self._process.stdout is not None
        # A bundle comes in a message of megabytes, read as the pipe gives it (64 KiB at a
        # time): the chunks are joined once, and only each new one is searched.
        chunks = [self._pending]
        while _SEPARATOR not in chunks[-1]:
            chunk = os.read(self._process.stdout.fileno(), 1 << 20)  # what is there, at once
            if not chunk:
                self._pending = b"".join(chunks)
                raise PagefindError(f"its service stopped (exit code {self._exit_code()})")
            chunks.append(chunk)
        message, _, self._pending = b"".join(chunks).partition(_SEPARATOR)
        decoded: dict[str, Any] | None = json.loads(base64.b64decode(message))
        return decoded
