"""Reads for a region's validation rules and expected ranges: the rules in force, each LA's
bounds for a quarter, and the preview of which current returns a rule or range would catch."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from regions.models import LocalAuthority, Region

from ..domain import validation
from ..domain.validation.cross_field import rule_broken
from ..models import (
    ExpectedRange,
    Indicator,
    Period,
    PeriodKind,
    RangeKind,
    Return,
    ReturnWindow,
    Source,
    Status,
    ValidationRule,
    Value,
)
from .returns import return_indicators

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


# --- Unsaved rules and ranges, checked for sense (what the preview runs and the service saves) --


def _indicator(region: Region, code: str) -> Indicator:
    indicator = return_indicators(region).get(code)
    if indicator is None:
        raise ValidationError(f"{code} is not an indicator of {region.name}'s return.")
    return indicator


def rule_candidate(
    *,
    region: Region,
    left: str,
    left_part: str,
    comparison: str,
    right: str,
    right_part: str,
    message: str,
) -> ValidationRule:
    """An unsaved rule (for the preview and for saving), checked for sense."""
    left_indicator, right_indicator = _indicator(region, left), _indicator(region, right)
    if left_indicator == right_indicator and left_part == right_part:
        raise ValidationError("A rule compares two different figures.")
    for indicator, part in ((left_indicator, left_part), (right_indicator, right_part)):
        if part != "value" and not indicator.is_ratio:
            raise ValidationError(
                f"{indicator.code} is a {indicator.get_unit_display().lower()}: it has no "
                f"{part}, compare its value."
            )
    message = message.strip()
    if not message:
        raise ValidationError("Write the message a performance lead sees when the rule fails.")
    name = f"{left_indicator.code} {left_part} {comparison} {right_indicator.code} {right_part}"
    return ValidationRule(
        region=region,
        name=name[:200],
        left_indicator=left_indicator,
        left_part=left_part,
        comparison=comparison,
        right_indicator=right_indicator,
        right_part=right_part,
        message=message[:300],
    )


def range_candidate(
    *,
    region: Region,
    code: str,
    kind: str,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    quarters: int = 4,
    margin_percent: Decimal = Decimal("10"),
) -> ExpectedRange:
    indicator = _indicator(region, code)
    if kind == RangeKind.ABSOLUTE:
        if minimum is None and maximum is None:
            raise ValidationError("Give the lowest or the highest expected value (or both).")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise ValidationError("The lowest expected value is more than the highest.")
    elif kind == RangeKind.HISTORY:
        if not 1 <= quarters <= 20:
            raise ValidationError("Look back between 1 and 20 quarters.")
        if margin_percent < 0:
            raise ValidationError("The margin cannot be negative.")
        minimum = maximum = None
    else:
        raise ValidationError("Choose a fixed range or the LA's own history.")
    return ExpectedRange(
        region=region,
        indicator=indicator,
        kind=kind,
        minimum=minimum,
        maximum=maximum,
        quarters=quarters,
        margin_percent=margin_percent,
    )
