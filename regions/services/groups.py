"""Writes for specialist regional groups and their annual accounts. Access is checked first."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.models import User
from sli_portal.access import System, require, user_of

from ..models import (
    GroupAccountEntry,
    GroupAnnualAccount,
    Membership,
    Priority,
    Region,
    RegionalGroup,
    Role,
    financial_year_label,
)
from ._shared import _full_clean


def _check_group(
    group: RegionalGroup, members: Iterable[User], priorities: Iterable[Priority]
) -> None:
    region_id = group.region_id
    if (
        group.sponsor_id
        and not Membership.objects.filter(
            user_id=group.sponsor_id, local_authority__region_id=region_id
        ).exists()
    ):
        raise ValidationError(
            {"sponsor": f"{group.sponsor} has no role in an LA of {group.region}."}
        )
    # Members: people of the region's LAs, or its partners (issue 17: DfE, health, police, ...).
    outsiders = [
        m
        for m in members
        if not Membership.objects.filter(
            Q(local_authority__region_id=region_id) | Q(role=Role.PARTNER, region_id=region_id),
            user=m,
        ).exists()
    ]
    if outsiders:
        names = ", ".join(str(m) for m in outsiders)
        raise ValidationError(
            {"members": f"Neither in an LA of {group.region} nor its partner: {names}."}
        )
    foreign = [p for p in priorities if p.plan.region_id != region_id]
    if foreign:
        raise ValidationError({"priorities": "Priorities must come from the region's own plans."})


@transaction.atomic
def group_create(
    *,
    actor: User | System,
    region: Region,
    name: str,
    accountable_to: str,
    sponsor: User | None = None,
    remit: str = "",
    members: Iterable[User] = (),
    priorities: Iterable[Priority] = (),
) -> RegionalGroup:
    require(actor, "regions.change_group", region)
    name = (name or "").strip()
    if RegionalGroup.objects.filter(region=region, name__iexact=name).exists():
        raise ValidationError({"name": f"{region} already has a group called “{name}”."})
    group = RegionalGroup(
        region=region, name=name, accountable_to=accountable_to, sponsor=sponsor, remit=remit
    )
    _full_clean(group)
    _check_group(group, members, priorities)
    group.save()
    group.members.set(members)
    group.priorities.set(priorities)
    return group


@transaction.atomic
def group_update(
    *,
    actor: User | System,
    group: RegionalGroup,
    name: str,
    accountable_to: str,
    sponsor: User | None = None,
    remit: str = "",
    members: Iterable[User] = (),
    priorities: Iterable[Priority] = (),
) -> RegionalGroup:
    require(actor, "regions.change_group", group)
    name = (name or "").strip()
    if (
        RegionalGroup.objects.filter(region=group.region, name__iexact=name)
        .exclude(pk=group.pk)
        .exists()
    ):
        raise ValidationError({"name": f"{group.region} already has a group called “{name}”."})
    group.name, group.accountable_to, group.sponsor, group.remit = (
        name,
        accountable_to,
        sponsor,
        remit,
    )
    _full_clean(group)
    _check_group(group, members, priorities)
    group.save()
    group.members.set(members)
    group.priorities.set(priorities)
    return group


@transaction.atomic
def group_account_submit(
    *,
    actor: User | System,
    group: RegionalGroup,
    year: int,
    summary: str,
    narratives: dict[int, str],
) -> GroupAnnualAccount:
    """The group's account for a year: per supported priority, how its work advanced it."""
    require(actor, "regions.account_group", group)
    if GroupAnnualAccount.objects.filter(group=group, year=year).exists():
        raise ValidationError(
            {"year": f"{group} has already given its account for {financial_year_label(year)}."}
        )
    supported = {p.pk: p for p in group.priorities.all()}
    unknown = set(narratives) - set(supported)
    if unknown:
        raise ValidationError("The account names priorities the group does not support.")
    entries = {pk: (text or "").strip() for pk, text in narratives.items() if (text or "").strip()}
    if not entries and not (summary or "").strip():
        raise ValidationError(
            {"summary": "Say how the group's work advanced at least one priority."}
        )
    try:
        with transaction.atomic():
            account = GroupAnnualAccount.objects.create(
                group=group, year=year, summary=(summary or "").strip(), submitted_by=user_of(actor)
            )
    except IntegrityError as error:
        raise ValidationError(
            {"year": f"{group} has already given its account for {financial_year_label(year)}."}
        ) from error
    GroupAccountEntry.objects.bulk_create(
        GroupAccountEntry(account=account, priority=supported[pk], narrative=text)
        for pk, text in entries.items()
    )
    return account
