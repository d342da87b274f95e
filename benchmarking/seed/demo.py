"""Demo data: indicators, DfE published figures, and 8 quarters of South West returns.

Quarterly values are derived from each LA's latest published figures with a small, seeded
drift, so they look like the LA's own data. Everything goes through the services (bulk upload
as the programme manager, then submit / approve / lock), so the demo exercises the real rules.
Idempotent: a quarter that already has returns for the region is left alone.
"""

import csv
import datetime
import io
import random
from decimal import Decimal

from django.utils import timezone

from regions.models import LocalAuthority
from sli_portal.access import SYSTEM

from .. import services
from ..domain.periods import default_window_dates, fiscal_year_of
from ..domain.published import published_files_default
from ..domain.validation import COLUMNS
from ..models import Return, Source, Status, Unit, Value, period_for_quarter
from ..selectors.returns import return_indicators


def quarters_to_build(today, count=8):
    year = fiscal_year_of(today)
    quarter = (today.month - 4) % 12 // 3 + 1
    quarters = []
    for _ in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        quarters.append((year, quarter))
    return list(reversed(quarters))


def latest_published(las, indicators):
    latest = {}
    rows = (
        Value.objects.filter(
            return_obj__source=Source.PUBLISHED,
            return_obj__local_authority__in=las,
            indicator__in=indicators,
            value__isnull=False,
        )
        .order_by("return_obj__period__fiscal_year")
        .values_list(
            "return_obj__local_authority_id", "indicator__code", "numerator", "denominator", "value"
        )
    )
    for la_id, code, numerator, denominator, value in rows:
        latest[(la_id, code)] = (numerator, denominator, value)
    return latest


def _row(la, period, indicator, base, rng, step):
    numerator, denominator, value = base or (None, None, None)
    drift = Decimal(str(1 + rng.uniform(-0.04, 0.04) + 0.005 * step))
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(
        la_code=la.gss_code,
        la_name=la.name,
        period=period.label,
        indicator_code=indicator.code,
        indicator_name=indicator.name,
    )
    if indicator.code == "ASSESS_45_PCT":
        denominator = Decimal(rng.randint(900, 3500))
        numerator = (denominator * Decimal(str(rng.uniform(0.78, 0.93)))).quantize(Decimal(1))
    elif indicator.is_ratio:
        if numerator is None or denominator is None:
            cells.update(suppression="x", suppression_reason="Not collected this quarter")
            return [cells[name] for name in COLUMNS]
        numerator = (numerator * drift).quantize(Decimal("0.1"))
        if indicator.unit in (Unit.PERCENT, Unit.RATE_10K):
            numerator = min(numerator, denominator)
    else:
        value = (value * drift).quantize(Decimal(1)) if value is not None else None
    if indicator.is_ratio:
        cells.update(numerator=format(numerator, "f"), denominator=format(denominator, "f"))
    else:
        cells.update(value=format(value, "f") if value is not None else "")
    return [cells[name] for name in COLUMNS]


def _sent_as_on_the_day(ret: Return, due: datetime.date, *, late: bool) -> None:
    """A demo return was sent when it would have been: a few days before its due date (one
    in seven a few days after), never in the future, so "late" shows only for late ones."""
    day = due + datetime.timedelta(days=3 if late else -4 + ret.pk % 3)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
    Return.objects.filter(pk=ret.pk).update(submitted_at=min(moment, timezone.now()))


def build(demo) -> None:
    # Inside seed_demo's transaction: the approvals queue one report rebuild per region and
    # period, after commit (benchmarking.services.reports.region_reports_rebuild_on_approval).
    _build(demo)


def _build(demo) -> None:
    services.indicators_load(actor=SYSTEM)
    if not Value.objects.filter(return_obj__source=Source.PUBLISHED).exists():
        report = services.published_data_import(actor=SYSTEM, files=published_files_default())
        demo.log.append(f"Published DfE data: {report.loaded} values for all LAs.")
    region = demo.region
    pm = demo.users["programme_manager"]
    las = list(LocalAuthority.objects.filter(region=region, is_active=True).order_by("name"))
    indicators = return_indicators(region)
    latest = latest_published(las, indicators.values())
    today = timezone.localdate()
    quarters = quarters_to_build(today)
    rng = random.Random(2026)
    built = 0
    for step, (year, quarter) in enumerate(quarters):
        period = period_for_quarter(year, quarter)
        opens, due, locks = default_window_dates(period)
        services.window_save(
            actor=pm, region=region, period=period, opens_on=opens, due_on=due, locks_on=locks
        )
        if Return.objects.filter(
            period=period, source=Source.RETURN, local_authority__region=region
        ).exists():
            continue
        newest = step == len(quarters) - 1
        # In the newest quarter a few LAs have not started: the home LA and two others.
        chosen = [la for i, la in enumerate(las) if not newest or (la != demo.home_la and i % 5)]
        rows = [COLUMNS] + [
            _row(la, period, indicator, latest.get((la.pk, code)), rng, step)
            for la in chosen
            for code, indicator in indicators.items()
        ]
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        result = services.return_upload(
            actor=pm,
            period=period,
            file_name=f"demo-{region.slug}-{period.slug}.csv",
            data=out.getvalue().encode(),
            region=region,
            today=max(today, opens),
        )
        for value in Value.objects.filter(return_obj__in=result.returns, comment="").exclude(
            warning=""
        ):
            services.value_comment(
                actor=pm, value_id=value.pk, comment="Checked with the LA: a real change."
            )
        for index, ret in enumerate(sorted(result.returns, key=lambda r: r.local_authority.name)):
            lead = demo.la_users.get(ret.local_authority_id, {}).get("performance_lead", pm)
            if newest and index % 3 == 0:
                continue  # still in draft
            services.return_submit(actor=lead, return_id=ret.pk)
            _sent_as_on_the_day(ret, due, late=index % 7 == 5)
            if newest and index % 3 == 1:
                continue  # submitted, awaiting approval
            services.return_approve(actor=pm, return_id=ret.pk)
            if step < len(quarters) - 2:
                services.return_lock(actor=pm, return_id=ret.pk)
        built += 1
    demo.log.append(
        f"Benchmarking: {len(indicators)} indicators; {built} quarters of returns built for "
        f"{region.name} ({len(quarters)} quarters with windows)."
    )


__all__ = ["Status", "build", "latest_published", "quarters_to_build"]
