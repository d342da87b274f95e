"""Reads for a region's validation rules and expected ranges: the rules in force, each LA's
bounds for a quarter, and the preview of which current returns a rule or range would catch."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from regions.models import LocalAuthority, Region

from ..domain import validation
from ..domain.validation.cross_field import rule_broken
from ..models import (
    ExpectedRange,
    Period,
    PeriodKind,
    Return,
    ReturnWindow,
    Source,
    Status,
    ValidationRule,
    Value,
)

SUBMITTED = (Status.SUBMITTED, Status.APPROVED, Status.LOCKED)


def rules_in_force(region: Region | None) -> list[ValidationRule]:
    """The national rules and the region's own, active."""
    return list(
        ValidationRule.objects.filter(is_active=True)
        .filter(Q(region__isnull=True) | Q(region=region))
        .select_related("left_indicator", "right_indicator")
    )


def region_rules(region: Region) -> tuple[list[ValidationRule], list[ExpectedRange]]:
    rules = list(
        ValidationRule.objects.filter(Q(region__isnull=True) | Q(region=region))
        .select_related("left_indicator", "right_indicator")
        .order_by("region_id", "-is_active", "name")
    )
    ranges = list(
        ExpectedRange.objects.filter(region=region)
        .select_related("indicator")
        .order_by("-is_active", "indicator__code", "-pk")
    )
    return rules, ranges


def _earlier(las, indicator_ids, period: Period, quarters: int) -> dict[tuple[int, int], list]:
    """(LA id, indicator id) -> values of submitted quarterly returns before `period`, newest
    first (at most `quarters` each)."""
    rows = (
        Value.objects.filter(
            return_obj__local_authority__in=las,
            indicator_id__in=indicator_ids,
            return_obj__source=Source.RETURN,
            return_obj__status__in=SUBMITTED,
            return_obj__period__kind=PeriodKind.QUARTER,
            return_obj__period__end__lt=period.start,
            value__isnull=False,
        )
        .order_by("-return_obj__period__end")
        .values_list("return_obj__local_authority_id", "indicator_id", "value")
    )
    out: dict[tuple[int, int], list] = defaultdict(list)
    for la_id, indicator_id, value in rows:
        if len(out[(la_id, indicator_id)]) < quarters:
            out[(la_id, indicator_id)].append(value)
    return out


def range_bounds(
    *, region: Region, las, period: Period, ranges: list[ExpectedRange] | None = None
) -> dict[tuple[int, int], validation.Bounds]:
    """(LA id, indicator id) -> the expected bounds of the region's active ranges."""
    if ranges is None:
        ranges = list(ExpectedRange.objects.filter(region=region, is_active=True))
    if not ranges:
        return {}
    longest = max(r.quarters for r in ranges)
    wanted = [r.indicator_id for r in ranges if r.kind == "history"]
    earlier = _earlier(las, wanted, period, longest) if wanted else {}
    bounds = {}
    for rule in ranges:
        for la in las:
            found = validation.expected_bounds(rule, earlier.get((la.pk, rule.indicator_id), []))
            if found is not None:
                bounds[(la.pk, rule.indicator_id)] = found
    return bounds


def current_period(region: Region) -> Period | None:
    """The quarter of the region's newest return window: the returns a preview checks."""
    window = ReturnWindow.objects.filter(region=region).order_by("-period__end").first()
    return window.period if window else None


@dataclass
class Caught:
    la: LocalAuthority
    status: str
    message: str


def _current_values(region: Region, period: Period) -> dict[int, dict[int, Value]]:
    values = Value.objects.filter(
        return_obj__local_authority__region=region,
        return_obj__period=period,
        return_obj__source=Source.RETURN,
    ).select_related("return_obj__local_authority")
    out: dict[int, dict[int, Value]] = defaultdict(dict)
    for value in values:
        out[value.return_obj_id][value.indicator_id] = value
    return out


def rule_preview(*, region: Region, period: Period, rule: ValidationRule) -> list[Caught]:
    """The current returns of the region that would break `rule` (unsaved is fine)."""
    caught = []
    for given in _current_values(region, period).values():
        left, right = given.get(rule.left_indicator_id), given.get(rule.right_indicator_id)
        if left is None or right is None:
            continue
        a, b = getattr(left, rule.left_part), getattr(right, rule.right_part)
        if a is None or b is None or not rule_broken(rule.comparison, a, b):
            continue
        ret: Return = left.return_obj
        caught.append(
            Caught(
                ret.local_authority,
                ret.get_status_display(),
                f"{rule.message} ({validation.rows.fmt(a)} against {validation.rows.fmt(b)})",
            )
        )
    return sorted(caught, key=lambda c: c.la.name)


def range_preview(*, region: Region, period: Period, expected: ExpectedRange) -> list[Caught]:
    """The current returns of the region whose value falls outside `expected` (unsaved)."""
    values = [
        given[expected.indicator_id]
        for given in _current_values(region, period).values()
        if expected.indicator_id in given
    ]
    las = [v.return_obj.local_authority for v in values]
    bounds = range_bounds(region=region, las=las, period=period, ranges=[expected])
    caught = []
    for value in values:
        la = value.return_obj.local_authority
        warning = validation.range_warning(
            expected.indicator, value.value, bounds.get((la.pk, expected.indicator_id))
        )
        if warning:
            caught.append(Caught(la, value.return_obj.get_status_display(), warning))
    return sorted(caught, key=lambda c: c.la.name)


def decimal_or_none(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)
