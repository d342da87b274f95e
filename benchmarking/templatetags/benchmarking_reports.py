"""Template helpers for the benchmarking reports: the trend chart SVG and band cues."""

from django import template
from django.utils.safestring import mark_safe

from benchmarking.charts import SERIES_STYLES, Series, trend_chart
from benchmarking.computation import format_value

register = template.Library()


@register.simple_tag
def trend_svg(item, la_name, width=560, height=220):
    """The datapack item's trend as SVG (the same markup on the page and in the PDF)."""
    points = item.trend
    labels = [p.label for p in points]
    series = [
        Series(la_name, [p.la for p in points], **SERIES_STYLES["la"]),
        Series(
            "Statistical neighbours", [p.neighbours for p in points], **SERIES_STYLES["neighbours"]
        ),
        Series("Region", [p.region for p in points], **SERIES_STYLES["region"]),
        Series("England", [p.england for p in points], **SERIES_STYLES["england"]),
    ]
    svg = trend_chart(
        title=f"{item.indicator.name}: trend for {la_name}",
        labels=labels,
        series=series,
        places=item.indicator.spec.decimal_places,
        unit=item.indicator.unit,
        width=int(width),
        height=int(height),
    )
    return mark_safe(svg)  # built by charts.trend_chart, which escapes all text


@register.filter
def shown(value, places):
    """A number at the indicator's precision, or 'no data' (never 0)."""
    return format_value(value, int(places))
