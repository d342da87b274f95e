"""Indicators (the shipped catalogue, a region's local indicators) and return windows."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from regions.models import Region
from sli_portal.access import System, require, user_of

from .. import catalogue
from ..models import Indicator, Period, PeriodKind, ReturnWindow, ValidationRule


@dataclass
class IndicatorLoadReport:
    created: int = 0
    updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _indicator_fields(row: dict, core: bool) -> dict:
    return {
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


@transaction.atomic
def indicators_load(*, actor: User | System) -> IndicatorLoadReport:
    """Create or update the shipped core set, context measures and cross-field rules.

    Idempotent: running it again changes nothing unless the catalogue changed.
    """
    require(actor, "benchmarking.load_indicators")
    report = IndicatorLoadReport()
    existing = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    rows = [(row, True) for row in catalogue.INDICATORS] + [
        (row, False) for row in catalogue.CONTEXT_INDICATORS
    ]
    for row, core in rows:
        fields = _indicator_fields(row, core)
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
            region=None,
            left_indicator=by_code[left],
            left_part=left_part,
            comparison=comparison,
            right_indicator=by_code[right],
            right_part=right_part,
            defaults={"name": name, "message": message},
        )
    return report


@transaction.atomic
def window_save(
    *,
    actor: User | System,
    region: Region,
    period: Period,
    opens_on: datetime.date,
    due_on: datetime.date,
    locks_on: datetime.date,
) -> ReturnWindow:
    require(actor, "benchmarking.manage_windows", region)
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


@transaction.atomic
def indicator_create_local(*, actor: User | System, region: Region, data: dict) -> Indicator:
    """A region's own indicator, added to its quarterly return after the core set."""
    require(actor, "benchmarking.manage_windows", region)
    if Indicator.objects.filter(code=data["code"]).exists():
        raise ValidationError({"code": f"The code {data['code']} is already used."})
    indicator = Indicator(**data, region=region, is_core=False, theme="local", display_order=100)
    indicator._history_user = user_of(actor)  # type: ignore[attr-defined]
    indicator.full_clean()
    indicator.save()
    return indicator
