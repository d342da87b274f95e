"""Reads for the benchmarking reports: load plain data in a fixed number of queries, then hand it
to the pure builders in ``domain/reports.py`` (which call ``computation``). Around the report
(periods offered, LA columns, stored builds, the data stamp): ``selectors/report_pages.py``.

What a report shows (the same for every viewer allowed to see it, so a stored file can be shared):

* A **quarter**: the region's LAs' *approved or locked* quarterly returns (never drafts or
  submitted-but-unapproved values); change against the same quarter a year earlier. Other
  regions' quarterly returns are never shared, so England figures, England bands and
  statistical-neighbour averages for a quarter use the latest *published* year before it
  (per indicator: the newest published year that has values), and the page says which.
* A **year**: DfE's published figures for every LA; change against the year before.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Q

from benchmarking.domain.computation import MISSING, Cell, IndicatorSpec, Polarity
from benchmarking.domain.reports import (
    Datapack,
    ExceptionFlag,
    IndicatorData,
    IndicatorInfo,
    LaColumn,
    Rug,
    build_datapacks,
    build_rug,
    exception_flags,
)
from benchmarking.models import (
    VISIBLE_TO_REGION_STATUSES,
    ExceptionNarrative,
    Indicator,
    IndicatorSet,
    Period,
    PeriodKind,
    Source,
    Value,
)
from regions.models import LocalAuthority, Region, StatisticalNeighbour
from regions.scope import user_scope

TREND_QUARTERS = 8
TREND_YEARS = 5


def previous_key(period: Period) -> tuple[str, int, int | None]:
    return (period.kind, period.fiscal_year - 1, period.quarter)


# --- loading -----------------------------------------------------------------------------------


def indicator_spec(indicator: Indicator) -> IndicatorSpec:
    return IndicatorSpec(
        code=indicator.code,
        polarity=Polarity(indicator.polarity),
        decimal_places=indicator.decimal_places,
        multiplier=indicator.multiplier,
        is_count=indicator.unit == "count",
    )


def indicator_info(indicator: Indicator) -> IndicatorInfo:
    return IndicatorInfo(
        spec=indicator_spec(indicator),
        name=indicator.name,
        theme=indicator.get_theme_display(),
        unit=indicator.get_unit_display(),
    )


def _indicators(region: Region, indicator_set: str) -> list[Indicator]:
    qs = Indicator.objects.filter(is_active=True)
    if indicator_set == IndicatorSet.CORE:
        qs = qs.filter(is_core=True)
    else:
        qs = qs.filter(Q(region__isnull=True) | Q(region=region))
    return list(qs.order_by("theme", "display_order", "code"))


@dataclass
class ReportInputs:
    """Everything a region's reports for one period read, as plain data."""

    region: Region
    period: Period
    scope: str
    indicator_set: str
    las: list[LaColumn]
    la_ids_by_slug: dict[str, int]
    indicators: list[Indicator]
    infos: list[IndicatorInfo]
    neighbours: Mapping[Hashable, Sequence[Hashable]]
    periods: dict[tuple, Period]
    # (period_id) -> indicator_id -> la_id -> Cell
    cells: dict[int, dict[int, dict[int, Cell]]] = field(default_factory=dict)
    la_names: dict[int, str] = field(default_factory=dict)

    # -- periods of a report
    def trend_periods(self) -> list[Period]:
        p = self.period
        out = []
        if p.kind == PeriodKind.QUARTER:
            fy, q = p.fiscal_year, cast(int, p.quarter)  # a quarter always has its number
            for _ in range(TREND_QUARTERS):
                found = self.periods.get((PeriodKind.QUARTER, fy, q))
                if found:
                    out.append(found)
                fy, q = (fy, q - 1) if q > 1 else (fy - 1, 4)
        else:
            for fy in range(p.fiscal_year, p.fiscal_year - TREND_YEARS, -1):
                found = self.periods.get((PeriodKind.YEAR, fy, None))
                if found:
                    out.append(found)
        return list(reversed(out))

    def _published_cells(self, before_fy: int, indicator_id: int) -> tuple[dict, Period | None]:
        """Newest published year before ``before_fy`` that has values for the indicator."""
        for fy in range(before_fy - 1, before_fy - 4, -1):
            period = self.periods.get((PeriodKind.YEAR, fy, None))
            if period is None:
                continue
            found = self.cells.get(period.pk, {}).get(indicator_id)
            if found:
                return found, period
        return {}, None

    def indicator_data(self, period: Period) -> list[IndicatorData]:
        region_ids = {c.key for c in self.las}
        prev_period = self.periods.get(previous_key(period))
        result = []
        for indicator, info in zip(self.indicators, self.infos, strict=True):
            current = self.cells.get(period.pk, {}).get(indicator.pk, {})
            previous = (
                self.cells.get(prev_period.pk, {}).get(indicator.pk, {}) if prev_period else {}
            )
            note = ""
            if period.kind == PeriodKind.QUARTER:
                england, year = self._published_cells(period.fiscal_year, indicator.pk)
                note = f"England and neighbours: published {year.label}" if year else ""
            else:
                england = current
            result.append(
                IndicatorData(
                    info=info,
                    region_cells={k: c for k, c in current.items() if k in region_ids},
                    england_cells=england,
                    previous={k: c for k, c in previous.items() if k in region_ids},
                    note=note,
                )
            )
        return result

    def neighbour_source(self, period: Period) -> str:
        if period.kind == PeriodKind.YEAR:
            return f"published {period.label}"
        years = sorted(
            {
                p.label
                for p in self.periods.values()
                if p.kind == PeriodKind.YEAR
                and p.fiscal_year < period.fiscal_year
                and p.pk in self.cells
            }
        )
        return f"latest published year ({years[-1]})" if years else "no published data"

    def notes(self) -> list[str]:
        notes = [
            "Bands: for each indicator the local authorities are split into four groups of "
            "the same size (quartiles), worked out the same way as DfE's LA Interactive Tool. "
            "A is the best quarter, whichever way is better for that indicator; indicators "
            "where neither higher nor lower is better get no band.",
            "Region and England figures: summed numerators over summed denominators "
            "(as DfE publishes); indicators without them: mean of LA values.",
            "Suppressed and missing values are shown as such and left out of every figure.",
        ]
        if self.period.kind == PeriodKind.QUARTER:
            notes.insert(
                0,
                "Quarterly figures: approved returns of the region's LAs only. England figures, "
                "England bands and statistical-neighbour averages use the "
                f"{self.neighbour_source(self.period)}, as other regions' returns are not shared.",
            )
        return notes

    def data_version(self, extra: str = "") -> str:
        """A hash of everything the report reads: any change of data gives a new version."""
        digest = hashlib.sha256()
        digest.update(
            f"{self.region.pk}|{self.period.pk}|{self.scope}|{self.indicator_set}|{extra}".encode()
        )
        for info in self.infos:
            spec = info.spec
            digest.update(
                f"I{spec.code}|{info.name}|{info.theme}|{spec.polarity}|{spec.decimal_places}|{spec.multiplier}".encode()
            )
        for la in self.las:
            digest.update(f"L{la.key}|{la.name}|{self.neighbours.get(la.key, [])}".encode())
        for period_id in sorted(self.cells):
            for indicator_id in sorted(self.cells[period_id]):
                for la_id, cell in sorted(self.cells[period_id][indicator_id].items()):
                    digest.update(
                        f"V{period_id}|{indicator_id}|{la_id}|{cell.value}|{cell.numerator}|"
                        f"{cell.denominator}|{cell.suppressed}".encode()
                    )
        return digest.hexdigest()


def load_inputs(region: Region, period: Period, *, scope: str, indicator_set: str) -> ReportInputs:
    """All data for the region's reports on ``period``, in five queries whatever the size."""
    las = list(
        LocalAuthority.objects.filter(region=region, is_active=True)
        .order_by("name")
        .values_list("pk", "name", "slug")
    )
    columns = [LaColumn(pk, name) for pk, name, _ in las]
    indicators = _indicators(region, indicator_set)
    neighbours: dict[Hashable, list[Hashable]] = defaultdict(list)
    latest_model: dict[int, int] = {}
    links = (
        StatisticalNeighbour.objects.filter(local_authority__region=region)
        .order_by("local_authority_id", "-model_year", "rank")
        .values_list("local_authority_id", "neighbour_id", "model_year")
    )
    for la_id, neighbour_id, model_year in links:
        if latest_model.setdefault(la_id, model_year) == model_year:
            neighbours[la_id].append(neighbour_id)
    span = TREND_YEARS + 1
    periods = {
        (p.kind, p.fiscal_year, p.quarter): p
        for p in Period.objects.filter(
            fiscal_year__gt=period.fiscal_year - span, fiscal_year__lte=period.fiscal_year
        )
    }
    inputs = ReportInputs(
        region=region,
        period=period,
        scope=scope,
        indicator_set=indicator_set,
        las=columns,
        la_ids_by_slug={slug: pk for pk, _, slug in las},
        indicators=indicators,
        infos=[indicator_info(i) for i in indicators],
        neighbours=dict(neighbours),
        periods=periods,
        la_names={pk: name for pk, name, _ in las},
    )
    quarter_ids = [p.pk for p in periods.values() if p.kind == PeriodKind.QUARTER]
    year_ids = [p.pk for p in periods.values() if p.kind == PeriodKind.YEAR]
    if period.kind == PeriodKind.YEAR:
        quarter_ids = []  # an annual report reads published data only
    rows = Value.objects.filter(
        Q(
            return_obj__period_id__in=quarter_ids,
            return_obj__source=Source.RETURN,
            return_obj__status__in=VISIBLE_TO_REGION_STATUSES,
            return_obj__local_authority__region=region,
        )
        | Q(return_obj__period_id__in=year_ids, return_obj__source=Source.PUBLISHED),
        indicator_id__in=[i.pk for i in indicators],
    ).values_list(
        "return_obj__period_id",
        "indicator_id",
        "return_obj__local_authority_id",
        "value",
        "numerator",
        "denominator",
        "suppression",
    )
    cells = inputs.cells
    for period_id, indicator_id, la_id, value, numerator, denominator, suppression in rows.iterator(
        chunk_size=5000
    ):
        cells.setdefault(period_id, {}).setdefault(indicator_id, {})[la_id] = (
            Cell(suppressed=suppression)
            if suppression
            else Cell(value=value, numerator=numerator, denominator=denominator)
            if value is not None
            else MISSING
        )
    return inputs


# --- reports -----------------------------------------------------------------------------------


def rug(inputs: ReportInputs, focus_la_id: int | None = None) -> Rug:
    focus = None
    if focus_la_id is not None:
        focus = next((c for c in inputs.las if c.key == focus_la_id), None)
    return build_rug(
        inputs.indicator_data(inputs.period),
        title=f"{inputs.region.name} tartan rug",
        period=inputs.period.label,
        scope=inputs.scope,
        region_name=inputs.region.name,
        columns=inputs.las,
        neighbours=inputs.neighbours,
        focus=focus,
        notes=inputs.notes(),
    )


def datapack(inputs: ReportInputs, la_id: int) -> Datapack:
    return datapacks(inputs, [c for c in inputs.las if c.key == la_id])[0]


def datapacks(inputs: ReportInputs, las: list[LaColumn] | None = None) -> list[Datapack]:
    """The datapacks of ``las`` (default: every LA of the region, a region pack), with the
    region's figures computed once for all of them."""
    series = [(p.label, inputs.indicator_data(p)) for p in inputs.trend_periods()]
    if not series or series[-1][0] != inputs.period.label:
        series.append((inputs.period.label, inputs.indicator_data(inputs.period)))
    return build_datapacks(
        las=inputs.las if las is None else las,
        region_name=inputs.region.name,
        period=inputs.period.label,
        scope=inputs.scope,
        neighbours=inputs.neighbours,
        series=series,
    )


# --- exception report --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExceptionRow:
    flag: ExceptionFlag
    indicator: Indicator
    narrative: ExceptionNarrative | None
    can_write: bool
    la_slug: str


def exception_rows(user, inputs: ReportInputs) -> list[ExceptionRow]:
    flags = exception_flags(
        inputs.indicator_data(inputs.period),
        columns=inputs.las,
        scope=inputs.scope,
        neighbours=inputs.neighbours,
    )
    narratives = {
        (n.local_authority_id, n.indicator_id): n
        for n in ExceptionNarrative.objects.filter(
            period=inputs.period, local_authority__region=inputs.region
        ).select_related("written_by")
    }
    by_code = {i.code: i for i in inputs.indicators}
    scope = user_scope(user)
    slug_of = {pk: slug for slug, pk in inputs.la_ids_by_slug.items()}
    rows = []
    for flag in flags:
        indicator = by_code[flag.indicator.code]
        la_id = cast(int, flag.la_key)  # the report's LA columns are keyed by LA id
        rows.append(
            ExceptionRow(
                flag=flag,
                indicator=indicator,
                narrative=narratives.get((la_id, indicator.pk)),
                can_write=scope.has_la_role(la_id, "dcs", "performance_lead"),
                la_slug=slug_of[la_id],
            )
        )
    return rows
