"""A region's own validation rules, written by its programme manager: cross-field rules
(A <= B, across indicators or a numerator against its denominator) and expected ranges per
indicator (fixed, or from each LA's own recent quarters). Rules are never deleted: switching
one off keeps it, and every change is in its history (who, when)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from regions.models import Region
from sli_portal.access import System, require, user_of

from ..models import ExpectedRange, ValidationRule
from ..selectors.ranges import range_candidate, rule_candidate

PERM = "benchmarking.manage_rules"


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError("The region already has this rule switched on.") from None


@transaction.atomic
def validation_rule_create(*, actor: User | System, region: Region, **fields) -> ValidationRule:
    require(actor, PERM, region)
    rule = rule_candidate(region=region, **fields)
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


@transaction.atomic
def expected_range_create(*, actor: User | System, region: Region, **fields) -> ExpectedRange:
    """Save a range; it replaces (switches off) the indicator's range in force."""
    require(actor, PERM, region)
    expected = range_candidate(region=region, **fields)
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
