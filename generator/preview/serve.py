"""The preview server. Serves the output folder on loopback, under the site's base
path, and adds a live-reload script to HTML responses (never to the files themselves).
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
import posixpath
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

POLL_PATH = "__portal/poll"
POLL_SECONDS = 25  # a long poll answers at least this often, so dead tabs free their thread

_TYPES = {".xml": "application/xml", ".atom": "application/atom+xml", ".txt": "text/plain"}


class BuildState:
    """The epoch of the last build and its errors, shared by the builder and the server."""

    def __init__(self) -> None:
        self.epoch = 0
        self.errors: list[str] = []
        self._changed = threading.Condition()

    def published(self, errors: list[str]) -> None:
        """A build finished (errors empty when it succeeded): every open tab reloads."""
        with self._changed:
            self.epoch += 1
            self.errors = errors
            self._changed.notify_all()

    def wait_past(self, epoch: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.epoch != epoch, timeout=timeout)
            return self.epoch


def _reload_script(base_path: str, epoch: int) -> str:
    url = json.dumps(base_path + POLL_PATH)
    return (
        f"<script>(function(){{var epoch={epoch};function poll(){{"
        f"fetch({url}+'?epoch='+epoch,{{cache:'no-store'}}).then(function(r){{return r.json()}})"
        ".then(function(d){if(d.epoch!==epoch){location.reload()}else{poll()}})"
        ".catch(function(){setTimeout(poll,1000)})}poll()})();</script>"
    )


def _error_overlay(errors: list[str]) -> str:
    lines = "".join(f"<li>{html.escape(e)}</li>" for e in errors)
    return (
        '<div id="portal-build-error" role="alert" style="position:fixed;z-index:99999;left:0;'
        "right:0;top:0;max-height:60vh;overflow:auto;background:#fff3f3;color:#7a0010;border-bottom:"
        '4px solid #b3121f;font:14px/1.5 monospace;padding:12px 16px;white-space:pre-wrap">'
        "<strong>The last build failed; this is the last good build.</strong>"
        f"<ul>{lines}</ul></div>"
    )


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves files of one folder only; `..`, encoded dots and symlinks cannot leave it."""

    root: Path
    base_path: str
    state: BuildState
    quiet: bool = True

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)

    def _respond(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == self.base_path + POLL_PATH:
            return self._poll(parts.query)
        if not path.startswith(self.base_path):
            if path in ("/", self.base_path.rstrip("/")):
                return self._redirect(self.base_path)
            return self._not_found(head)
        target = self._resolve(path[len(self.base_path) :])
        if target is None:
            return self._not_found(head)
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(parts.path + "/")
            target = target / "index.html"
            if not target.is_file():
                return self._not_found(head)
        self._send_file(target, HTTPStatus.OK, head)

    def _resolve(self, relative: str) -> Path | None:
        """The file for a request path, or None when it is not inside the served folder."""
        if "\x00" in relative or "\\" in relative:
            return None
        normal = posixpath.normpath("/" + relative).lstrip("/")
        if any(part == ".." for part in normal.split("/")):
            return None
        candidate = self.root / normal if normal not in ("", ".") else self.root
        try:
            real = Path(os.path.realpath(candidate))
        except (OSError, ValueError):
            return None
        root = Path(os.path.realpath(self.root))
        if real != root and root not in real.parents:
            return None  # a symlink pointing out of the folder
        if not real.exists() or any(p.startswith(".") for p in real.relative_to(root).parts):
            return None
        return real

    def _send_file(self, target: Path, status: HTTPStatus, head: bool) -> None:
        try:
            data = target.read_bytes()
        except OSError:
            return self._not_found(head) if status == HTTPStatus.OK else None
        content_type = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
        content_type = content_type or "application/octet-stream"
        if target.name.endswith(".html"):
            data = self._inject(data)
            content_type = "text/html"
        if content_type.startswith("text/") or content_type.endswith("xml"):
            content_type += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _inject(self, data: bytes) -> bytes:
        state = self.state
        extra = _reload_script(self.base_path, state.epoch)
        if state.errors:
            extra = _error_overlay(state.errors) + extra
        marker = data.rfind(b"</body>")
        payload = extra.encode("utf-8")
        return data[:marker] + payload + data[marker:] if marker >= 0 else data + payload

    def _poll(self, query: str) -> None:
        try:
            epoch = int(parse_qs(query).get("epoch", ["0"])[0])
        except ValueError:
            epoch = 0
        current = self.state.wait_past(epoch, POLL_SECONDS)
        body = json.dumps({"epoch": current}).encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self, head: bool) -> None:
        page = self.root / "404.html"
        if page.is_file():
            return self._send_file(page, HTTPStatus.NOT_FOUND, head)
        self.send_error(HTTPStatus.NOT_FOUND)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # a long poll must not keep the process alive on Ctrl-C
    allow_reuse_address = True


def make_server(
    root: Path, host: str, port: int, base_path: str, state: BuildState, quiet: bool = True
) -> PreviewServer:
    """A threaded server for `root`; port 0 picks a free port (see server.server_address)."""
    handler = type(
        "BoundPreviewHandler",
        (PreviewHandler,),
        {"root": root, "base_path": base_path, "state": state, "quiet": quiet},
    )
    return PreviewServer((host, port), handler)
