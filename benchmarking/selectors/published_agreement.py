"""Does the portal show DfE's own England and regional figures? (issue 13's acceptance check)

For every indicator and year of the DfE files, the England and regional figure the portal's
reports show (``compute_rows`` on ``load_inputs``, exactly what the rug and datapack render) is
compared with the file's ``National`` / ``Regional`` row, both rounded to the indicator's
published decimal places. Rates per 10,000 that DfE publishes as counts (referrals, children in
need, child protection plans) are compared with the count over the same-level ONS 0-17
population, as DfE/LAIT compute them. Suppressed national or regional figures are not compared.
Run it with ``manage.py check_published_agreement``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from benchmarking.domain import published
from benchmarking.domain.cells import round_half_up
from benchmarking.domain.computation import IndicatorResult
from benchmarking.domain.reports import compute_rows
from benchmarking.models import Indicator, IndicatorSet, Period, PeriodKind
from regions.models import Region

from .reports import load_inputs

ENGLAND = published.ENGLAND_CODE


@dataclass(frozen=True)
class Pair:
    indicator: str
    fiscal_year: int
    area_code: str  # E92000001 England or an E12 region
    area_name: str
    published: Decimal
    portal: Decimal | None

    @property
    def agrees(self) -> bool:
        return self.portal is not None and self.portal == self.published


def published_figures(
    files: Iterable[tuple[str, str]], places: dict[str, int]
) -> dict[tuple[str, int, str], tuple[str, Decimal]]:
    """(indicator, fiscal year, area code) -> (area name, DfE's figure) from the files'
    national and regional rows, rounded to the indicator's decimal places."""
    from benchmarking.services.published import _read_published_csv  # the same reader

    records: list[published.Record] = []
    population: dict[tuple[str, int], Decimal] = {}
    for name, text in files:
        fmt, reader = _read_published_csv(name, text)
        for item in published.parse_rows(reader, fmt):
            if isinstance(item, published.Skip) or item.is_la:
                continue
            if item.level == published.REGIONAL_LEVEL and not item.region_code.startswith("E12"):
                continue  # Inner/Outer London: the portal's regions are the nine ONS ones
            if item.indicator == "POP_0_17" and item.value:
                population[(item.area_code, item.fiscal_year)] = item.value
            records.append(item)
    figures = {}
    for item in records:
        if item.indicator not in places:
            continue
        value = item.value
        if item.needs_population:
            pop = population.get((item.area_code, item.fiscal_year))
            if pop is None or item.numerator is None:
                continue
            value = item.numerator / pop * 10000
        if value is None:
            continue
        key = (item.indicator, item.fiscal_year, item.area_code)
        figures[key] = (
            item.la_name,
            value.quantize(Decimal(1).scaleb(-places[item.indicator]), ROUND_HALF_UP),
        )
    return figures


def portal_figures(years: Iterable[int]) -> dict[tuple[str, int, str], Decimal | None]:
    """(indicator, fiscal year, area code) -> the figure the annual reports show."""
    out: dict[tuple[str, int, str], Decimal | None] = {}
    periods = Period.objects.filter(kind=PeriodKind.YEAR, fiscal_year__in=list(years))
    for period in periods:
        for region in Region.objects.order_by("code"):
            inputs = load_inputs(
                region, period, scope="england", indicator_set=IndicatorSet.ALL.value, years=0
            )
            rows = compute_rows(
                inputs.indicator_data(period),
                columns=inputs.las,
                scope="england",
                neighbours=inputs.neighbours,
            )
            for item, computed in rows:
                result = cast(IndicatorResult, computed)
                code, places = item.info.spec.code, item.info.spec.decimal_places
                out[(code, period.fiscal_year, region.code)] = round_half_up(
                    result.region.value, places
                )
                out[(code, period.fiscal_year, ENGLAND)] = round_half_up(
                    result.england.value, places
                )
    return out


def agreement(files: list[tuple[str, str]]) -> list[Pair]:
    places = dict(
        Indicator.objects.filter(region__isnull=True).values_list("code", "decimal_places")
    )
    expected = published_figures(files, places)
    shown = portal_figures({year for _, year, _ in expected})
    return [
        Pair(code, year, area, name, value, shown.get((code, year, area)))
        for (code, year, area), (name, value) in sorted(expected.items())
    ]


def agreement_lines(pairs: list[Pair]) -> list[str]:
    """A table: per indicator, pairs that agree of pairs compared, and a few that do not."""
    total: Counter = Counter()
    agree: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for pair in pairs:
        total[pair.indicator] += 1
        if pair.agrees:
            agree[pair.indicator] += 1
        elif len(examples[pair.indicator]) < 3:
            examples[pair.indicator].append(
                f"{pair.area_name} {pair.fiscal_year}: DfE {pair.published}, portal {pair.portal}"
            )
    lines = [f"{'indicator':<22} agree / pairs   e.g. differing"]
    for code in sorted(total):
        lines.append(
            f"{code:<22} {agree[code]:>5} / {total[code]:<5}   " + "; ".join(examples[code])
        )
    lines.append(f"{'TOTAL':<22} {sum(agree.values()):>5} / {sum(total.values()):<5}")
    return lines
