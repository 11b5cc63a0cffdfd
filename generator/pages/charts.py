"""The timeline: accessible SVG bar charts drawn at build time (articles per year or month)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from html import escape

WIDTH, HEIGHT = 720, 220  # viewBox units; the SVG scales to its container's width
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 24  # room for the value axis and the bar labels
BAR = "#0b4f8a"  # the theme's link colour: bars may be links
GRID = "#dde2e8"
INK = "#555f6d"
FONT = 12
MAX_STEP = 56  # the widest a bar's slot gets
_MONTH = re.compile(r"\d{4}-(\d{2})")


def counts_by_year(dates: Iterable[date]) -> list[tuple[str, int]]:
    """Articles per year, every year from the first to the last (zeros included)."""
    years = Counter(d.year for d in dates)
    if not years:
        return []
    return [(str(y), years[y]) for y in range(min(years), max(years) + 1)]


def counts_by_month(dates: Iterable[date]) -> list[tuple[str, int]]:
    """Articles per month as ("2020-08", n), every month from the first to the last."""
    months = Counter(d.year * 12 + d.month - 1 for d in dates)
    if not months:
        return []
    return [(f"{m // 12}-{m % 12 + 1:02d}", months[m]) for m in range(min(months), max(months) + 1)]


def bar_chart_svg(
    bars: Sequence[tuple[str, int]],
    *,
    title: str,
    url_of: Callable[[str], str | None] | None = None,
    label_every: int = 1,
    unit: str = "article",
    id_prefix: str = "bar-chart",
) -> str:
    """An SVG bar chart, one bar per (label, count), each with a title like "2020: 4 articles".

    `url_of(label)` links a bar (None: not linked). Labels under the bars are thinned to every
    `label_every`th, or further when they would overlap; months ("2020-08") are labelled on
    whole quarters or years. `id_prefix` keeps ids unique if a page shows two charts.
    """
    total = sum(count for _, count in bars)
    linked = url_of is not None and any(count and url_of(label) for label, count in bars)
    role = "" if linked else ' role="img"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%"'
        # role="img" would hide linked bars from assistive technology (children presentational):
        # then the implicit graphics-document role, named, keeps them reachable.
        f'{role} aria-labelledby="{id_prefix}-title"'
        f' aria-describedby="{id_prefix}-desc" class="bar-chart-svg" font-size="{FONT}"'
        f' font-family="inherit">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(_describe(bars, total, unit))}</desc>',
    ]
    if not bars:
        out[0] = out[0].replace(f" {HEIGHT}", " 40", 1)  # a line of text needs no plot area
        out.append(f'<text x="{LEFT}" y="24" fill="{INK}">No {unit}s yet</text></svg>')
        return "".join(out)
    top = _nice_top(max(count for _, count in bars))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    out.append(_value_axis(top, plot_h))
    # Few bars stay slim and start at the axis, rather than stretching across the width.
    step = min(plot_w / len(bars), MAX_STEP)
    gap = min(step * 0.2, 4) if step >= 3 else 0  # thin bars touch: gaps would be all there is
    shown = _labelled(bars, label_every, step)
    out.append(f'<g fill="{BAR}">')
    labels = []
    for i, (label, count) in enumerate(bars):
        x = LEFT + i * step
        name = escape(f"{label}: {count} {unit if count == 1 else unit + 's'}")
        url = url_of(label) if url_of is not None and count else None
        out.append(_bar(x, step, gap, count / top * plot_h, name, url))
        if i in shown:
            text = shown[i]
            labels.append(
                f'<text x="{_n(x + step / 2)}" y="{base + FONT + 4}">{escape(text)}</text>'
            )
    out.append("</g>")
    out.append(f'<g fill="{INK}" text-anchor="middle" aria-hidden="true">{"".join(labels)}</g>')
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" stroke="{INK}"/>')
    out.append("</svg>")
    return "".join(out)


def _bar(x: float, step: float, gap: float, h: float, name: str, url: str | None) -> str:
    """One bar, `h` high, at `x` in a slot `step` wide; linked to `url` if there is one."""
    base = HEIGHT - BOTTOM
    rect = f'<rect x="{_n(x + gap / 2)}" y="{_n(base - h)}" width="{_n(step - gap)}"'
    rect += f' height="{_n(h)}"'
    if not url:
        return f"{rect}><title>{name}</title></rect>"
    # A transparent full-height target, so that short bars are easy to hover and click.
    hit = f'<rect x="{_n(x)}" y="{TOP}" width="{_n(step)}" height="{HEIGHT - TOP - BOTTOM}"'
    hit += ' fill="transparent"/>'
    link = f'<a href="{escape(url)}" aria-label="{name}">'
    return f"{link}<title>{name}</title>{hit}{rect}/></a>"


def _describe(bars: Sequence[tuple[str, int]], total: int, unit: str) -> str:
    if not bars:
        return f"No {unit}s."
    peak_label, peak = max(bars, key=lambda bar: bar[1])
    plural = unit if total == 1 else unit + "s"
    span = bars[0][0] if len(bars) == 1 else f"{bars[0][0]} to {bars[-1][0]}"
    return f"{total} {plural} from {span}; most in {peak_label} ({peak})."


def _nice_top(largest: int) -> int:
    """The top of the value axis: 1, 2 or 5 times a power of ten, at least the largest bar."""
    if largest <= 4:
        return max(largest, 1)
    power = 10 ** math.floor(math.log10(largest))
    return next(n * power for n in (1, 2, 5, 10) if n * power >= largest)


def _value_axis(top: int, plot_h: float) -> str:
    ticks = [0, top] if top <= 1 else [top * i // 4 for i in range(5) if top * i % 4 == 0]
    if len(ticks) < 3:
        ticks = [0, top // 2, top] if top % 2 == 0 else [0, top]
    parts = [f'<g fill="{INK}" text-anchor="end" aria-hidden="true">']
    for tick in ticks:
        y = _n(TOP + plot_h - tick / top * plot_h)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{_n(float(y) + FONT / 3)}">{tick}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _labelled(bars: Sequence[tuple[str, int]], every: int, step: float) -> dict[int, str]:
    """The bars that get a label under them, and the label's text."""

    def spacing(chars: int) -> int:
        # Labels may not overlap: each needs its width (about 0.6 em a character) and a gap.
        return math.ceil((chars * FONT * 0.6 + 6) / step)

    thinned = max(every, spacing(max(len(label) for label, _ in bars)))
    if thinned == 1 or not all(_MONTH.fullmatch(label) for label, _ in bars):
        return {i: label for i, (label, _) in enumerate(bars) if i % thinned == 0}
    # Months are labelled on quarters, half years, or whole years shown as "2020".
    if thinned <= 6:
        thinned = 3 if thinned <= 3 else 6
    else:
        thinned = 12 * math.ceil(max(every, spacing(4)) / 12)
    chosen = {}
    for i, (label, _) in enumerate(bars):
        if (int(label[:4]) * 12 + int(label[5:7]) - 1) % thinned == 0:
            chosen[i] = label[:4] if thinned >= 12 else label
    return chosen


def _n(value: float) -> str:
    """A coordinate with at most one decimal, and none when whole: short and exact enough."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
