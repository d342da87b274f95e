"""Reads for the indicators linked to a regional plan priority: each one's mini trend.

The region's figure for a period is computed as the reports compute it
(``computation.aggregate``: summed numerators over summed denominators where the indicator has
them). The trend is the last 8 quarters of the region's *approved or locked* returns; an
indicator with no such quarterly values falls back to the last 5 published years. England is
the published figure of the same year, or for a quarter the newest published year (other
regions' quarterly returns are never shared).

Every value is read through ``selectors.values_visible_to(user)``, and quarterly data is only
read for people of the region (and administrators), so the panel never shows what its viewer
could not see elsewhere. Four queries whatever the number of indicators or quarters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db.models import Q, QuerySet

from benchmarking.domain.charts import mini_trend
from benchmarking.domain.computation import MISSING, Cell, aggregate, format_value, round_half_up
from benchmarking.models import (
    VISIBLE_TO_REGION_STATUSES,
    Indicator,
    Period,
    PeriodKind,
    PriorityIndicator,
    Source,
    Unit,
)
from benchmarking.rules import region_staff_ids
from benchmarking.selectors import values_visible_to
from regions.scope import user_scope

from .reports import indicator_spec

TREND_QUARTERS = 8
TREND_YEARS = 5

UNIT_SUFFIX: dict[str, str] = {
    Unit.PERCENT: "%",
    Unit.RATE_10K: " per 10,000",
    Unit.DAYS: " days",
}


def linkable_indicators(region_id: int) -> QuerySet[Indicator]:
    """Indicators a priority of the region may link: active core indicators and the region's
    own local indicators."""
    return Indicator.objects.filter(is_active=True).filter(
        Q(is_core=True, region__isnull=True) | Q(region_id=region_id)
    )


def _shown(value: Decimal | None, indicator: Indicator) -> str:
    if value is None:
        return "no data"
    return format_value(value, indicator.decimal_places) + UNIT_SUFFIX.get(indicator.unit, "")


@dataclass
class IndicatorTrend:
    link: PriorityIndicator
    indicator: Indicator
    kind: str  # "quarter" (approved returns) or "year" (published) or "" (no data)
    labels: list[str]
    values: list[Decimal | None]
    latest_label: str
    latest_value: Decimal | None
    england_value: Decimal | None
    england_label: str
    svg: str

    @property
    def latest_text(self) -> str:
        return _shown(self.latest_value, self.indicator)

    @property
    def england_text(self) -> str:
        return _shown(self.england_value, self.indicator)

    @property
    def source_text(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"approved returns, last {len(self.labels)} quarters"
        if self.kind == PeriodKind.YEAR:
            return f"published figures, last {len(self.labels)} years"
        return "no data yet"

    @property
    def comparison(self) -> str:
        """Plain words: the latest region figure against England."""
        if self.latest_value is None or self.england_value is None:
            return ""
        places = self.indicator.decimal_places
        mine = cast(Decimal, round_half_up(self.latest_value, places))
        theirs = cast(Decimal, round_half_up(self.england_value, places))
        if mine == theirs:
            return "same as England"
        return "above England" if mine > theirs else "below England"

    latest_slug: str = ""


def _cell(value, numerator, denominator, suppression) -> Cell:
    if suppression:
        return Cell(suppressed=suppression)
    if value is None:
        return MISSING
    return Cell(value=value, numerator=numerator, denominator=denominator)


def priority_indicator_trends(user, priority) -> list[IndicatorTrend]:
    """The linked indicators of ``priority`` with the region's trend as ``user`` may see it."""
    links = list(
        PriorityIndicator.objects.filter(priority=priority)
        .select_related("indicator")
        .order_by("order", "pk")
    )
    if not links:
        return []
    region_id = priority.plan.region_id
    scope = user_scope(user)
    sees_quarters = (
        scope.is_admin or scope.in_region(region_id) or region_id in region_staff_ids(user)
    )
    quarters: list[Period] = []
    if sees_quarters:
        quarters = list(
            Period.objects.filter(
                kind=PeriodKind.QUARTER,
                returns__source=Source.RETURN,
                returns__status__in=VISIBLE_TO_REGION_STATUSES,
                returns__local_authority__region_id=region_id,
            )
            .distinct()
            .order_by("-start")[:TREND_QUARTERS]
        )
    # one more than shown: the newest year often holds only the workforce census
    years = list(
        Period.objects.filter(kind=PeriodKind.YEAR, returns__source=Source.PUBLISHED)
        .distinct()
        .order_by("-start")[: TREND_YEARS + 1]
    )
    quarters.reverse()
    years.reverse()
    rows = (
        values_visible_to(user)
        .filter(indicator_id__in=[link.indicator_id for link in links])
        .filter(
            Q(
                return_obj__period__in=[p.pk for p in quarters],
                return_obj__source=Source.RETURN,
                return_obj__status__in=VISIBLE_TO_REGION_STATUSES,
                return_obj__local_authority__region_id=region_id,
            )
            | Q(return_obj__period__in=[p.pk for p in years], return_obj__source=Source.PUBLISHED)
        )
        .values_list(
            "return_obj__period_id",
            "indicator_id",
            "return_obj__local_authority__region_id",
            "value",
            "numerator",
            "denominator",
            "suppression",
        )
    )
    region_cells: dict[tuple[int, int], list[Cell]] = defaultdict(list)
    england_cells: dict[tuple[int, int], list[Cell]] = defaultdict(list)
    year_ids = {p.pk for p in years}
    for period_id, indicator_id, la_region_id, *raw in rows:
        cell = _cell(*raw)
        key = (period_id, indicator_id)
        if la_region_id == region_id:
            region_cells[key].append(cell)
        if period_id in year_ids:
            england_cells[key].append(cell)
    return [_trend(link, quarters, years, region_cells, england_cells) for link in links]


def _trend(link, quarters, years, region_cells, england_cells) -> IndicatorTrend:
    indicator = link.indicator
    spec = indicator_spec(indicator)

    def figure(cells, period) -> Decimal | None:
        found = cells.get((period.pk, indicator.pk))
        return aggregate(spec, found).value if found else None

    kind: str = PeriodKind.QUARTER
    periods = quarters
    values = [figure(region_cells, p) for p in quarters]
    if not any(v is not None for v in values):
        kind = PeriodKind.YEAR
        periods = [p for p in years if figure(region_cells, p) is not None][-TREND_YEARS:]
        values = [figure(region_cells, p) for p in periods]
    if not periods:
        kind, values = "", []
    labels = [p.label for p in periods]
    latest = next(
        ((p, v) for p, v in zip(reversed(periods), reversed(values), strict=True) if v is not None),
        (None, None),
    )
    england_value, england_label = None, ""
    if latest[0] is not None:
        if kind == PeriodKind.YEAR:
            candidates = [latest[0]]
        else:
            candidates = [p for p in reversed(years) if p.fiscal_year < latest[0].fiscal_year]
            candidates += [p for p in reversed(years) if p not in candidates]
        for period in candidates:
            england_value = figure(england_cells, period)
            if england_value is not None:
                england_label = (
                    period.label if kind == PeriodKind.YEAR else f"published {period.label}"
                )
                break
    title = f"{indicator.short_name}: region trend"
    trend = IndicatorTrend(
        link=link,
        indicator=indicator,
        kind=kind,
        labels=labels,
        values=values,
        latest_label=latest[0].label if latest[0] else "",
        latest_value=latest[1],
        england_value=england_value,
        england_label=england_label,
        svg=mini_trend(
            title=title,
            labels=labels,
            values=values,
            places=indicator.decimal_places,
            unit=indicator.get_unit_display(),
        ),
        latest_slug=latest[0].slug if latest[0] else "",
    )
    return trend
