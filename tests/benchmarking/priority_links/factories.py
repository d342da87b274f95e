"""Priorities with linked indicators and the region's data behind their trends."""

from benchmarking.models import PriorityIndicator
from tests.benchmarking.reports.factories import load_indicators, make_return, quarter, year
from tests.regions.factories import PlanFactory, PriorityFactory, ThemeFactory


def priority_in(region, **kw):
    return PriorityFactory(theme=ThemeFactory(plan=PlanFactory(region=region)), **kw)


def link(priority, indicator, order=1):
    return PriorityIndicator.objects.create(priority=priority, indicator=indicator, order=order)


def quarters_back(count, *, fiscal_year=2025, q=4):
    """The ``count`` quarters ending at (fiscal_year, q), oldest first."""
    out = []
    for _ in range(count):
        out.append(quarter(fiscal_year, q))
        fiscal_year, q = (fiscal_year, q - 1) if q > 1 else (fiscal_year - 1, 4)
    return list(reversed(out))


__all__ = [
    "link",
    "load_indicators",
    "make_return",
    "priority_in",
    "quarter",
    "quarters_back",
    "year",
]
