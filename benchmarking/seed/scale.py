"""England-scale benchmarking data for `seed_scale`: the indicator catalogue, DfE's published
annual figures for every LA (the real import of the shipped files), and 40 quarters of quarterly
returns for all 153 LAs (18 core indicators each, ~110,000 values).

Quarterly values are derived from each LA's latest published figures: a per-LA trend over the
ten years plus a little noise per quarter and indicator, so rugs and trends look like real data.
Cross-field rules (re-referrals <= referrals, ...) and numerator <= denominator hold, so the
values would pass the upload validation. Quarters up to the one before last are locked; the
one before last is approved or locked; the newest (its window open today) is mixed: not started,
draft (half filled), submitted, approved. Written with bulk_create (no report rebuild signals,
no history rows: seed data has no earlier versions).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from sli_portal.access import SYSTEM
from sli_portal.scale import ScaleContext

from .. import catalogue, services
from ..domain.periods import default_window_dates
from ..domain.published import published_files_default
from ..models import (
    Indicator,
    Return,
    ReturnWindow,
    Source,
    Status,
    Suppression,
    Unit,
    Value,
    period_for_quarter,
)
from .demo import latest_published, quarters_to_build

QUARTERS = 40
BATCH = 2000

# A typical LA when a published figure is missing: code -> (numerator per 10,000 children, or
# share of the denominator, and the denominator; None = the child population).
FALLBACK = {
    "REF_RATE": (Decimal("500"), None),
    "REREF_PCT": (Decimal("0.22"), Decimal("5000")),
    "NFA_PCT": (Decimal("0.06"), Decimal("5000")),
    "ASSESS_45_PCT": (Decimal("0.85"), Decimal("2000")),
    "CIN_RATE": (Decimal("330"), None),
    "CPP_RATE": (Decimal("42"), None),
    "CPP_SUBSEQUENT_PCT": (Decimal("0.23"), Decimal("250")),
    "CPP_2YRS_PCT": (Decimal("0.03"), Decimal("400")),
    "CLA_RATE": (Decimal("70"), None),
    "CLA_START_RATE": (Decimal("25"), None),
    "CLA_3PLUS_PCT": (Decimal("0.10"), Decimal("700")),
    "CLA_LONG_STABLE_PCT": (Decimal("0.68"), Decimal("150")),
    "CL_EET_PCT": (Decimal("0.55"), Decimal("300")),
    "CL_ACCOM_PCT": (Decimal("0.88"), Decimal("300")),
    "SW_VACANCY_PCT": (Decimal("0.18"), Decimal("300")),
    "SW_AGENCY_PCT": (Decimal("0.17"), Decimal("290")),
    "SW_TURNOVER_PCT": (Decimal("0.16"), Decimal("260")),
    "SW_CASELOAD": (Decimal("16"), Decimal("180")),
}
# Numerator <= numerator rules, in an order where a capped right side is capped first.
NUMERATOR_RULES = [
    (left, right)
    for _, left, left_part, comparison, right, right_part, _ in catalogue.RULES
    if (left_part, comparison, right_part) == ("numerator", "le", "numerator")
]
NUMERATOR_RULES.sort(key=lambda rule: rule[0] not in {right for _, right in NUMERATOR_RULES})


def seed_benchmarking(ctx: ScaleContext) -> None:
    services.indicators_load(actor=SYSTEM)
    services.published_data_import(actor=SYSTEM, files=published_files_default())
    _seed_returns(ctx)


def _base(indicator, published, population):
    """(numerator, denominator, value) of a typical year for this LA and indicator."""
    numerator, denominator, value = published or (None, None, None)
    if indicator.is_ratio and numerator is not None and denominator:
        return numerator, denominator, value
    if not indicator.is_ratio and value is not None:
        return None, None, value
    share, denominator = FALLBACK.get(indicator.code, (Decimal("0.5"), Decimal("100")))
    if denominator is None:
        denominator = population
        share = share / Decimal(10000)
    if not indicator.is_ratio:
        return None, None, (share * denominator).quantize(Decimal(1))
    return (share * denominator).quantize(Decimal(1)), denominator, None


def _seed_returns(ctx: ScaleContext) -> None:
    rng = ctx.random
    today = timezone.localdate()
    quarters = quarters_to_build(today, QUARTERS)
    periods = [period_for_quarter(year, quarter) for year, quarter in quarters]
    indicators = sorted(
        Indicator.objects.filter(is_core=True, is_active=True), key=lambda i: i.sort_key
    )
    by_code = {i.code: i for i in indicators}
    las = ctx.las
    latest = latest_published(las, indicators)
    population = {
        la_id: value
        for (la_id, _), (_, _, value) in latest_published(
            las, Indicator.objects.filter(code="POP_0_17")
        ).items()
        if value
    }

    windows = []
    for period in periods:
        opens, due, locks = default_window_dates(period)
        for region in ctx.regions:
            windows.append(
                ReturnWindow(
                    region=region, period=period, opens_on=opens, due_on=due, locks_on=locks
                )
            )
    ReturnWindow.objects.bulk_create(windows, batch_size=BATCH, ignore_conflicts=True)

    # Each LA's yearly trend and size of its quarterly noise.
    trend = {la.pk: rng.uniform(-0.03, 0.04) for la in las}
    returns: list[Return] = []
    planned: list[tuple[int, list[tuple[str, tuple]]]] = []  # return index -> values
    newest = len(periods) - 1
    for step, period in enumerate(periods):
        window_opens = default_window_dates(period)[0]
        for la in las:
            status = _status(rng, step, newest)
            if status is None:
                continue  # not started
            values = _quarter_values(
                rng, la, by_code, latest, population.get(la.pk, Decimal(50000)), trend, step
            )
            if status == Status.DRAFT:
                values = values[: len(values) // 2]
            returns.append(_return(ctx, la, period, status, window_opens, step))
            planned.append((len(returns) - 1, values))
    created = Return.objects.bulk_create(returns, batch_size=BATCH)

    batch: list[Value] = []
    for index, values in planned:
        ret = created[index]
        user = (
            ret.submitted_by
            or ctx.la_users.get(ret.local_authority_id, {}).get("performance_lead", [None])[0]
        )
        for code, (numerator, denominator, value, suppression) in values:
            batch.append(
                Value(
                    return_obj=ret,
                    indicator=by_code[code],
                    value=value,
                    numerator=numerator,
                    denominator=denominator,
                    suppression=suppression,
                    suppression_reason="Fewer than 10 children" if suppression else "",
                    updated_by=user,
                )
            )
        if len(batch) >= BATCH:
            Value.objects.bulk_create(batch, batch_size=BATCH)
            batch = []
    Value.objects.bulk_create(batch, batch_size=BATCH)


def _status(rng, step: int, newest: int) -> str | None:
    if step < newest - 1:
        return Status.LOCKED
    if step == newest - 1:
        return Status.LOCKED if rng.random() < 0.7 else Status.APPROVED
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.25:
        return Status.DRAFT
    if roll < 0.5:
        return Status.SUBMITTED
    return Status.APPROVED


def _return(ctx, la, period, status, window_opens, step) -> Return:
    lead = ctx.la_users.get(la.pk, {}).get("performance_lead", [None])[0]
    pm = ctx.programme_managers.get(la.region_id)
    submitted = approved = locked = None
    if status != Status.DRAFT:
        submitted = _moment(window_opens + datetime.timedelta(days=20 + step % 15))
    if status in (Status.APPROVED, Status.LOCKED):
        approved = submitted + datetime.timedelta(days=5)
    if status == Status.LOCKED:
        locked = _moment(window_opens + datetime.timedelta(weeks=10))
    return Return(
        local_authority=la,
        period=period,
        source=Source.RETURN,
        status=status,
        submitted_at=submitted,
        submitted_by=lead if submitted else None,
        approved_at=approved,
        approved_by=pm if approved else None,
        locked_at=locked,
    )


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _quarter_values(rng, la, by_code, latest, population, trend, step):
    """[(code, (numerator, denominator, value, suppression))] for one LA and quarter."""
    # Quarters before the newest drift back along the LA's trend; all counts move together.
    years_back = (QUARTERS - 1 - step) / 4
    common = (1 + trend[la.pk]) ** -years_back * (1 + rng.uniform(-0.03, 0.03))
    parts = {}
    for code, indicator in by_code.items():
        numerator, denominator, value = _base(indicator, latest.get((la.pk, code)), population)
        factor = Decimal(str(round(common * (1 + rng.uniform(-0.03, 0.03)), 4)))
        if indicator.is_ratio:
            numerator = (numerator * factor).quantize(Decimal(1))
            if indicator.unit in (Unit.PERCENT, Unit.RATE_10K):
                numerator = min(numerator, denominator)
            parts[code] = [numerator, denominator, None]
        else:
            parts[code] = [None, None, (value * factor).quantize(Decimal(1))]
    for left, right in NUMERATOR_RULES:
        if left in parts and right in parts and parts[left][0] is not None:
            parts[left][0] = min(parts[left][0], parts[right][0])
    values = []
    for code, (numerator, denominator, value) in parts.items():
        indicator = by_code[code]
        if indicator.is_ratio:
            value = round(numerator / denominator * indicator.multiplier, indicator.decimal_places)
        if rng.random() < 0.005:
            values.append((code, (None, None, None, Suppression.CONFIDENTIAL)))
        else:
            values.append((code, (numerator, denominator, value, Suppression.NONE)))
    return values
