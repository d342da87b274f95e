"""A region's own validation rules, written by its programme manager: cross-field rules
(A <= B, across indicators or a numerator against its denominator) and expected ranges per
indicator (fixed, or from each LA's own recent quarters). Rules are never deleted: switching
one off keeps it, and every change is in its history (who, when)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from regions.models import Region
from sli_portal.access import System, require, user_of

from ..models import ExpectedRange, Indicator, RangeKind, ValidationRule
from ..selectors.returns import return_indicators

PERM = "benchmarking.manage_rules"


def _indicator(region: Region, code: str) -> Indicator:
    indicator = return_indicators(region).get(code)
    if indicator is None:
        raise ValidationError(f"{code} is not an indicator of {region.name}'s return.")
    return indicator


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError("The region already has this rule switched on.") from None


def validation_rule_build(
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


@transaction.atomic
def validation_rule_create(*, actor: User | System, region: Region, **fields) -> ValidationRule:
    require(actor, PERM, region)
    rule = validation_rule_build(region=region, **fields)
    _save(rule, actor, "Rule added")
    return rule


@transaction.atomic
def validation_rule_switch_off(*, actor: User | System, rule_id: int) -> ValidationRule:
    rule = (
        ValidationRule.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=rule_id)
    )
    if rule.region is None:
        raise ValidationError("National rules are kept by the administrators.")
    require(actor, PERM, rule.region)
    rule.is_active = False
    _save(rule, actor, "Rule switched off")
    return rule


def expected_range_build(
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


@transaction.atomic
def expected_range_create(*, actor: User | System, region: Region, **fields) -> ExpectedRange:
    """Save a range; it replaces (switches off) the indicator's range in force."""
    require(actor, PERM, region)
    expected = expected_range_build(region=region, **fields)
    for old in ExpectedRange.objects.select_for_update().filter(
        region=region, indicator=expected.indicator, is_active=True
    ):
        old.is_active = False
        _save(old, actor, "Replaced by a new range")
    _save(expected, actor, "Range added")
    return expected


@transaction.atomic
def expected_range_switch_off(*, actor: User | System, range_id: int) -> ExpectedRange:
    expected = (
        ExpectedRange.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=range_id)
    )
    require(actor, PERM, expected.region)
    expected.is_active = False
    _save(expected, actor, "Range switched off")
    return expected
