"""`portal serve` and `portal watch`: build, then rebuild on every change, optionally serving the
output with live reload. Wires the builder, the watcher and the server together.
"""

from __future__ import annotations

import dataclasses
import gc
import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from generator.build import Builder
from generator.config import SiteConfig, load_config
from generator.errors import InputError, InputErrors
from generator.preview.serve import BuildState, PreviewServer, make_server
from generator.preview.watch import Watcher
from generator.stages import BuildResult

FULL_COLLECT_EVERY = 20  # rebuilds between full garbage collections (see _settle_memory)

Say = Callable[[str], None]


class Preview:
    """Rebuilds the site on every change; publishes each outcome to the server's state."""

    def __init__(
        self,
        config: SiteConfig,
        config_path: Path | None,
        *,
        drafts: bool = False,
        future: bool = False,
        say: Say = print,
        warn: Say = print,
        state: BuildState | None = None,
        private_output: bool = False,
    ):
        self.config = config
        self.config_path = config_path.resolve() if config_path else None
        self.options = {"drafts": drafts, "future": future}
        self.overrides = {
            "base_url": config.base_url,
            "output_dir": config.output_dir,
            "content_dir": config.content_dir,
        }
        # A private output folder (the preview's temporary one) is touched by nobody else;
        # an edit's page is shown at once, the search shard it touched made after.
        self.options = {**self.options, "private_output": private_output, "search_after": True}
        self.builder = Builder(config, keep_plan=True, **self.options)
        self.state = state or BuildState()
        self.say = say
        self.warn = warn
        self.last: BuildResult | None = None
        self.lock = threading.Lock()
        self._rebuilds = 0

    def rebuild(self, changed: set[Path] | None = None) -> bool:
        """One rebuild; errors are logged and shown in the browser, never raised."""
        with self.lock:
            errors: list[str] = []
            try:
                if changed and self.config_path and self.config_path in changed:
                    self._reload_config()
                last = self.builder.build(say=self.say, warn=self.warn, changed=changed)
                self.last = last
                self._settle_memory()
                self.say(last.summary() if changed is None else last.rebuild_summary())
            except InputErrors as problems:
                errors = [str(e) for e in problems.errors]
            except InputError as problem:
                errors = [str(problem)]
            except Exception as bug:  # noqa: BLE001 (a bug must not stop the preview)
                errors = [f"internal error: {bug!r} (please report it)"]
                traceback.print_exc()
            for line in errors:
                self.warn(line)
            if errors:
                self.warn("build failed; still serving the last good build")
            self.state.published(errors)
            if not errors:
                self._update_search()
            return not errors

    def _update_search(self) -> None:
        """The search shards the rebuild just published left behind, made and published."""
        try:
            seconds = self.builder.update_search()
        except OSError as problem:
            self.warn(f"the search index was not updated: {problem}")
            return
        except Exception as bug:  # noqa: BLE001 (a bug must not stop the preview)
            self.warn(f"internal error: {bug!r} (please report it)")
            traceback.print_exc()
            return
        if seconds is not None:
            self.say(f"search index updated in {seconds * 1000:.0f} ms")

    def _settle_memory(self) -> None:
        """Keep the garbage collector off what the builder holds between rebuilds.

        A big site's plan is hundreds of thousands of objects: a full collection scans them
        all at moments of its choosing, often in the middle of a rebuild (docs/PERFORMANCE.md).
        Frozen objects are not scanned; every FULL_COLLECT_EVERY rebuilds everything is
        collected once, so cycles left by replaced plans (Jinja environments) are freed."""
        self._rebuilds += 1
        if self._rebuilds % FULL_COLLECT_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def _reload_config(self) -> None:
        config = load_config(self.config_path, self.overrides)
        self.config = config
        self.builder.close()
        self.builder = Builder(
            config, keep_plan=True, **self.options
        )  # a config change rebuilds everything

    def watched(self) -> list[Path]:
        config = self.config
        paths = [config.path(o) for o in ("content_dir", "seeds_dir", "themes_dir")]
        paths += [config.path("templates_dir"), config.root / "static"]
        if self.config_path:
            paths.append(self.config_path)
        return paths


def run(
    config: SiteConfig,
    config_path: Path | None,
    *,
    serve: bool,
    host: str = "127.0.0.1",
    port: int = 8000,
    out: str | None = None,
    drafts: bool = False,
    future: bool = False,
    say: Say = print,
    warn: Say = print,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    watching: Callable[[Watcher], None] | None = None,
) -> int:
    """Build, watch, rebuild (and serve) until Ctrl-C or `stop` is set. `ready` is given the
    URL once serving, `watching` the watcher (whose `flush` tells when a change is done)."""
    stop = stop or threading.Event()
    config, scratch = _with_output(config, serve, out)
    state = BuildState()
    server = None
    if serve:
        server, config = _server(config, host, port, state)
    preview = Preview(config, config_path, drafts=drafts, future=future, say=say, warn=warn,
                      state=state, private_output=scratch is not None)  # fmt: skip
    preview.rebuild()
    watcher = Watcher(preview.watched(), preview.rebuild, ignore=[config.path("output_dir")])
    watcher.start()
    if watching:
        watching(watcher)
    if server is not None:
        threading.Thread(target=server.serve_forever, name="portal-server", daemon=True).start()
        say(f"serving {config.base_url} (Ctrl-C stops)")
    else:
        say(f"watching for changes; output in {config.output_dir}/ (Ctrl-C stops)")
    if ready:
        ready(config.base_url)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        say("stopped")
    finally:
        watcher.stop()
        with preview.lock:  # a rebuild under way ends first
            preview.builder.close()
        if server is not None:
            server.shutdown()
            server.server_close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        gc.unfreeze()  # the preview is over: its objects may be collected again
    return 0


def _with_output(
    config: SiteConfig, serve: bool, out: str | None
) -> tuple[SiteConfig, Path | None]:
    """The config with the output folder the preview writes, and the temporary folder that
    holds it (None when it is the user's): a served preview's URLs point at the loopback
    server, so they are kept out of site/."""
    scratch = None
    if serve and out is None:
        scratch = Path(tempfile.mkdtemp(prefix="portal-serve-"))
        out = str(scratch / "site")
    if out is not None:
        config = dataclasses.replace(config, output_dir=out)
    return config, scratch


def _server(
    config: SiteConfig, host: str, port: int, state: BuildState
) -> tuple[PreviewServer, SiteConfig]:
    """The preview's HTTP server, and the config with the base URL it serves."""
    base_path = _base_path(config.base_url)
    root = config.path("output_dir").resolve()
    server = make_server(root, host, port, base_path, state)
    actual = f"http://{host}:{server.server_address[1]}{base_path}"
    return server, dataclasses.replace(config, base_url=actual)


def _base_path(base_url: str) -> str:
    """The path of a base URL or path: 'https://x.io/portal' and '/portal' give '/portal/'."""
    path = urlsplit(base_url).path if "://" in base_url else base_url
    path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    return path
