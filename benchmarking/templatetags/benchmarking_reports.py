"""Template helpers for the benchmarking reports: the trend chart SVG and band cues."""

import base64
from html import escape

from django import template
from django.utils.safestring import mark_safe

from benchmarking.domain.charts import SERIES_STYLES, Series, describe, swatch, trend_chart
from benchmarking.domain.computation import format_value

register = template.Library()


def _series(item, la_name) -> list[Series]:
    points = item.trend
    return [
        Series(la_name, [p.la for p in points], **SERIES_STYLES["la"]),
        Series(
            "Statistical neighbours", [p.neighbours for p in points], **SERIES_STYLES["neighbours"]
        ),
        Series("Region", [p.region for p in points], **SERIES_STYLES["region"]),
        Series("England", [p.england for p in points], **SERIES_STYLES["england"]),
    ]


def _chart(item, la_name, width, height, legend=True) -> str:
    return trend_chart(
        title=f"{item.indicator.name}: trend for {la_name}",
        labels=[p.label for p in item.trend],
        series=_series(item, la_name),
        places=item.indicator.spec.decimal_places,
        unit=item.indicator.unit,
        width=int(width),
        height=int(height),
        legend=legend,
    )


@register.simple_tag
def trend_svg(item, la_name, width=560, height=220):
    """The datapack item's trend as inline SVG (on the page; the PDF has it as an image)."""
    return mark_safe(_chart(item, la_name, width, height))  # trend_chart escapes all text


@register.simple_tag
def trend_image(item, la_name, width=560, height=220, legend=True):
    """The trend chart as an <img> of the same SVG, for the PDF.

    WeasyPrint parses an image's SVG with ElementTree, where inline SVG goes through its HTML
    parser and style cascade node by node; the alt text is the chart's title and description."""
    svg = _chart(item, la_name, width, height, legend=legend)
    labels = [p.label for p in item.trend]
    places = item.indicator.spec.decimal_places
    summary = describe(labels, _series(item, la_name), places, item.indicator.unit)
    alt = f"{item.indicator.name}: trend for {la_name}. {summary}"
    return mark_safe(
        f'<img class="trend-chart" src="{_data_url(svg)}" alt="{escape(alt)}" '
        f'width="{int(width)}" height="{int(height)}">'
    )


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


@register.simple_tag
def trend_key(la_name):
    """The charts' key as text with a sample of each line (for the PDF's page header)."""
    names = {
        "la": la_name,
        "neighbours": "Statistical neighbours",
        "region": "Region",
        "england": "England",
    }
    parts = [
        f'<img src="{_data_url(swatch(Series(name, [], **SERIES_STYLES[key])))}" alt=""> '
        f"{escape(name)}"
        for key, name in names.items()
    ]
    return mark_safe('<p class="key">Key to the charts: ' + "\u2003".join(parts) + "</p>")


@register.simple_tag
def trend_text(item, la_name):
    """The trend table as lines of fixed-width text (period columns, one row per series).

    For the PDF: WeasyPrint lays out each table cell as a box of its own (about a millisecond
    each, 45 cells an indicator), while a line of text is one box; a monospaced font keeps the
    columns aligned."""
    places = int(item.indicator.spec.decimal_places)
    names = ["Period", la_name, "Statistical neighbours", "Region", "England"]
    columns = [
        [
            p.label,
            format_value(p.la, places),
            format_value(p.neighbours, places),
            format_value(p.region, places),
            format_value(p.england, places),
        ]
        for p in item.trend
    ]
    name_width = max(len(n) for n in names)
    width = max((len(v) for c in columns for v in c), default=0) + 2
    return [
        names[r].ljust(name_width) + "".join(c[r].rjust(width) for c in columns).rstrip()
        for r in range(len(names))
    ]


@register.filter
def shown(value, places):
    """A number at the indicator's precision, or 'no data' (never 0)."""
    return format_value(value, int(places))
