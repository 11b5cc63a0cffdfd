"""Content files parsed into articles, their bodies rendered to HTML (their own images as
figures): in this process, or in one worker process per core when many changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from generator.errors import InputError
from generator.incremental.cache import BodyStore
from generator.media.prepare import Media
from generator.model import pictures
from generator.model.article import Article, ContentErrors
from generator.model.content import ImagesDeferred, parse_file
from generator.workers import in_workers

Stamp = tuple[int, int]


def render_body(render: Any, article: Article, markdown: str) -> str:
    """An article's body as HTML, its own images as figures."""
    if not article.body_images or not article.pictures:
        return render(markdown)
    from generator.media.markup import relative_to

    shown = pictures.figures(article.image, article.photos, article.pictures, article.body_images)
    return render(markdown, shown[2], relative_to(article.url))


class Parsed(NamedTuple):
    """One content file parsed: its article, or the problems that kept it from being one.
    `body` is its Markdown, or (from a worker) the HTML rendered from it."""

    path: Path
    stamp: Stamp
    article: Article | None
    problems: list[InputError]
    body: str
    deferred: list[tuple[str, str, str]] = []  # images to process before parsing it again


def parse_one(
    path: Path,
    stamp: Stamp,
    shown: str,
    store: BodyStore,
    variant: str,
    bundle: bool,
    media: Media,
) -> Parsed:
    try:
        article, body = parse_file(path, shown, store, variant, bundle, media)
        return Parsed(path, stamp, article, [], body)
    except ImagesDeferred as waiting:
        return Parsed(path, stamp, None, [], "", waiting.jobs)
    except ContentErrors as problem:
        return Parsed(path, stamp, None, problem.errors, "")
    except InputError as problem:
        return Parsed(path, stamp, None, [problem], "")


def renderer(variant: str) -> Any:
    from generator.output.markup import make_renderer

    return make_renderer(allow_html=variant == "html")


def _parse_and_render(job: tuple[Path, Stamp, str, BodyStore, str, bool, Media]) -> Parsed:
    result = parse_one(*job)
    article = result.article
    html = render_body(_worker_render, article, result.body) if article is not None else ""
    return result._replace(body=html)


_worker_render: Any = None


def _init_worker(variant: str) -> None:
    global _worker_render
    _worker_render = renderer(variant)


def parse_in_workers(
    pending: list[tuple[Path, Stamp]],
    shown: Any,
    store: BodyStore,
    variant: str,
    is_bundle: Callable[[str], bool],
    media: Media,
) -> list[Parsed]:
    """Parse and render in one process per core: Markdown is the cold build's biggest cost,
    with images to process its biggest by far."""
    jobs = [(p, s, shown(p), store, variant, is_bundle(str(p)), media) for p, s in pending]
    return list(in_workers(_parse_and_render, jobs, 64, _init_worker, (variant,)))
