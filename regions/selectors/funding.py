"""Reads for a plan's funding: contributions per year, totals per source, LAs yet to pay."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import (
    FundingContribution,
    FundingSource,
    FundingStatus,
    LocalAuthority,
    Plan,
    financial_year_label,
)


@dataclass
class FundingYear:
    year: int
    label: str
    contributions: list = field(default_factory=list)
    total: Decimal = Decimal("0")
    received: Decimal = Decimal("0")
    by_source: dict[str, Decimal] = field(default_factory=dict)
    unpaid_las: list = field(default_factory=list)


@dataclass
class FundingSummary:
    years: list[FundingYear]
    by_source: list[tuple[str, Decimal]]
    total: Decimal
    received: Decimal


def funding_summary(*, plan: Plan) -> FundingSummary:
    """Contributions per financial year, totals per year and source, and LAs yet to pay."""
    contributions = list(
        FundingContribution.objects.filter(plan=plan)
        .select_related("local_authority")
        .order_by("financial_year", "source", "local_authority__name", "pk")
    )
    las = list(
        LocalAuthority.objects.filter(region_id=plan.region_id, is_active=True).order_by("name")
    )
    labels = dict(FundingSource.choices)
    years = {y: FundingYear(year=y, label=financial_year_label(y)) for y in plan.financial_years}
    source_totals: dict[str, Decimal] = defaultdict(Decimal)
    paid: dict[int, set[int]] = defaultdict(set)
    for c in contributions:
        year = years.setdefault(
            c.financial_year, FundingYear(year=c.financial_year, label=c.year_label)
        )
        year.contributions.append(c)
        year.total += c.amount
        label = labels[c.source]
        year.by_source[label] = year.by_source.get(label, Decimal("0")) + c.amount
        source_totals[label] += c.amount
        if c.status == FundingStatus.RECEIVED:
            year.received += c.amount
            if c.local_authority_id:
                paid[c.financial_year].add(c.local_authority_id)
    for year in years.values():
        year.unpaid_las = [la for la in las if la.pk not in paid[year.year]]
    ordered = [years[y] for y in sorted(years)]
    return FundingSummary(
        years=ordered,
        by_source=[
            (label, source_totals[label])
            for _, label in FundingSource.choices
            if label in source_totals
        ],
        total=sum((y.total for y in ordered), Decimal("0")),
        received=sum((y.received for y in ordered), Decimal("0")),
    )
