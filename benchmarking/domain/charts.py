"""Server-rendered SVG charts (pure functions: data in, markup out).

The same SVG is put on the page and into the PDF. Each chart is an accessible image
(``role="img"`` with a ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``); pages show
the numbers again in a table next to it. Series differ by line pattern and marker shape as well
as colour (Okabe-Ito colours), so the chart does not depend on colour vision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from itertools import count
from math import ceil, floor, log10

from benchmarking.domain.computation import round_half_up

_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | None]
    colour: str
    dash: str = ""  # stroke-dasharray
    marker: str = "circle"  # circle, square, diamond, triangle
    width: float = 2.0


SERIES_STYLES = {
    "la": {"colour": "#0072B2", "dash": "", "marker": "circle", "width": 3.0},
    "neighbours": {"colour": "#D55E00", "dash": "6 3", "marker": "square", "width": 2.0},
    "region": {"colour": "#009E73", "dash": "2 3", "marker": "diamond", "width": 2.0},
    "england": {"colour": "#000000", "dash": "10 4 2 4", "marker": "triangle", "width": 1.5},
}


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    return f'<path d="{_marker_path(kind, x, y)}" fill="{colour}"/>'


def _marker_path(kind: str, x: float, y: float) -> str:
    """One marker as path data, so a series' markers are drawn as one element."""
    if kind == "square":
        return f"M{x - 3.5:.1f} {y - 3.5:.1f}h7v7h-7z"
    if kind == "diamond":
        return f"M{x:.1f} {y - 4.5:.1f}l4.5 4.5-4.5 4.5-4.5-4.5z"
    if kind == "triangle":
        return f"M{x:.1f} {y - 4.5:.1f}l4.5 8h-9z"
    return f"M{x - 4:.1f} {y:.1f}a4 4 0 1 0 8 0a4 4 0 1 0-8 0z"


def nice_step(span: float, ticks: int = 5) -> float:
    """The round step (1, 2 or 5 times a power of ten) that splits `span` into about
    `ticks` - 1 intervals."""
    raw = span / max(ticks - 1, 1)
    power = 10 ** floor(log10(raw)) if raw > 0 else 1.0
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power


def nice_ticks(values: Sequence[Decimal], ticks: int = 5) -> list[float]:
    """Axis ticks at round numbers (1-2-5 steps) covering every value, starting at 0 for values
    that cannot be negative when 0 is near: e.g. 49..59 -> 48, 50, 52, ..., 60."""
    lo, hi = float(min(values)), float(max(values))
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
        if float(min(values)) >= 0 > lo:
            lo = 0.0
    step = nice_step(hi - lo, ticks)
    first = floor(lo / step) * step
    if float(min(values)) >= 0 > first:
        first = 0.0
    last = ceil(hi / step) * step
    count_ = round((last - first) / step)
    return [round(first + step * i, 10) for i in range(count_ + 1)]


def _nice_bounds(values: Sequence[Decimal]) -> tuple[float, float]:
    ticks = nice_ticks(values)
    return ticks[0], ticks[-1]


def trend_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    places: int = 1,
    unit: str = "",
    width: int = 560,
    height: int = 220,
    legend: bool = True,
) -> str:
    """A line chart of several series over the same periods, as an accessible SVG string.

    Period labels that would overlap are thinned out (every other one, counting back from the
    latest, which is always labelled); every period keeps its marker. ``legend=False`` leaves
    the key out, for a document that shows one key for all its charts."""
    uid = f"chart{next(_ids)}"
    present = [v for s in series for v in s.values if v is not None]
    summary = describe(labels, series, places, unit)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif" font-size="11">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(summary)}</desc>'
    )
    if not present or not labels:
        return (
            head
            + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">No data for this period</text></svg>'
        )
    left, right, top, bottom = 52, 36, 12, 62 if legend else 30
    plot_w, plot_h = width - left - right, height - top - bottom
    lo, hi = _nice_bounds(present)

    def x_at(i: int) -> float:
        return left + (plot_w * i / (len(labels) - 1) if len(labels) > 1 else plot_w / 2)

    def y_at(v: Decimal) -> float:
        return top + plot_h - (float(v) - lo) / (hi - lo) * plot_h

    parts = [head]
    # gridlines (one path) and y labels, at round numbers
    ticks = nice_ticks(present)
    step_places = max(0, -floor(log10(ticks[1] - ticks[0]))) if len(ticks) > 1 else places
    grid = "".join(f"M{left} {y_at(Decimal(str(t))):.1f}H{width - right}" for t in ticks)
    parts.append(f'<path d="{grid}" stroke="#d0d0d0"/>')
    for tick in ticks:
        y = y_at(Decimal(str(tick)))
        label = format(round_half_up(Decimal(str(tick)), min(step_places, places)).normalize(), "f")
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{label}</text>'
        )
    step = _label_step(labels, plot_w)
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % step:
            continue
        parts.append(
            f'<text x="{x_at(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
    for s in series:
        parts.extend(_series_lines(s, x_at, y_at))
    if legend:
        parts.append(_legend(series, left, height - 22))
    parts.append("</svg>")
    return "".join(parts)


def _series_lines(
    s: Series, x_at: Callable[[int], float], y_at: Callable[[Decimal], float]
) -> list[str]:
    """One series: a line through each run of periods with values (a gap where one has none),
    and a marker on every value."""
    segment: list[str] = []
    segments = []
    for i, v in enumerate(s.values):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x_at(i):.1f},{y_at(v):.1f}")
    if segment:
        segments.append(segment)
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    parts = [
        f'<polyline points="{" ".join(seg)}" fill="none" stroke="{s.colour}" stroke-width="{s.width}"{dash}/>'
        for seg in segments
        if len(seg) > 1
    ]
    markers = "".join(
        _marker_path(s.marker, x_at(i), y_at(v)) for i, v in enumerate(s.values) if v is not None
    )
    if markers:
        parts.append(f'<path d="{markers}" fill="{s.colour}"/>')
    return parts


# Width of a character of the chart's 11px sans-serif text, on the wide side (digits are 0.64em).
_CHAR_WIDTH = 11 * 0.64


def _label_step(labels: Sequence[str], plot_w: float) -> int:
    """Label every n-th period so that no two labels overlap."""
    if len(labels) < 2:
        return 1
    needed = max(len(label) for label in labels) * _CHAR_WIDTH + 8
    return max(1, ceil(needed / (plot_w / (len(labels) - 1))))


def _legend(series: Sequence[Series], lx: float, ly: float) -> str:
    parts = []
    for s in series:
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly}" y2="{ly}" stroke="{s.colour}" stroke-width="{s.width}"{dash}/>'
        )
        parts.append(_marker(s.marker, lx + 12, ly, s.colour))
        parts.append(f'<text x="{lx + 30}" y="{ly + 4}" fill="#000">{escape(s.name)}</text>')
        lx += 36 + 6.5 * len(s.name)
    return "".join(parts)


def swatch(series: Series, width: int = 26, height: int = 10) -> str:
    """A series' line and marker alone, to stand beside its name in a key written as text."""
    dash = f' stroke-dasharray="{series.dash}"' if series.dash else ""
    y = height / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">'
        f'<line x1="0" x2="{width}" y1="{y}" y2="{y}" stroke="{series.colour}" '
        f'stroke-width="{series.width}"{dash}/>{_marker(series.marker, width / 2, y, series.colour)}'
        "</svg>"
    )


def describe(labels, series, places, unit) -> str:
    """The chart in words: each series' first and last value (its <desc>, or an image's alt)."""
    bits = []
    for s in series:
        pairs = [(label, v) for label, v in zip(labels, s.values, strict=False) if v is not None]
        if not pairs:
            bits.append(f"{s.name}: no data")
            continue
        first, last = pairs[0], pairs[-1]
        bits.append(
            f"{s.name}: {round_half_up(first[1], places)} in {first[0]}, "
            f"{round_half_up(last[1], places)} in {last[0]}"
        )
    suffix = f" ({unit})" if unit else ""
    return "; ".join(bits) + suffix


def mini_trend(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[Decimal | None],
    places: int = 1,
    unit: str = "",
    width: int = 140,
    height: int = 36,
) -> str:
    """A word-sized trend line with no axes (e.g. beside a priority's indicators).

    An accessible image: the title names it, the description lists every value, so a screen
    reader hears the whole series; the latest point is a larger marker so the end is clear
    without colour."""
    uid = f"mini{next(_ids)}"
    pairs = [(label, v) for label, v in zip(labels, values, strict=False) if v is not None]
    listed = "; ".join(f"{label}: {round_half_up(v, places)}" for label, v in pairs)
    summary = (listed + (f" ({unit})" if unit else "")) if pairs else "No data"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mini-trend" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(summary)}</desc>'
    )
    if not pairs:
        return head + "</svg>"
    present = [v for _, v in pairs]
    lo, hi = _nice_bounds(present)
    pad = 5
    n = len(values)

    def x_at(i: int) -> float:
        return pad + ((width - 2 * pad) * i / (n - 1) if n > 1 else (width - 2 * pad) / 2)

    def y_at(v: Decimal) -> float:
        return height - pad - (float(v) - lo) / (hi - lo) * (height - 2 * pad)

    colour = SERIES_STYLES["la"]["colour"]
    parts = [head]
    segment: list[str] = []
    for i, v in enumerate(values):
        if v is None:
            if len(segment) > 1:
                parts.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
            segment = []
            continue
        segment.append(f"{x_at(i):.1f},{y_at(v):.1f}")
    if len(segment) > 1:
        parts.append(
            f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
    last = max(i for i, v in enumerate(values) if v is not None)
    for i, v in enumerate(values):
        if v is not None:
            r = 3.5 if i == last else 1.8
            parts.append(f'<circle cx="{x_at(i):.1f}" cy="{y_at(v):.1f}" r="{r}" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)
