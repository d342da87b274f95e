"""Meetings: invitations by role, replies with deputies, quorum warnings."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Membership, Role
from sli_portal.access import System, require, user_of

from ..models.events import Event, EventStatus
from ..models.meetings import Invitee, Response
from ..models.notices import NoticeKind
from ..selectors.confirmations import invitable_memberships
from ..selectors.meetings import below_quorum
from .notices import _notify


@transaction.atomic
def meeting_invite(*, actor: User | System, event: Event, role: str) -> int:
    """Invite everyone of the region holding `role` (e.g. every DCS); returns how many are new."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "events.manage_event", event)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError("Publish the meeting before inviting people.")
    memberships = invitable_memberships(event=event, role=role)
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
    actor: User | System,
    event: Event,
    attending: bool,
    deputy_name: str = "",
    deputy_email: str = "",
    now: datetime | None = None,
) -> Invitee:
    """Accept, or send apologies (naming a deputy who comes instead, if any)."""
    require(actor, "events.respond_to_meeting", event)
    now = now or timezone.now()
    user = user_of(actor)
    invitee = (
        Invitee.objects.select_for_update()
        .select_related("event")
        .filter(event=event, user=user)
        .first()
        if user is not None
        else None
    )
    if invitee is None:
        raise PermissionDenied("Only those invited may reply.")
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


def quorum_check(*, actor: User | System, now: datetime | None = None) -> int:
    """Warn the region's programme managers, once per meeting date, when fewer than the quorum
    are expected within the warning period before a meeting."""
    require(actor, "events.run_jobs")
    now = now or timezone.now()
    warned = 0
    for event in below_quorum(None, now):
        managers = Membership.objects.filter(
            role=Role.PROGRAMME_MANAGER, region_id=event.region_id
        ).select_related("user")
        with transaction.atomic():
            for membership in managers:
                _notify(
                    event,
                    NoticeKind.QUORUM_WARNING,
                    f"quorum:{event.start_key}",
                    email=membership.user.email,
                    name=membership.user.full_name,
                )
                warned += 1
    return warned
