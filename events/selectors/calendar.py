"""A person's own events: the places they hold and the meetings they are invited to."""

from django.db.models import Q

from ..models.delegates import Delegate
from ..models.events import Event, EventStatus
from ..models.meetings import Invitee, Response


def personal_delegations(user) -> list[Delegate]:
    """Places held by the user (or held and cancelled), latest per event, for their calendar."""
    delegations = (
        Delegate.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("event__region")
        .order_by("event_id", "-status", "-registered_at")
    )
    latest: dict[int, Delegate] = {}
    for delegate in delegations:
        current = latest.get(delegate.event_id)
        if current is None or (delegate.is_active and not current.is_active):
            latest[delegate.event_id] = delegate
    return list(latest.values())


def personal_calendar(user) -> list[tuple[Event, bool]]:
    """(event, cancelled for this person) for the user's calendar feed: places they hold or
    held, and meetings they are invited to (apologies show as cancelled). No drafts."""
    entries: dict[int, tuple[Event, bool]] = {}
    for invitee in Invitee.objects.filter(user=user).select_related("event"):
        entries[invitee.event_id] = (invitee.event, invitee.response == Response.APOLOGIES)
    for delegate in personal_delegations(user):
        current = entries.get(delegate.event_id)
        if current is None or (delegate.is_active and current[1]):
            entries[delegate.event_id] = (delegate.event, not delegate.is_active)
    return sorted(
        (entry for entry in entries.values() if entry[0].status != EventStatus.DRAFT),
        key=lambda entry: (entry[0].starts_at, entry[0].pk),
    )
