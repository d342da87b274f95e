"""Reads for messages to an event's delegates or invitees: who would get one, and the log."""

from collections.abc import Iterable
from itertools import chain

from django.db.models import Count, Q

from ..models import (
    Audience,
    DelegateStatus,
    Event,
    GuestDelegate,
    Message,
    MessageRecipient,
)


def audience_of(*, event: Event, audience: str) -> list[tuple[str, str]]:
    """(email, name) of everyone the message would go to, each address once, by name."""
    rows: Iterable[tuple[str, str]]
    if audience == Audience.INVITEES:
        rows = event.invitees.values_list("user__email", "user__full_name")
    else:
        # The LAs' delegates and the partners on guest places.
        rows = chain(
            event.delegates.filter(status=DelegateStatus.REGISTERED).values_list(
                "email", "full_name"
            ),
            GuestDelegate.objects.filter(
                guest_place__event=event, status=DelegateStatus.REGISTERED
            ).values_list("email", "full_name"),
        )
    people: dict[str, str] = {}
    for email, name in rows:
        people.setdefault(email.lower(), name)
    return sorted(people.items(), key=lambda pair: (pair[1].lower(), pair[0]))


def messages_for_event(*, event: Event) -> list[Message]:
    """The event's messages, newest first, with how many went and how many wait."""
    return list(
        Message.objects.filter(event=event)
        .select_related("sent_by")
        .annotate(
            recipient_count=Count("recipients"),
            sent_count=Count("recipients", filter=Q(recipients__status="sent")),
        )
        .order_by("-created_at", "-pk")
    )


def message_recipients(*, message: Message) -> list[MessageRecipient]:
    return list(message.recipients.order_by("name", "email"))
