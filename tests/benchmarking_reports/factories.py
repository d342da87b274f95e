"""Data for the report tests: indicators, periods, returns and values, written directly."""

from decimal import Decimal

from django.utils import timezone

from benchmarking.models import Indicator, Return, Source, Status, Value
from benchmarking.services import indicators_load, period_for_quarter, period_for_year


def load_indicators() -> dict[str, Indicator]:
    indicators_load()
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
