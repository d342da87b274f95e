"""Meetings: who is invited, who is expected, and meetings below their quorum."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count

from ..models.events import Event, EventStatus
from ..models.meetings import Invitee, Response, expected_invitees


@dataclass
class MeetingSummary:
    invitees: list
    expected: int
    apologies: int
    no_reply: int
    quorum: int | None

    @property
    def below_quorum(self) -> bool:
        return self.quorum is not None and self.expected < self.quorum


def meeting_summary(*, event: Event) -> MeetingSummary | None:
    invitees = list(
        Invitee.objects.filter(event=event)
        .select_related("user", "local_authority")
        .order_by("user__full_name", "pk")
    )
    if not invitees and event.quorum is None:
        return None
    return MeetingSummary(
        invitees=invitees,
        expected=sum(1 for i in invitees if i.expected),
        apologies=sum(1 for i in invitees if i.response == Response.APOLOGIES),
        no_reply=sum(1 for i in invitees if i.response == Response.INVITED),
        quorum=event.quorum,
    )


def meeting_expected_count(event: Event) -> int:
    return Invitee.objects.filter(event=event).filter(expected_invitees()).count()


def my_invitation(*, user, event: Event) -> Invitee | None:
    return Invitee.objects.filter(event=event, user=user).first()


def below_quorum(region_ids: Iterable[int] | None, now: datetime) -> list[Event]:
    """Published meetings (of these regions; of all with None) inside their warning period with
    fewer expected than the quorum. Each event carries `expected`."""
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, quorum__isnull=False, starts_at__gt=now
    ).annotate(expected=Count("invitees", filter=expected_invitees("invitees__")))
    if region_ids is not None:
        events = events.filter(region_id__in=region_ids)
    return [
        event
        for event in events.order_by("starts_at")
        if event.expected < event.quorum
        and event.starts_at - timedelta(days=event.quorum_warning_days) <= now
    ]
