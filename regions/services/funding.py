"""Writes for a plan's funding: LA subscriptions and grants per financial year."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from sli_portal.access import System, require

from ..models import (
    FundingContribution,
    FundingSource,
    FundingStatus,
    LocalAuthority,
    Plan,
    financial_year_label,
)
from ._shared import _as, _full_clean


def _check_contribution(c: FundingContribution) -> None:
    plan = c.plan
    if c.financial_year not in plan.financial_years:
        raise ValidationError(
            {
                "financial_year": f"{financial_year_label(c.financial_year)} is outside the plan's "
                f"period ({financial_year_label(plan.start_year)} to "
                f"{financial_year_label(plan.end_year)})."
            }
        )
    if c.amount is None or c.amount < Decimal("0"):
        raise ValidationError({"amount": "The amount must be zero or more."})
    if c.source == FundingSource.LA_SUBSCRIPTION:
        if c.local_authority is None:
            raise ValidationError({"local_authority": "Say which LA's subscription this is."})
        if c.local_authority.region_id != plan.region_id:
            raise ValidationError(
                {"local_authority": f"{c.local_authority} is not in {plan.region}."}
            )
        clash = FundingContribution.objects.filter(
            plan=plan,
            financial_year=c.financial_year,
            source=FundingSource.LA_SUBSCRIPTION,
            local_authority=c.local_authority,
        ).exclude(pk=c.pk)
        if clash.exists():
            raise ValidationError(
                {
                    "local_authority": f"{c.local_authority} already has a subscription for "
                    f"{financial_year_label(c.financial_year)}."
                }
            )
    elif c.local_authority is not None:
        raise ValidationError(
            {"local_authority": "Only an LA subscription names a local authority."}
        )


def _save_contribution(c: FundingContribution, actor: User | System) -> FundingContribution:
    _check_contribution(c)
    _full_clean(c)
    try:
        with transaction.atomic():
            _as(c, actor).save()
    except IntegrityError as error:  # a concurrent double submit of the same subscription
        raise ValidationError(
            {
                "local_authority": f"{c.local_authority} already has a subscription for {c.year_label}."
            }
        ) from error
    return c


@transaction.atomic
def funding_record(
    *,
    actor: User | System,
    plan: Plan,
    financial_year: int,
    source: str,
    amount: Decimal,
    local_authority: LocalAuthority | None = None,
    description: str = "",
    status: str = FundingStatus.INVOICED,
) -> FundingContribution:
    require(actor, "regions.change_plan", plan)
    contribution = FundingContribution(
        plan=plan,
        financial_year=financial_year,
        source=source,
        amount=amount,
        local_authority=local_authority,
        description=description,
        status=status,
    )
    return _save_contribution(contribution, actor)


@transaction.atomic
def funding_update(
    *, actor: User | System, contribution: FundingContribution, **changes: Any
) -> FundingContribution:
    require(actor, "regions.change_plan", contribution)
    allowed = {"financial_year", "source", "amount", "local_authority", "description", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown funding fields: {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(contribution, name, value)
    return _save_contribution(contribution, actor)


@transaction.atomic
def funding_delete(*, actor: User | System, contribution: FundingContribution) -> None:
    require(actor, "regions.change_plan", contribution)
    _as(contribution, actor).delete()
