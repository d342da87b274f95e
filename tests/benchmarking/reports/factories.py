"""Data for the report tests: indicators, periods, returns and values, written directly."""

from decimal import Decimal

from django.utils import timezone

from benchmarking.models import (
    Indicator,
    Return,
    Source,
    Status,
    Value,
    period_for_quarter,
    period_for_year,
)
from benchmarking.services import indicators_load
from sli_portal.access import SYSTEM


def load_indicators() -> dict[str, Indicator]:
    indicators_load(actor=SYSTEM)
    return {i.code: i for i in Indicator.objects.all()}


def quarter(fiscal_year: int, q: int):
    return period_for_quarter(fiscal_year, q)


def year(fiscal_year: int):
    return period_for_year(fiscal_year)


def make_return(la, period, status=Status.APPROVED, values=None, source=Source.RETURN):
    """A return with values {code: number | (number, numerator, denominator) | 'c'}."""
    if source == Source.PUBLISHED:
        status = Status.PUBLISHED
    ret, _ = Return.objects.update_or_create(
        local_authority=la,
        period=period,
        source=source,
        defaults={
            "status": status,
            "submitted_at": None if status == Status.DRAFT else timezone.now(),
            "approved_at": timezone.now() if status in (Status.APPROVED, Status.LOCKED) else None,
        },
    )
    indicators = {i.code: i for i in Indicator.objects.all()}
    for code, raw in (values or {}).items():
        fields = {"value": None, "numerator": None, "denominator": None, "suppression": ""}
        if isinstance(raw, str):
            fields["suppression"] = raw
        elif isinstance(raw, tuple):
            fields.update(
                value=Decimal(str(raw[0])),
                numerator=Decimal(str(raw[1])),
                denominator=Decimal(str(raw[2])),
            )
        else:
            fields["value"] = Decimal(str(raw))
        Value.objects.update_or_create(return_obj=ret, indicator=indicators[code], defaults=fields)
    return ret


def build_report_data(world):
    """Quarter 2025-26 Q1 and the same quarter a year earlier, plus published 2024-25.

    Somerset (home) and Devon (peer) have approved returns; Devon's Q1 value for re-referrals
    is suppressed. A third LA of the region has only a *submitted* (unapproved) return, whose
    values must never appear in a report.
    """
    from tests.regions.factories import LocalAuthorityFactory

    draft_la = LocalAuthorityFactory(name="Cornwall", slug="cornwall", region=world.region)
    q1, q1_before, published = quarter(2025, 1), quarter(2024, 1), year(2024)
    make_return(
        world.home_la,
        q1,
        values={
            "REREF_PCT": (30, 300, 1000),
            "CL_EET_PCT": (40, 40, 100),
            "CLA_RATE": (70, 700, 100000),
        },
    )
    make_return(
        world.peer_la,
        q1,
        values={"REREF_PCT": "c", "CL_EET_PCT": (60, 60, 100), "CLA_RATE": (50, 500, 100000)},
    )
    make_return(
        draft_la,
        q1,
        status="submitted",
        values={"REREF_PCT": (99.9, 999, 1000), "CL_EET_PCT": (11.1, 111, 1000)},
    )
    make_return(
        world.home_la, q1_before, values={"REREF_PCT": (20, 200, 1000), "CL_EET_PCT": (40, 40, 100)}
    )
    make_return(world.peer_la, q1_before, values={"REREF_PCT": (25, 250, 1000)})
    for la, reref, eet in (
        (world.home_la, (21, 210, 1000), (50, 50, 100)),
        (world.peer_la, (23, 230, 1000), (55, 55, 100)),
        (world.other_la, (28, 280, 1000), (65, 65, 100)),
    ):
        make_return(
            la, published, source="published", values={"REREF_PCT": reref, "CL_EET_PCT": eet}
        )
    return {"q1": q1, "q1_before": q1_before, "published": published, "draft_la": draft_la}
