"""The programme manager writes to everyone at an event (its delegates, or a meeting's
invitees): one outbox email per person, the message kept as the log of who was sent what."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require, user_of

from ..models import Audience, Event, Message, MessageRecipient
from ..selectors.messages import audience_of

MAX_BODY = 5000


def _check(subject: str, body: str, audience: str) -> None:
    errors = {}
    if audience not in Audience.values:
        errors["audience"] = "Choose who to write to."
    if not subject:
        errors["subject"] = "Enter a subject."
    elif len(subject) > 150:
        errors["subject"] = "The subject must be 150 characters or fewer."
    if not body:
        errors["body"] = "Enter the message."
    elif len(body) > MAX_BODY:
        errors["body"] = f"The message must be {MAX_BODY:,} characters or fewer."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def message_send(
    *,
    actor: User | System,
    event: Event,
    audience: str,
    subject: str,
    body: str,
    token: uuid.UUID,
) -> Message:
    """Email everyone in the audience once. The confirmation form's token makes a second
    submit of the same form return the message already sent instead of sending it again."""
    require(actor, "events.manage_event", event)
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    _check(subject, body, audience)
    earlier = Message.objects.filter(event=event, token=token).first()
    if earlier is not None:
        return earlier
    people = audience_of(event=event, audience=audience)
    if not people:
        raise ValidationError(f"Nobody to write to: {event.title} has no {audience} yet.")
    try:
        with transaction.atomic():
            message = Message.objects.create(
                event=event,
                audience=audience,
                subject=subject,
                body=body,
                sent_by=user_of(actor),
                token=token,
            )
    except IntegrityError:  # the same form, submitted at the same moment: already sent
        return Message.objects.get(event=event, token=token)
    outbox.record_many(
        MessageRecipient,
        [MessageRecipient(message=message, email=email, name=name) for email, name in people],
    )
    return message
