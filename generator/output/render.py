"""Page -> bytes with the theme's Jinja templates (a site's templates/ override them)."""

from __future__ import annotations

import contextlib
import hashlib
import re
import traceback
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path

import jinja2
import markupsafe
from markupsafe import Markup

from generator.config import SiteConfig
from generator.errors import InputError
from generator.media.markup import figure_html, relative_to, thumbnail_html
from generator.model import urls
from generator.output.markup import rebase_links
from generator.pages.records import Page

_REFERENCE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']""")
_IMPORT = re.compile(r"""\{%-?\s*(?:import|from)\s+["']([^"']+)["']""")


# The URLs templates may ask for, from model/urls.py: never built by hand in a template.
TEMPLATE_URLS = types.SimpleNamespace(
    home=urls.HOME,
    search=urls.SEARCH,
    sitemap=urls.SITEMAP,
    term=urls.term,
    term_index=urls.term_index,
    feed=urls.feed,
)


class Renderer:
    """A Jinja environment over the site's templates folder, the theme, and the default theme."""

    def __init__(self, config: SiteConfig, asset_url: Callable[[str], str], default_theme: Path):
        theme = config.path("themes_dir") / config.theme
        if not theme.is_dir():
            raise InputError(str(theme), f"theme {config.theme!r} not found")
        self.folders = [
            p
            for p in (
                config.path("templates_dir"),
                theme / "templates",
                default_theme / "templates",
            )
            if p.is_dir()
        ]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in self.folders]),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # One Renderer per build: templates cannot change under it, so no stat per page.
            auto_reload=False,
            bytecode_cache=_bytecode_cache(config.path("cache_dir")),
        )
        self.env.template_class = _QuickEscapeTemplate
        base_path = config.base_path
        self.env.filters["url"] = lambda path: base_path + str(path).lstrip("/")
        self.env.filters["absolute"] = config.absolute
        self.env.filters["rebase"] = lambda html: rebase_links(html, base_path)
        self.env.filters["isodate"] = lambda d: d.isoformat()
        self.env.filters["longdate"] = lambda d: f"{d:%B} {d.day}, {d.year}"
        self.env.globals["asset"] = lambda name: base_path + asset_url(name)
        self.env.globals["urls"] = TEMPLATE_URLS
        # Images: a figure with URLs relative to the page showing it, a card's crop from the root.
        self.env.globals["figure"] = lambda figure, page_url: Markup(
            figure_html(figure, relative_to(page_url))
        )
        self.env.globals["thumbnail"] = lambda figure, lead=False: Markup(
            thumbnail_html(figure, lambda path: base_path + path, lead=lead)
        )
        self.template_digest = cache(self._template_digest)
        self._ready: set[str] = set()

    def render(self, page: Page) -> bytes:
        """The page's bytes; template problems become one-line errors naming template and line."""
        assert page.template is not None
        try:
            template = self.env.get_template(page.template)
            if page.template not in self._ready:
                self._remember_macros(page.template)
            return template.render(page.context).encode("utf-8")
        except jinja2.TemplateSyntaxError as error:
            raise InputError(
                _template_path(error.filename, error.name), error.message or "", line=error.lineno
            ) from None
        except jinja2.TemplateError as error:
            raise _located(error, page) from None

    def _remember_macros(self, name: str) -> None:
        """Make the macros of the templates `name` imports remember their results.

        Jinja imports a template without the importer's context, so its macros see only their
        arguments and the environment's globals, which are fixed for the whole build: called
        again with equal arguments, a macro makes the same HTML. An article's card is on ten
        or more pages (lists, feeds, related articles); this halves the time of a list page.
        """
        for source in self._closure(name, set()):
            for imported in _IMPORT.findall(source):
                if imported in self._ready:
                    continue
                module = self.env.get_template(imported).module  # the one imports share
                for attribute, value in vars(module).items():
                    if isinstance(value, jinja2.runtime.Macro):
                        setattr(module, attribute, _RememberedMacro(value))
                self._ready.add(imported)
        self._ready.add(name)

    def _template_digest(self, name: str) -> str:
        """A hash of the template and every template it extends, includes or imports."""
        digest = hashlib.sha256()
        for source in self._closure(name, set()):
            digest.update(source.encode("utf-8"))
        return digest.hexdigest()[:16]

    def _closure(self, name: str, seen: set[str]) -> list[str]:
        if name in seen:
            return []
        seen.add(name)
        try:
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return [f"missing:{name}"]
        sources = [f"{name}\n{source}"]
        # A pattern, not Jinja's parser: parsing every template on every build costs more than
        # the rest of a small rebuild. Names built at render time are not followed.
        for child in _REFERENCE.findall(source):
            sources += self._closure(child, seen)
        return sources


# What the code Jinja compiles a template to depends on, besides the template: its version
# and the options above. Compiled code is kept per these, so a change of either compiles anew.
_COMPILED_WITH = f"jinja2 {jinja2.__version__}; autoescape html xml; trim lstrip keep-newline"


def _bytecode_cache(cache_dir: Path) -> jinja2.BytecodeCache | None:
    """Templates compiled by earlier builds, kept in the cache folder (Jinja checks each one's
    source): a new process would otherwise compile every template it uses again."""
    key = hashlib.sha256(_COMPILED_WITH.encode("utf-8")).hexdigest()[:12]
    folder = cache_dir / f"templates-{key}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only project: compiled each time
    return _KeptTemplates(str(folder))


class _KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates in a folder; one that cannot be kept (a full disk) is not."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


# markupsafe's C escaping of a str (markupsafe 3; with older ones, markupsafe.escape is used).
_escape_str = getattr(markupsafe, "_escape_inner", None)
_new_str = str.__new__


def quick_escape(value: object) -> Markup:
    """markupsafe.escape, the same result in less time for what templates output most (the
    dozens of values of every page): markup as it is (a str is
    immutable: no copy needed), text and whole numbers without markupsafe's checks."""
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[return-value]
    if _escape_str is not None and kind is str:
        return _new_str(Markup, _escape_str(value))
    if kind is int:
        return _new_str(Markup, str(value))  # digits and a sign: nothing to escape
    return markupsafe.escape(value)


class _QuickEscapeTemplate(jinja2.Template):
    """A template whose output goes through quick_escape: the code Jinja compiles calls the
    `escape` of its namespace, shared by the template's blocks and macros."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):  # type: ignore[no-untyped-def]
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = quick_escape
        return template


class _RememberedMacro:
    """A macro that keeps its HTML per distinct arguments, and stops keeping it when the
    arguments rarely repeat (a pager is different on every page)."""

    # Calls before deciding whether remembering pays: many, because one list shows every
    # card once, and only the next lists show them again.
    TRIAL = 20_000
    # Jinja asks whatever a template calls whether it wants the context passed; a macro does
    # not. Said here, not found out through __getattr__ and an exception on every call.
    jinja_pass_arg = None

    def __init__(self, macro: jinja2.runtime.Macro):
        self.macro = macro
        self.memo: dict[object, str] | None = {}
        self.calls = self.hits = 0

    def __call__(self, *args: object, **kwargs: object) -> str:
        memo = self.memo
        if memo is None or "caller" in kwargs:
            return self.macro(*args, **kwargs)
        self.calls += 1
        if self.calls == self.TRIAL and self.hits < self.TRIAL // 20:
            self.memo = None  # arguments hardly ever repeat: remembering only costs memory
            return self.macro(*args, **kwargs)
        # Types are part of the key: level=1 and level=True are equal, but render differently.
        key: tuple[object, ...] = (args, tuple(map(type, args)))
        if kwargs:
            key += (tuple(kwargs.items()), tuple(map(type, kwargs.values())))
        try:
            html = memo.get(key)
        except TypeError:  # an unhashable (mutable) argument: never remembered
            return self.macro(*args, **kwargs)
        if html is None:
            html = memo[key] = self.macro(*args, **kwargs)
        else:
            self.hits += 1
        return html

    def __getattr__(self, name: str) -> object:
        return getattr(self.macro, name)  # name, arguments, caller: what Jinja may ask


def _located(error: jinja2.TemplateError, page: Page) -> InputError:
    """Find the template line in the traceback Jinja rewrote to point into templates."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            where = _template_path(frame.filename, None)
            return InputError(where, f"{error.message} (rendering /{page.url})", line=frame.lineno)
    return InputError(page.template or "?", f"{error.message} (rendering /{page.url})")


def _template_path(filename: str | None, name: str | None) -> str:
    if filename:
        try:
            return str(Path(filename).resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return filename
    return name or "template"
