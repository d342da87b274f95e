"""Plain report structures (no ORM): what a tartan rug, a datapack and an exception report show.

Selectors (``selectors/reports.py``) load rows from the database and call the builders here; the
page, the XLSX, the CSV and the PDF (``domain/exports.py``) all render these same structures, so
they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from benchmarking.domain.computation import (
    BAND_MEANING,
    Aggregate,
    Band,
    Cell,
    Change,
    Flag,
    IndicatorSpec,
    LaResult,
    SummaryInput,
    compute_indicator,
    format_value,
    neighbour_average,
    round_half_up,
    summarise,
)

# Colour-blind-safe diverging palette (ColorBrewer "BrBG"-like blue / orange ends, checked for
# deuteranopia and protanopia), with text colours meeting WCAG AA contrast on each. Colour is
# never the only cue: every banded cell also carries its band letter and a triangle shape.
BAND_STYLE = {
    Band.A: {"fill": "08519C", "text": "FFFFFF", "shape": "\u25b2", "css": "band-a"},
    Band.B: {"fill": "C6DBEF", "text": "000000", "shape": "\u25b3", "css": "band-b"},
    Band.C: {"fill": "FDD0A2", "text": "000000", "shape": "\u25bd", "css": "band-c"},
    Band.D: {"fill": "A63603", "text": "FFFFFF", "shape": "\u25bc", "css": "band-d"},
}


@dataclass(frozen=True)
class LaColumn:
    key: Hashable
    name: str


@dataclass(frozen=True)
class IndicatorInfo:
    spec: IndicatorSpec
    name: str
    theme: str
    unit: str

    @property
    def code(self) -> str:
        return self.spec.code


@dataclass(frozen=True)
class RugCell:
    la_name: str
    text: str
    value: Decimal | None
    status: str
    band: Band | None
    rank: int | None
    rank_of: int
    comparison: str
    change: Change | None
    change_text: str
    flag: Flag | None
    neighbours_value: Decimal | None = None

    @property
    def style(self) -> dict:
        return BAND_STYLE.get(self.band, {}) if self.band else {}

    @property
    def band_label(self) -> str:
        return f"Band {self.band} ({BAND_MEANING[self.band]})" if self.band else "No band"

    @property
    def tooltip(self) -> str:
        parts = [f"{self.la_name}: {self.text}", self.band_label]
        if self.rank:
            parts.append(f"rank {self.rank} of {self.rank_of}")
        if self.comparison and self.status == "value":
            parts.append(self.comparison)
        if self.change_text:
            parts.append(self.change_text)
        return "; ".join(parts)


@dataclass(frozen=True)
class RugRow:
    indicator: IndicatorInfo
    england: str
    region: str
    neighbours: str
    cells: list[RugCell]
    england_value: Decimal | None = None
    region_value: Decimal | None = None
    neighbours_value: Decimal | None = None
    aggregate_method: str = "ratio"
    england_source: str = ""
    region_source: str = ""
    period_label: str = ""


@dataclass(frozen=True)
class RugGroup:
    theme: str
    rows: list[RugRow]


@dataclass(frozen=True)
class Rug:
    title: str
    period: str
    scope: str  # "region" or "england"
    region_name: str
    focus_name: str  # whose statistical neighbours the pinned column averages
    columns: list[LaColumn]
    groups: list[RugGroup]
    notes: list[str] = field(default_factory=list)
    # LA key -> latest Ofsted overall effectiveness (the optional Ofsted row); empty if off
    ofsted: dict[Hashable, str] = field(default_factory=dict)

    @property
    def scope_label(self) -> str:
        return "England" if self.scope == "england" else self.region_name

    @property
    def rows(self) -> list[RugRow]:
        return [row for group in self.groups for row in group.rows]


def _rug_cell(
    info: IndicatorInfo, la_name: str, result: LaResult, region: Aggregate, england: Aggregate
) -> RugCell:
    places = info.spec.decimal_places
    return RugCell(
        la_name=la_name,
        text=format_value(result.cell, places),
        value=round_half_up(result.cell.value, places) if result.cell.has_value else None,
        status=str(result.cell.status),
        band=result.band,
        rank=result.rank,
        rank_of=result.rank_of,
        comparison=result.comparison(info.spec, region.value, england.value),
        change=result.change,
        change_text=result.change.describe(places) if result.change else "",
        flag=result.flag,
        neighbours_value=round_half_up(result.neighbour_average, places),
    )


def figure_source(figure: Aggregate, area: str, columns: Sequence[LaColumn], result) -> str:
    """How a region or England figure was obtained, for hover text and the XLSX."""
    if figure.method == "published":
        return f"{area}: {figure.source}"
    if figure.method == "none":
        return f"{area}: no figure (no LA has a value)"
    how = {
        "ratio": "summed numerators over summed denominators",
        "sum": "sum of LA values",
        "mean": "mean of LA values",
    }.get(figure.method, figure.method)
    text = f"{area}: computed by the portal ({how}) from {figure.included} LAs"
    if area != "England":
        left_out = [c.name for c in columns if not result.las[c.key].cell.has_value]
        if left_out:
            text += "; left out (no value): " + ", ".join(left_out)
    elif figure.excluded:
        text += f"; {figure.excluded} LAs left out (no value)"
    return text


@dataclass(frozen=True)
class IndicatorData:
    """Everything loaded for one indicator and period (plain data, from the selectors)."""

    info: IndicatorInfo
    region_cells: Mapping[Hashable, Cell]
    england_cells: Mapping[Hashable, Cell]
    previous: Mapping[Hashable, Cell] = field(default_factory=dict)
    england_figure: Aggregate | None = None
    region_figure: Aggregate | None = None
    note: str = ""
    # DfE's label of the period the row's figures are for ("snapshot 30 September 2025")
    period_label: str = ""


def compute_rows(
    data: Sequence[IndicatorData],
    *,
    columns: Sequence[LaColumn],
    scope: str,
    neighbours: Mapping[Hashable, Sequence[Hashable]],
) -> list[tuple[IndicatorData, object]]:
    keys = [c.key for c in columns]
    return [
        (
            item,
            compute_indicator(
                item.info.spec,
                shown=keys,
                region_cells=item.region_cells,
                england_cells=item.england_cells,
                scope=scope,
                previous=item.previous,
                neighbours=neighbours,
                england_figure=item.england_figure,
                region_figure=item.region_figure,
            ),
        )
        for item in data
    ]


def build_rug(
    data: Sequence[IndicatorData],
    *,
    title: str,
    period: str,
    scope: str,
    region_name: str,
    columns: Sequence[LaColumn],
    neighbours: Mapping[Hashable, Sequence[Hashable]],
    focus: LaColumn | None = None,
    notes: Sequence[str] = (),
    ofsted: Mapping[Hashable, str] | None = None,
) -> Rug:
    groups: dict[str, list[RugRow]] = {}
    for item, result in compute_rows(data, columns=columns, scope=scope, neighbours=neighbours):
        places = item.info.spec.decimal_places
        focus_sn = (
            neighbour_average(neighbours.get(focus.key, ()), item.england_cells) if focus else None
        )
        groups.setdefault(item.info.theme, []).append(
            RugRow(
                indicator=item.info,
                england=format_value(result.england.value, places),
                region=format_value(result.region.value, places),
                neighbours=format_value(focus_sn, places) if focus else "",
                england_value=round_half_up(result.england.value, places),
                region_value=round_half_up(result.region.value, places),
                neighbours_value=round_half_up(focus_sn, places),
                aggregate_method=result.region.method,
                period_label=item.period_label,
                england_source=figure_source(result.england, "England", columns, result),
                region_source=figure_source(result.region, region_name, columns, result),
                cells=[
                    _rug_cell(
                        item.info, col.name, result.las[col.key], result.region, result.england
                    )
                    for col in columns
                ],
            )
        )
    return Rug(
        title=title,
        period=period,
        scope=scope,
        region_name=region_name,
        focus_name=focus.name if focus else "",
        columns=list(columns),
        groups=[RugGroup(theme, rows) for theme, rows in groups.items()],
        notes=list(notes),
        ofsted=dict(ofsted or {}),
    )


# --- datapack ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    label: str
    la: Decimal | None
    neighbours: Decimal | None
    region: Decimal | None
    england: Decimal | None


@dataclass(frozen=True)
class DatapackItem:
    indicator: IndicatorInfo
    latest: RugCell
    region: str
    england: str
    neighbours: str
    trend: list[TrendPoint]


@dataclass(frozen=True)
class Datapack:
    la_name: str
    region_name: str
    period: str
    scope: str
    summary: list[str]
    items: list[DatapackItem]
    # (Ofsted heading, judgement) of the LA's latest ILACS inspection, and its date/type
    ofsted: tuple[tuple[str, str], ...] = ()
    ofsted_inspection: str = ""


def build_datapacks(
    *,
    las: Sequence[LaColumn],
    region_name: str,
    period: str,
    scope: str,
    neighbours: Mapping[Hashable, Sequence[Hashable]],
    series: Sequence[tuple[str, Sequence[IndicatorData]]],
) -> list[Datapack]:
    """The datapacks of several LAs of the same region and period (a region pack).

    Each period's quartiles and aggregates are computed once for all of ``las``, and only the
    results of ``las`` are computed, instead of the whole region's once for every LA."""
    computed = [
        (label, compute_rows(data, columns=las, scope=scope, neighbours=neighbours))
        for label, data in series
    ]
    latest_label, latest = computed[-1]
    packs = []
    for la in las:
        trends: dict[str, list[TrendPoint]] = {}
        for label, rows in computed:
            for item, result in rows:
                mine = result.las.get(la.key)
                points = trends.setdefault(item.info.code, [])
                point_label = item.period_label or label  # DfE's label of a published year
                if any(p.label == point_label for p in points):
                    continue  # the latest year fell back to one already shown
                points.append(
                    TrendPoint(
                        label=point_label,
                        la=mine.cell.value if mine and mine.cell.has_value else None,
                        neighbours=mine.neighbour_average if mine else None,
                        region=result.region.value,
                        england=result.england.value,
                    )
                )
        items = []
        summary_inputs = []
        for item, result in latest:
            places = item.info.spec.decimal_places
            mine = result.las[la.key]
            cell = _rug_cell(item.info, la.name, mine, result.region, result.england)
            items.append(
                DatapackItem(
                    indicator=item.info,
                    latest=cell,
                    region=format_value(result.region.value, places),
                    england=format_value(result.england.value, places),
                    neighbours=format_value(mine.neighbour_average, places),
                    trend=trends.get(item.info.code, []),
                )
            )
            summary_inputs.append(
                SummaryInput(
                    item.info.name,
                    mine.band,
                    mine.flag,
                    mine.change,
                    has_value=mine.cell.has_value,
                )
            )
        packs.append(
            Datapack(
                la_name=la.name,
                region_name=region_name,
                period=latest_label or period,
                scope=scope,
                summary=summarise(summary_inputs),
                items=items,
            )
        )
    return packs


# --- exception report --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExceptionFlag:
    la_key: Hashable
    la_name: str
    indicator: IndicatorInfo
    flag: Flag
    cell: RugCell


def exception_flags(
    data: Sequence[IndicatorData],
    *,
    columns: Sequence[LaColumn],
    scope: str,
    neighbours: Mapping[Hashable, Sequence[Hashable]],
) -> list[ExceptionFlag]:
    flags = []
    for item, result in compute_rows(data, columns=columns, scope=scope, neighbours=neighbours):
        for col in columns:
            mine = result.las[col.key]
            if mine.flag:
                flags.append(
                    ExceptionFlag(
                        la_key=col.key,
                        la_name=col.name,
                        indicator=item.info,
                        flag=mine.flag,
                        cell=_rug_cell(item.info, col.name, mine, result.region, result.england),
                    )
                )
    return flags
