"""Benchmarking arithmetic: pure functions over plain data (no ORM, no Django).

Everything the tartan rug, the datapack and the exception report show is computed here, so the
same numbers appear on the page, in the XLSX/CSV/PDF and in the tests.

Methods (and where they come from)
----------------------------------
* **Missing and suppressed values stay missing.** A value is either a number, *suppressed*
  (DfE codes ``c``, ``x``, ``z``, ``u``, ``k``, ``low`` or a reason given in a return) or
  *missing* (nothing returned). Neither is ever treated as zero: they are left out of
  aggregates, quartiles, ranks and averages, and shown as such.
* **Region and England figures** of a published year are DfE's own national and regional
  rows, stored at import with their file and line (``method="published"``), never recomputed.
  Only what DfE does not publish (a quarter's region figure from the region's returns) is
  computed, as published statistics are: from the summed
  numerators and summed denominators of the LAs that have *both* (a rate per 10,000 is
  ``sum(children) / sum(population 0-17) * 10,000``; a percentage ``sum(num) / sum(den) * 100``).
  An LA whose numerator or denominator is suppressed is left out of both sums, and the report
  names the LAs left out.
  For indicators without a numerator and denominator, a count is summed and any other unit
  (days, ratios, caseloads) is the unweighted mean of the LAs' values; the figure is then marked
  ``method="mean"`` so the report can say so.
* **Statistical-neighbour average** = simple mean of the values of the LA's (up to) 10
  neighbours, skipping neighbours with no value (LAIT's method). No neighbour with a value ->
  no average.
* **Quartiles** use R's default ``quantile()`` (type 7, Hyndman & Fan 1996): for sorted values
  ``x[1..n]`` and probability ``p``, ``h = (n - 1) * p + 1`` and
  ``Q(p) = x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])``. LAIT computes its
  quartile bands this way over all LAs' latest values.
* **Bands** follow LAIT's ``calculate_quartile_band``: intervals closed on the right,
  ``[Q0, Q1]``, ``(Q1, Q2]``, ``(Q2, Q3]``, ``(Q3, Q4]``. With polarity *low is good* they are
  A, B, C, D; with *high is good* D, C, B, A; so band A is always the best quartile. Indicators
  with no judgement get no band. Equal values always fall in the same band. When fewer than two
  distinct values exist there is nothing to compare and no band is given.
* **Rank** (1 = best): competition ranking ("1224") by polarity; equal values share a rank.
  For no-judgement indicators rank is the position from the highest value and carries no
  judgement.
* **Exception flags**: a value is in the *top 20%* when it is at least as good as the type-7
  80th percentile (in the direction of polarity) and in the *bottom 20%* when it is at least as
  bad as the 20th percentile. No flags for no-judgement indicators.
* **Change** compares a quarter with the same quarter a year earlier (or a year with the year
  before); its direction is up/down/same and, through polarity, better/worse/no judgement.
* Rounding for display is half-up to the indicator's decimal places (DfE's convention).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

# The values computed with (reports import everything from here).
from .cells import (
    BAND_MEANING,
    MISSING,
    SUPPRESSION_CODES,
    Band,
    Cell,
    IndicatorSpec,
    Polarity,
    Status,
    format_value,
    parse_cell,
    round_half_up,
)

__all__ = [
    "BAND_MEANING",
    "EXCEPTION_FRACTION",
    "MISSING",
    "SUPPRESSION_CODES",
    "Aggregate",
    "Band",
    "Cell",
    "Change",
    "Direction",
    "Flag",
    "IndicatorResult",
    "IndicatorSpec",
    "Judgement",
    "LaResult",
    "Polarity",
    "Quartiles",
    "Status",
    "SummaryInput",
    "aggregate",
    "band_for",
    "band_ranges",
    "change",
    "compute_indicator",
    "exception_flag",
    "format_value",
    "neighbour_average",
    "parse_cell",
    "quantile_type7",
    "quartiles",
    "ranks",
    "round_half_up",
    "summarise",
]


# --- aggregates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    value: Decimal | None
    method: str  # "ratio" (summed numerators / denominators), "sum", "mean" or "none"
    included: int  # LAs that contributed
    excluded: int  # LAs with no usable value (missing or suppressed)
    # Where a "published" figure was read (DfE file and line), or how it was computed
    source: str = ""

    @property
    def cell(self) -> Cell:
        return Cell(value=self.value)


def aggregate(spec: IndicatorSpec, cells: Iterable[Cell]) -> Aggregate:
    """A region's or England's figure from its LAs' cells (see the module docstring)."""
    cells = list(cells)
    if spec.multiplier is not None:
        usable = [c for c in cells if c.has_ratio]
        if usable:
            num = sum((c.numerator for c in usable), Decimal(0))
            den = sum((c.denominator for c in usable), Decimal(0))
            return Aggregate(
                num / den * spec.multiplier, "ratio", len(usable), len(cells) - len(usable)
            )
        # no numerators/denominators returned: fall through to the documented fallback
    usable = [c for c in cells if c.has_value]
    if not usable:
        return Aggregate(None, "none", 0, len(cells))
    total = sum((c.value for c in usable), Decimal(0))
    if spec.is_count:
        return Aggregate(total, "sum", len(usable), len(cells) - len(usable))
    return Aggregate(total / len(usable), "mean", len(usable), len(cells) - len(usable))


def neighbour_average(
    neighbours: Sequence[Hashable], cells: Mapping[Hashable, Cell]
) -> Decimal | None:
    """Mean of the neighbours' values, skipping those with none (LAIT's SN average)."""
    values = [cells[n].value for n in neighbours if n in cells and cells[n].has_value]
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


# --- quartiles and bands -----------------------------------------------------------------------


def quantile_type7(values: Sequence[Decimal], p: Decimal | float | str) -> Decimal:
    """R's default quantile (type 7) of ``values`` at probability ``p`` (0 <= p <= 1)."""
    if not values:
        raise ValueError("quantile of no values")
    p = Decimal(str(p))
    if not Decimal(0) <= p <= Decimal(1):
        raise ValueError("p must be between 0 and 1")
    xs = sorted(values)
    h = (len(xs) - 1) * p  # zero-based position
    lo = int(h)  # floor: h >= 0
    frac = h - lo
    if lo + 1 >= len(xs):
        return xs[-1]
    return xs[lo] + frac * (xs[lo + 1] - xs[lo])


@dataclass(frozen=True)
class Quartiles:
    q0: Decimal
    q1: Decimal
    q2: Decimal
    q3: Decimal
    q4: Decimal
    n: int

    @property
    def cuts(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
        return (self.q0, self.q1, self.q2, self.q3, self.q4)


def quartiles(values: Iterable[Decimal | None]) -> Quartiles | None:
    xs = [v for v in values if v is not None]
    if len(set(xs)) < 2:
        return None
    q = [quantile_type7(xs, p) for p in ("0", "0.25", "0.5", "0.75", "1")]
    return Quartiles(*q, n=len(xs))


def band_for(spec: IndicatorSpec, value: Decimal | None, qs: Quartiles | None) -> Band | None:
    """LAIT's banding, mapped through polarity so that A is always the best quartile."""
    if value is None or qs is None or not spec.bands_apply:
        return None
    if value <= qs.q1:
        position = 0
    elif value <= qs.q2:
        position = 1
    elif value <= qs.q3:
        position = 2
    else:
        position = 3
    order = (Band.A, Band.B, Band.C, Band.D)
    if spec.polarity is Polarity.HIGH:
        order = order[::-1]
    return order[position]


def band_ranges(spec: IndicatorSpec, qs: Quartiles | None) -> dict[Band, tuple[Decimal, Decimal]]:
    """The value range of each band (for legends and tooltips)."""
    if qs is None or not spec.bands_apply:
        return {}
    ranges = [(qs.q0, qs.q1), (qs.q1, qs.q2), (qs.q2, qs.q3), (qs.q3, qs.q4)]
    order = [Band.A, Band.B, Band.C, Band.D]
    if spec.polarity is Polarity.HIGH:
        order.reverse()
    return dict(zip(order, ranges, strict=True))


def ranks(spec: IndicatorSpec, values: Mapping[Hashable, Decimal | None]) -> dict[Hashable, int]:
    """Competition rank, 1 = best (or highest for no-judgement); missing values unranked."""
    present = {k: v for k, v in values.items() if v is not None}
    descending = spec.polarity is not Polarity.LOW
    ordered = sorted(present.values(), reverse=descending)
    first_position: dict[Decimal, int] = {}
    for i, v in enumerate(ordered, start=1):
        first_position.setdefault(v, i)
    return {k: first_position[v] for k, v in present.items()}


class Flag(StrEnum):
    TOP = "top"
    BOTTOM = "bottom"

    @property
    def label(self) -> str:
        return "Top 20%" if self is Flag.TOP else "Bottom 20%"


EXCEPTION_FRACTION = Decimal("0.2")


def exception_flag(
    spec: IndicatorSpec,
    value: Decimal | None,
    values: Iterable[Decimal | None],
    fraction: Decimal = EXCEPTION_FRACTION,
) -> Flag | None:
    """Top or bottom ``fraction`` of ``values`` in the direction of polarity, else None."""
    if value is None or not spec.has_judgement:
        return None
    xs = [v for v in values if v is not None]
    if len(set(xs)) < 2:
        return None
    low_cut = quantile_type7(xs, fraction)
    high_cut = quantile_type7(xs, 1 - fraction)
    if value >= high_cut:
        return Flag.TOP if spec.polarity is Polarity.HIGH else Flag.BOTTOM
    if value <= low_cut:
        return Flag.BOTTOM if spec.polarity is Polarity.HIGH else Flag.TOP
    return None


# --- change over time --------------------------------------------------------------------------


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


class Judgement(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Change:
    delta: Decimal
    direction: Direction
    judgement: Judgement

    @property
    def arrow(self) -> str:
        return {"up": "\u2191", "down": "\u2193", "same": "\u2192"}[self.direction]

    def describe(self, places: int) -> str:
        if self.direction is Direction.SAME:
            return "no change on a year earlier"
        amount = round_half_up(abs(self.delta), places)
        verb = "up" if self.direction is Direction.UP else "down"
        judged = "" if self.judgement is Judgement.NEUTRAL else f" ({self.judgement})"
        return f"{verb} {amount} on a year earlier{judged}"


def change(spec: IndicatorSpec, current: Cell, previous: Cell) -> Change | None:
    """Change against the same quarter (or year) a year earlier; None if either is missing.

    Values are compared at the indicator's display precision so that a change invisible in
    the table does not show an arrow.
    """
    if not (current.has_value and previous.has_value):
        return None
    now = round_half_up(current.value, spec.decimal_places)
    before = round_half_up(previous.value, spec.decimal_places)
    delta = now - before
    if delta == 0:
        return Change(delta, Direction.SAME, Judgement.NEUTRAL)
    direction = Direction.UP if delta > 0 else Direction.DOWN
    if spec.polarity is Polarity.NONE:
        judgement = Judgement.NEUTRAL
    elif (direction is Direction.UP) == (spec.polarity is Polarity.HIGH):
        judgement = Judgement.BETTER
    else:
        judgement = Judgement.WORSE
    return Change(delta, direction, judgement)


# --- one indicator across a set of LAs ---------------------------------------------------------


@dataclass(frozen=True)
class LaResult:
    key: Hashable
    cell: Cell
    band: Band | None
    rank: int | None
    rank_of: int
    neighbour_average: Decimal | None
    change: Change | None
    flag: Flag | None

    def comparison(
        self, spec: IndicatorSpec, region: Decimal | None, england: Decimal | None
    ) -> str:
        """Plain words comparing the value with region, England and neighbours."""
        if not self.cell.has_value:
            return format_value(self.cell, spec.decimal_places)
        parts = []
        for label, other in (
            ("region", region),
            ("England", england),
            ("neighbours", self.neighbour_average),
        ):
            if other is None:
                continue
            mine = round_half_up(self.cell.value, spec.decimal_places)
            theirs = round_half_up(other, spec.decimal_places)
            if mine == theirs:
                parts.append(f"same as {label}")
            else:
                parts.append(
                    f"{'above' if mine > theirs else 'below'} {label} ({format_value(other, spec.decimal_places)})"
                )
        return "; ".join(parts)


@dataclass(frozen=True)
class IndicatorResult:
    spec: IndicatorSpec
    las: dict[Hashable, LaResult]
    region: Aggregate
    england: Aggregate
    quartiles: Quartiles | None
    band_ranges: dict[Band, tuple[Decimal, Decimal]] = field(default_factory=dict)


def compute_indicator(
    spec: IndicatorSpec,
    *,
    shown: Sequence[Hashable],
    region_cells: Mapping[Hashable, Cell],
    england_cells: Mapping[Hashable, Cell],
    scope: str = "region",
    previous: Mapping[Hashable, Cell] | None = None,
    neighbours: Mapping[Hashable, Sequence[Hashable]] | None = None,
    neighbour_cells: Mapping[Hashable, Cell] | None = None,
    region_figure: Aggregate | None = None,
    england_figure: Aggregate | None = None,
) -> IndicatorResult:
    """Everything the reports show for one indicator and period.

    ``shown`` are the LAs to report on (a region's LAs); ``region_cells`` their cells;
    ``england_cells`` the cells of all LAs whose values form the England distribution.
    ``scope`` chooses whether bands, ranks and exception flags are against the region or
    England. ``region_figure``/``england_figure`` override the computed aggregates (e.g. a
    published England figure for a period in which only the region's LAs returned data).
    """
    previous = previous or {}
    neighbours = neighbours or {}
    neighbour_cells = neighbour_cells if neighbour_cells is not None else england_cells
    base = england_cells if scope == "england" else region_cells
    base_values = {k: c.value for k, c in base.items() if c.has_value}
    qs = quartiles(base_values.values())
    # an LA outside the distribution (e.g. a quarterly value against an annual England spread)
    # is ranked among it as if it were part of it
    rank_values = dict(base_values)
    region = region_figure or aggregate(spec, region_cells.values())
    england = england_figure or aggregate(spec, england_cells.values())
    results = {}
    for key in shown:
        cell = region_cells.get(key, MISSING)
        value = cell.value if cell.has_value else None
        if value is not None:
            rank_values[key] = value
        else:
            rank_values.pop(key, None)
        rank = ranks(spec, rank_values).get(key) if value is not None else None
        results[key] = LaResult(
            key=key,
            cell=cell,
            band=band_for(spec, value, qs),
            rank=rank,
            rank_of=len(rank_values) if value is not None else len(base_values),
            neighbour_average=neighbour_average(neighbours.get(key, ()), neighbour_cells),
            change=change(spec, cell, previous.get(key, MISSING)),
            flag=exception_flag(spec, value, base_values.values()),
        )
        rank_values = dict(base_values)
    return IndicatorResult(
        spec=spec,
        las=results,
        region=region,
        england=england,
        quartiles=qs,
        band_ranges=band_ranges(spec, qs),
    )


# --- generated summary -------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryInput:
    name: str
    band: Band | None
    flag: Flag | None
    change: Change | None
    has_value: bool = True


def summarise(items: Iterable[SummaryInput], *, limit: int = 4) -> list[str]:
    """A few plain sentences on strengths, concerns and movement for a datapack."""
    items = list(items)
    strengths = [
        i.name for i in items if i.flag is Flag.TOP or (i.flag is None and i.band is Band.A)
    ]
    concerns = [
        i.name for i in items if i.flag is Flag.BOTTOM or (i.flag is None and i.band is Band.D)
    ]
    better = [i.name for i in items if i.change and i.change.judgement is Judgement.BETTER]
    worse = [i.name for i in items if i.change and i.change.judgement is Judgement.WORSE]

    def listed(names):
        names = names[:limit] + ([f"{len(names) - limit} more"] if len(names) > limit else [])
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    sentences = []
    if strengths:
        sentences.append(f"Strengths (best quartile or top 20%): {listed(strengths)}.")
    if concerns:
        sentences.append(f"Outliers to look at (worst quartile or bottom 20%): {listed(concerns)}.")
    if better:
        sentences.append(f"Improved on a year earlier: {listed(better)}.")
    if worse:
        sentences.append(f"Worse than a year earlier: {listed(worse)}.")
    if not sentences and not any(i.has_value for i in items):
        sentences.append(
            "There is no data for this period: no approved return and no published figures."
        )
    elif not sentences:
        sentences.append(
            "No indicator stands out: every value with a band is in the middle two quartiles, "
            "and none changed much on a year earlier."
        )
    return sentences
