"""Indicators, periods and return windows."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from regions.models import Region

from .. import catalogue
from ..models import (
    Indicator,
    Period,
    PeriodKind,
    ReturnWindow,
    ValidationRule,
)

# --- indicators -------------------------------------------------------------------------------


@dataclass
class IndicatorLoadReport:
    created: int = 0
    updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@transaction.atomic
def indicators_load() -> IndicatorLoadReport:
    """Create or update the shipped core set, context measures and cross-field rules.

    Idempotent: running it again changes nothing unless the catalogue changed.
    """
    report = IndicatorLoadReport()
    existing = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    rows = [(row, True) for row in catalogue.INDICATORS] + [
        (row, False) for row in catalogue.CONTEXT_INDICATORS
    ]
    for row, core in rows:
        fields = {
            "decimal_places": 1,
            "numerator_label": "",
            "denominator_label": "",
            "valid_min": None,
            "valid_max": None,
            "reference_date": "",
            "source": "",
            "lait_measure": "",
            **row,
            "is_core": core,
            "is_required": core,
        }
        indicator = existing.get(row["code"])
        if indicator is None:
            Indicator.objects.create(**fields)
            report.created += 1
            continue
        changed = [k for k, v in fields.items() if getattr(indicator, k) != v]
        if changed:
            for key in changed:
                setattr(indicator, key, fields[key])
            indicator.save(update_fields=changed)
            report.updated += 1
    by_code = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    for name, left, left_part, comparison, right, right_part, message in catalogue.RULES:
        ValidationRule.objects.update_or_create(
            left_indicator=by_code[left],
            left_part=left_part,
            comparison=comparison,
            right_indicator=by_code[right],
            right_part=right_part,
            defaults={"name": name, "message": message},
        )
    return report


# --- periods ----------------------------------------------------------------------------------

QUARTER_START_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


def quarter_dates(fiscal_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    month = QUARTER_START_MONTHS[quarter]
    year = fiscal_year + 1 if quarter == 4 else fiscal_year
    start = datetime.date(year, month, 1)
    end_month = month + 3
    end = datetime.date(year + end_month // 13, (end_month - 1) % 12 + 1, 1) - datetime.timedelta(
        days=1
    )
    return start, end


def period_for_quarter(fiscal_year: int, quarter: int) -> Period:
    start, end = quarter_dates(fiscal_year, quarter)
    period, _ = Period.objects.get_or_create(
        kind=PeriodKind.QUARTER,
        fiscal_year=fiscal_year,
        quarter=quarter,
        defaults={"start": start, "end": end},
    )
    return period


def period_for_year(fiscal_year: int) -> Period:
    period, _ = Period.objects.get_or_create(
        kind=PeriodKind.YEAR,
        fiscal_year=fiscal_year,
        quarter=None,
        defaults={
            "start": datetime.date(fiscal_year, 4, 1),
            "end": datetime.date(fiscal_year + 1, 3, 31),
        },
    )
    return period


def fiscal_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


# --- return windows ---------------------------------------------------------------------------


@transaction.atomic
def window_save(*, actor, region, period, opens_on, due_on, locks_on) -> ReturnWindow:
    if period.kind != PeriodKind.QUARTER:
        raise ValidationError("Return windows are for quarters.")
    if not (opens_on <= due_on <= locks_on):
        raise ValidationError("The window must open before it is due, and be due before it locks.")
    window, _ = ReturnWindow.objects.update_or_create(
        region=region,
        period=period,
        defaults={"opens_on": opens_on, "due_on": due_on, "locks_on": locks_on},
    )
    return window


def default_window_dates(period: Period) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Opens the day after the quarter ends, due 6 weeks later, locks 4 weeks after that."""
    opens = period.end + datetime.timedelta(days=1)
    return opens, opens + datetime.timedelta(weeks=6), opens + datetime.timedelta(weeks=10)


def return_indicators(region) -> dict[str, Indicator]:
    """What a region's quarterly return asks for: the core set plus its local indicators."""
    return {
        i.code: i
        for i in Indicator.objects.filter(is_active=True).filter(Q(is_core=True) | Q(region=region))
    }


@transaction.atomic
def indicator_create_local(*, actor, region: Region, data: dict) -> Indicator:
    """A region's own indicator, added to its quarterly return after the core set."""
    if Indicator.objects.filter(code=data["code"]).exists():
        raise ValidationError({"code": f"The code {data['code']} is already used."})
    indicator = Indicator(**data, region=region, is_core=False, theme="local", display_order=100)
    indicator._history_user = actor
    indicator.full_clean()
    indicator.save()
    return indicator
