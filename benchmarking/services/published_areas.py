"""Storing DfE's national and regional rows as England and region figures (``PublishedFigure``).

Called by ``published.published_data_import`` inside its transaction (module-private helpers;
the public service there checks the permission).
"""

from decimal import Decimal

from regions.models import Region

from ..domain import published
from ..models import Indicator, Period, PublishedFigure

# (area code, fiscal year, indicator code) -> (file name, record)
AreaRecords = dict[tuple[str, int, str], tuple[str, published.Record]]
FIELDS = [
    "value",
    "numerator",
    "denominator",
    "suppression",
    "suppression_reason",
    "source_file",
    "source_line",
]


def _area_population(records: AreaRecords, periods: dict[int, Period]) -> dict:
    """(area code, fiscal year) -> children aged 0-17, from this import or stored figures."""
    population = {
        (area, year): item.value
        for (area, year, code), (_, item) in records.items()
        if code == "POP_0_17" and item.value
    }
    stored = PublishedFigure.objects.filter(
        indicator__code="POP_0_17", period__in=periods.values(), value__gt=0
    ).values_list("region__code", "period__fiscal_year", "value")
    for region_code, year, value in stored:
        if value is not None:
            population.setdefault((region_code or published.ENGLAND_CODE, year), value)
    return population


def _figure_fields(item: published.Record, indicator: Indicator, population: dict) -> dict | None:
    value, numerator, denominator = item.value, item.numerator, item.denominator
    if item.needs_population:
        pop = population.get((item.area_code, item.fiscal_year))
        if pop is None or numerator is None:
            return None
        denominator = pop
        assert indicator.multiplier is not None  # a rate from a count
        value = numerator / pop * indicator.multiplier
    if value is None:
        code = item.suppression or "x"
        return {
            "value": None,
            "numerator": None,
            "denominator": None,
            "suppression": code,
            "suppression_reason": published.SUPPRESSION_CODES[code],
        }
    return {
        "value": Decimal(value).quantize(Decimal("0.0001")),
        "numerator": numerator,
        "denominator": denominator,
        "suppression": "",
        "suppression_reason": "",
    }


def _store_area_figures(
    records: AreaRecords, periods: dict[int, Period], indicators: dict[str, Indicator]
) -> tuple[int, int, int, list[str]]:
    """Upsert the figures; returns (created, updated, unchanged, problems)."""
    regions = {r.code: r for r in Region.objects.all()}
    population = _area_population(records, periods)
    existing = {
        (f.indicator_id, f.period_id, f.region_id): f
        for f in PublishedFigure.objects.filter(period__in=periods.values())
    }
    to_create, to_update, unchanged, problems = [], [], 0, []
    for (area, year, code), (name, item) in records.items():
        region = regions.get(area)
        if area != published.ENGLAND_CODE and region is None:
            continue  # Inner / Outer London: not a portal region (counted by the caller)
        fields = _figure_fields(item, indicators[code], population)
        if fields is None:
            problems.append(f"{code} {item.la_name} {year}")
            continue
        fields |= {"source_file": name, "source_line": item.line}
        key = (indicators[code].pk, periods[year].pk, region.pk if region else None)
        current = existing.get(key)
        if current is None:
            to_create.append(
                PublishedFigure(
                    indicator=indicators[code], period=periods[year], region=region, **fields
                )
            )
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            to_update.append(current)
        else:
            unchanged += 1
    PublishedFigure.objects.bulk_create(to_create, batch_size=2000)
    PublishedFigure.objects.bulk_update(to_update, FIELDS, batch_size=2000)
    return len(to_create), len(to_update), unchanged, problems
