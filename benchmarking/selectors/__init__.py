"""Reads for benchmarking pages, split by noun. Each selector returns only what its user may
see (``returns.values_visible_to`` is that rule as a queryset: build reports on it)."""

from .completeness import GridRow, completeness_grid
from .dashboard import dashboard_rows, dashboard_sections
from .indicators import indicator_list, published_values, published_years
from .returns import (
    performance_lead_count,
    period_by_slug,
    quarters_recent,
    return_for,
    return_indicators,
    return_missing,
    return_status_history,
    return_uploads,
    return_value_history,
    return_values,
    template_rows,
    values_visible_to,
)

__all__ = [
    "GridRow",
    "completeness_grid",
    "dashboard_rows",
    "dashboard_sections",
    "indicator_list",
    "performance_lead_count",
    "period_by_slug",
    "published_values",
    "published_years",
    "quarters_recent",
    "return_for",
    "return_indicators",
    "return_missing",
    "return_status_history",
    "return_uploads",
    "return_value_history",
    "return_values",
    "template_rows",
    "values_visible_to",
]
