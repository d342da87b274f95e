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
from dataclasses import dataclass, field, replace
from typing import cast

from django.db.models import Q

from benchmarking.domain.computation import MISSING, Aggregate, Cell, IndicatorSpec, Polarity
from benchmarking.domain.periods import published_period_label
from benchmarking.domain.reports import (
    Datapack,
    IndicatorData,
    IndicatorInfo,
    LaColumn,
    Rug,
    build_datapacks,
    build_rug,
)
from benchmarking.models import (
    VISIBLE_TO_REGION_STATUSES,
    Indicator,
    IndicatorSet,
    Period,
    PeriodKind,
    PublishedFigure,
    Source,
    Value,
)
from regions.models import LocalAuthority, Region, StatisticalNeighbour, existed_in_year
from regions.selectors.ofsted import latest_inspections

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
    # (period id, indicator id, "england" | "region") -> DfE's own published figure
    figures: dict[tuple[int, int, str], Aggregate] = field(default_factory=dict)

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

    def indicator_data(self, period: Period, *, newest: bool = False) -> list[IndicatorData]:
        """Each indicator's data for ``period``; with ``newest``, an indicator with no published
        value in the year shows its newest earlier year (labelled as DfE labels it)."""
        region_ids = {c.key for c in self.las}
        prev_period = self.periods.get(previous_key(period))
        result = []
        for indicator, info in zip(self.indicators, self.infos, strict=True):
            current = self.cells.get(period.pk, {}).get(indicator.pk, {})
            previous = (
                self.cells.get(prev_period.pk, {}).get(indicator.pk, {}) if prev_period else {}
            )
            note = ""
            region_figure = None
            label = period.label
            if period.kind == PeriodKind.QUARTER:
                england, year = self._published_cells(period.fiscal_year, indicator.pk)
                note = f"England and neighbours: published {year.label}" if year else ""
                england_figure = (
                    self.figures.get((year.pk, indicator.pk, "england")) if year else None
                )
            else:
                shown = period
                if newest and not current:  # the newest year with data for this indicator
                    current, found = self._published_cells(period.fiscal_year + 1, indicator.pk)
                    shown = found or period
                    prev_period = self.periods.get(previous_key(shown))
                    previous = (
                        self.cells.get(prev_period.pk, {}).get(indicator.pk, {})
                        if prev_period
                        else {}
                    )
                label = published_period_label(indicator.reference_date, shown.fiscal_year)
                england = current
                england_figure = self.figures.get((shown.pk, indicator.pk, "england"))
                region_figure = self.figures.get((shown.pk, indicator.pk, "region"))
            result.append(
                IndicatorData(
                    info=info,
                    region_cells={k: c for k, c in current.items() if k in region_ids},
                    england_cells=england,
                    previous={k: c for k, c in previous.items() if k in region_ids},
                    england_figure=england_figure,
                    region_figure=region_figure,
                    note=note,
                    period_label=label,
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

    def scope_note(self) -> str:
        """The scope the bands actually use."""
        if self.scope == "england":
            return (
                "Bands against England, as DfE's LA Interactive Tool (LAIT) bands: every local "
                "authority in England that existed in the year and has a value is counted."
            )
        return (
            f"Bands against {self.region.name}: quartiles over the region's {len(self.las)} "
            "LAs only. This is not LAIT's banding (LAIT bands against all LAs in England); "
            "A is the best quartile given each indicator's polarity."
        )

    def unfed(self) -> list[str]:
        """Indicators with no published value in any year the report reads."""
        year_ids = [p.pk for p in self.periods.values() if p.kind == PeriodKind.YEAR]
        fed = {i for pid in year_ids for i in self.cells.get(pid, {})}
        return [i.name for i in self.indicators if i.pk not in fed]

    def notes(self) -> list[str]:
        notes = [self.scope_note()]
        if self.period.kind == PeriodKind.YEAR:
            notes.append(
                "Each row shows the newest published year that has data for its indicator, "
                "labelled as DfE does (year ending 31 March; workforce: snapshot 30 September)."
            )
            unfed = self.unfed()
            if unfed:
                notes.append(
                    "No published file the portal reads feeds: " + "; ".join(unfed) + " "
                    "(quarterly returns only)."
                )
        notes += [
            "Bands: for each indicator the local authorities are split into four groups of "
            "the same size (quartiles), worked out the same way as DfE's LA Interactive Tool. "
            "A is the best quarter, whichever way is better for that indicator; indicators "
            "where neither higher nor lower is better get no band.",
            "England and region figures of a published year: DfE's own national and regional "
            "rows (file and line on hover and in the XLSX); where DfE publishes none, the "
            "portal computes them from the LAs' summed numerators over summed denominators and "
            "names the LAs left out.",
            "Suppressed and missing values are shown with their meaning, never as 0, and are "
            "left out of bands, ranks and neighbour averages.",
            "LAs are those that existed in the year: a reorganised LA's predecessors "
            "(e.g. Cumbria to March 2023) are shown and banded in their own years.",
        ]
        if self.period.kind == PeriodKind.QUARTER:
            notes.insert(
                0,
                "Quarterly figures: approved returns of the region's LAs only; the region figure "
                "is computed by the portal from them (hover for the LAs left out). England "
                "figures, England bands and statistical-neighbour averages use the "
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
        for key, figure in sorted(self.figures.items()):
            digest.update(f"F{key}|{figure.value}|{figure.source}".encode())
        for period_id in sorted(self.cells):
            for indicator_id in sorted(self.cells[period_id]):
                for la_id, cell in sorted(self.cells[period_id][indicator_id].items()):
                    digest.update(
                        f"V{period_id}|{indicator_id}|{la_id}|{cell.value}|{cell.numerator}|"
                        f"{cell.denominator}|{cell.suppressed}".encode()
                    )
        return digest.hexdigest()


def load_inputs(
    region: Region, period: Period, *, scope: str, indicator_set: str, years: int = TREND_YEARS
) -> ReportInputs:
    """All data for the region's reports on ``period``, in five queries whatever the size.
    ``years``: how many earlier years the trends read (the agreement check reads none)."""
    las = list(
        LocalAuthority.objects.filter(region=region)
        .filter(Q(is_active=True) | Q(existed_until__isnull=False))
        .filter(existed_in_year(period.fiscal_year))
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
    span = years + 1
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
    _load_figures(inputs, region, year_ids)
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


def _load_figures(inputs: ReportInputs, region: Region, year_ids: list[int]) -> None:
    """DfE's own England and region figures of the years the report reads (one query)."""
    rows = PublishedFigure.objects.filter(
        Q(region=region) | Q(region__isnull=True),
        period_id__in=year_ids,
        indicator_id__in=[i.pk for i in inputs.indicators],
    ).values_list(
        "period_id",
        "indicator_id",
        "region_id",
        "value",
        "suppression",
        "suppression_reason",
        "source_file",
        "source_line",
    )
    for period_id, indicator_id, region_id, value, code, reason, name, line in rows:
        source = f"DfE {name}, line {line}" + (f" ({code}: {reason})" if code else "")
        inputs.figures[(period_id, indicator_id, "region" if region_id else "england")] = Aggregate(
            value, "published", 0, 0, source=source
        )


# --- reports -----------------------------------------------------------------------------------


def ofsted_overall(la_ids) -> dict[Hashable, str]:
    """LA id -> its latest Ofsted overall effectiveness with the inspection's month."""
    return {
        la_id: f"{i.get_overall_effectiveness_display()} ({i.inspection_date:%b %Y})"
        for la_id, i in latest_inspections(la_ids).items()
    }


def rug(inputs: ReportInputs, focus_la_id: int | None = None, *, ofsted: bool = False) -> Rug:
    focus = None
    if focus_la_id is not None:
        focus = next((c for c in inputs.las if c.key == focus_la_id), None)
    return build_rug(
        inputs.indicator_data(inputs.period, newest=True),
        title=f"{inputs.region.name} tartan rug",
        period=inputs.period.label,
        scope=inputs.scope,
        region_name=inputs.region.name,
        columns=inputs.las,
        neighbours=inputs.neighbours,
        focus=focus,
        notes=inputs.notes(),
        ofsted=ofsted_overall([c.key for c in inputs.las]) if ofsted else {},
    )


def datapack(inputs: ReportInputs, la_id: int) -> Datapack:
    column = next((c for c in inputs.las if c.key == la_id), None)
    if column is None:  # an LA that did not exist in the period: its trend shows its own years
        la = LocalAuthority.objects.get(pk=la_id)
        column = LaColumn(la.pk, la.name)
        inputs.las.append(column)
    return datapacks(inputs, [column])[0]


def datapacks(inputs: ReportInputs, las: list[LaColumn] | None = None) -> list[Datapack]:
    """The datapacks of ``las`` (default: every LA of the region, a region pack), with the
    region's figures computed once for all of them."""
    series = [
        (p.label, inputs.indicator_data(p, newest=p.pk == inputs.period.pk))
        for p in inputs.trend_periods()
    ]
    if not series or series[-1][0] != inputs.period.label:
        series.append((inputs.period.label, inputs.indicator_data(inputs.period, newest=True)))
    packs = build_datapacks(
        las=inputs.las if las is None else las,
        region_name=inputs.region.name,
        period=inputs.period.label,
        scope=inputs.scope,
        neighbours=inputs.neighbours,
        series=series,
    )
    keys = [c.key for c in (inputs.las if las is None else las)]
    latest = latest_inspections(keys)
    out = []
    for key, pack in zip(keys, packs, strict=True):
        inspection = latest.get(cast(int, key))
        if inspection is None:
            out.append(pack)
            continue
        judgements = (
            ("Overall effectiveness", inspection.get_overall_effectiveness_display()),
            *inspection.sub_judgements,
        )
        when = f"{inspection.inspection_type or 'ILACS inspection'}, {inspection.inspection_date:%-d %B %Y}"
        out.append(replace(pack, ofsted=judgements, ofsted_inspection=when))
    return out
