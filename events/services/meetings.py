"""Meetings: invitations by role, replies with deputies, quorum warnings."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from regions.models import Membership, Role

from ..models import (
    Event,
    EventStatus,
    Invitee,
    NoticeKind,
    Response,
)
from ._common import _require, start_key
from .notices import _notify


@transaction.atomic
def meeting_invite(*, actor, event: Event, role: str) -> int:
    """Invite everyone of the region holding `role` (e.g. every DCS); returns how many are new."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.manage_event", event)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError("Publish the meeting before inviting people.")
    memberships = (
        Membership.objects.filter(role=role)
        .filter(
            Q(region_id=event.region_id)
            | Q(local_authority__region_id=event.region_id, local_authority__is_active=True)
        )
        .select_related("user")
        .order_by("user_id")
    )
    already = set(event.invitees.values_list("user_id", flat=True))
    new = []
    for membership in memberships:
        if membership.user_id in already or not membership.user.is_active:
            continue
        already.add(membership.user_id)
        new.append(
            Invitee(
                event=event,
                user=membership.user,
                local_authority_id=membership.local_authority_id,
                role=role,
            )
        )
    Invitee.objects.bulk_create(new)
    for invitee in new:
        _notify(
            event,
            NoticeKind.MEETING_INVITATION,
            f"invited:{event.pk}",
            email=invitee.user.email,
            name=invitee.user.full_name,
        )
    return len(new)


@transaction.atomic
def invitee_respond(
    *,
    actor,
    event: Event,
    attending: bool,
    deputy_name: str = "",
    deputy_email: str = "",
    now: datetime | None = None,
) -> Invitee:
    """Accept, or send apologies (naming a deputy who comes instead, if any)."""
    now = now or timezone.now()
    invitee = (
        Invitee.objects.select_for_update()
        .select_related("event")
        .filter(event=event, user=actor)
        .first()
    )
    if invitee is None:
        raise PermissionDenied
    if invitee.event.starts_at <= now or invitee.event.status == EventStatus.CANCELLED:
        raise ValidationError("This meeting has started or been cancelled: replies are closed.")
    deputy_name = " ".join(deputy_name.split())
    deputy_email = deputy_email.strip().lower()
    if attending:
        deputy_name = deputy_email = ""
    elif deputy_email and not deputy_name:
        raise ValidationError({"deputy_name": "Enter the name of your deputy."})
    invitee.response = Response.ATTENDING if attending else Response.APOLOGIES
    invitee.deputy_name, invitee.deputy_email = deputy_name, deputy_email
    invitee.responded_at = now
    invitee.save()
    return invitee


def meeting_expected_count(event: Event) -> int:
    return (
        Invitee.objects.filter(event=event)
        .filter(
            Q(response=Response.ATTENDING) | (Q(response=Response.APOLOGIES) & ~Q(deputy_name=""))
        )
        .count()
    )


def quorum_check(*, now: datetime | None = None) -> int:
    """Warn the region's programme managers, once per meeting date, when fewer than the quorum
    are expected within the warning period before a meeting."""
    now = now or timezone.now()
    warned = 0
    candidates = Event.objects.filter(
        status=EventStatus.PUBLISHED, quorum__isnull=False, starts_at__gt=now
    ).annotate(
        expected=Count(
            "invitees",
            filter=Q(invitees__response=Response.ATTENDING)
            | (Q(invitees__response=Response.APOLOGIES) & ~Q(invitees__deputy_name="")),
        )
    )
    for event in candidates:
        if event.starts_at - timedelta(days=event.quorum_warning_days) > now:
            continue
        if event.expected >= event.quorum:
            continue
        managers = Membership.objects.filter(
            role=Role.PROGRAMME_MANAGER, region_id=event.region_id
        ).select_related("user")
        with transaction.atomic():
            for membership in managers:
                _notify(
                    event,
                    NoticeKind.QUORUM_WARNING,
                    f"quorum:{start_key(event)}",
                    email=membership.user.email,
                    name=membership.user.full_name,
                )
                warned += 1
    return warned
