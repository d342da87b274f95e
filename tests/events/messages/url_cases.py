"""Messages to everyone at an event: the event's organisers only (other people of the region
403; another region's event 404, as is every event to staff with no role)."""

import uuid

from events.models import Audience
from events.services.messages import message_send
from tests.events.factories import DelegateFactory
from tests.events.url_cases import MANAGE_OK, MANAGE_REDIRECT, _event
from tests.url_matrix import UrlCase


def _with_delegate(world):
    event = _event(world)
    DelegateFactory(event=event, local_authority=world.home_la, email="ann@example.org")
    return event


def _pk(world):
    return {"pk": _with_delegate(world).pk}


def _message(world):
    event = _with_delegate(world)
    message = message_send(
        actor=world.users["programme_manager"],
        event=event,
        audience=Audience.DELEGATES,
        subject="Parking",
        body="Use the east car park.",
        token=uuid.uuid4(),
    )
    return {"pk": event.pk, "message_pk": message.pk}


OK = {**MANAGE_OK, "staff": 404}
REDIRECT = {**MANAGE_REDIRECT, "staff": 404}

CASES = [
    UrlCase("events:message_list", dict(OK), kwargs=_pk),
    UrlCase("events:message_compose", dict(OK), kwargs=_pk),
    UrlCase(
        "events:message_compose",
        dict(REDIRECT),
        kwargs=_pk,
        method="post",
        data=lambda w: {
            "audience": "delegates",
            "subject": "Parking",
            "body": "East car park",
            "token": str(uuid.uuid4()),
            "confirm": "1",
        },
        label="send",
    ),
    UrlCase("events:message_detail", dict(OK), kwargs=_message),
]
