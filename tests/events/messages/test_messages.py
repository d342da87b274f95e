"""The programme manager writes to everyone at an event: checks who it goes to, sends it once
(a second submit of the same form sends nothing more), and sees what was sent to whom."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Audience, DelegateStatus, EventKind, MessageRecipient
from events.services.meetings import meeting_invite
from events.services.messages import message_send
from tests.events.factories import DelegateFactory, EventFactory
from tests.helpers import assert_query_count_flat

pytestmark = pytest.mark.django_db


def _summit(world):
    event = EventFactory(region=world.region, title="Summer summit")
    DelegateFactory(
        event=event, local_authority=world.home_la, full_name="Ann Bell", email="ann@example.org"
    )
    DelegateFactory(
        event=event, local_authority=world.peer_la, full_name="Bo Cole", email="bo@example.org"
    )
    DelegateFactory(
        event=event,
        local_authority=world.peer_la,
        full_name="Cy Gone",
        email="cy@example.org",
        status=DelegateStatus.CANCELLED,
        cancelled_at=timezone.now(),
    )
    return event


def _form(**extra):
    return {
        "audience": "delegates",
        "subject": "Parking",
        "body": "Use the east car park.",
        **extra,
    }


def test_the_pm_checks_who_it_goes_to_sends_once_and_sees_the_log(
    world, client, django_capture_on_commit_callbacks
):
    event = _summit(world)
    client.force_login(world.users["programme_manager"])
    url = reverse("events:message_compose", args=[event.pk])

    confirm = client.post(url, _form()).content.decode()
    assert "2 people: everyone registered (the delegates)" in confirm
    assert "Ann Bell (ann@example.org)" in confirm and "Cy Gone" not in confirm
    assert mail.outbox == []  # nothing sent before confirming
    token = str(uuid.uuid4())

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, _form(token=token, confirm="1"), follow=True)
        client.post(url, _form(token=token, confirm="1"))  # the same form again
    assert "Sent “Parking” to 2 people." in sent.content.decode()
    page = client.get(sent.request["PATH_INFO"]).content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "bo@example.org"]
    assert mail.outbox[0].subject == "Parking (Summer summit)"
    assert mail.outbox[0].reply_to == ["pm@example.org"]
    assert MessageRecipient.objects.count() == 2
    assert page.count(">Sent</strong>") == 2  # the log: each recipient and their status


def test_a_meetings_invitees_and_the_mistakes_named(world, client):
    meeting = EventFactory(region=world.region, kind=EventKind.STEERING_GROUP, title="Steering")
    client.force_login(world.users["programme_manager"])
    url = reverse("events:message_compose", args=[meeting.pk])
    empty = client.post(url, _form(audience="invitees")).content.decode()
    assert "Nobody to write to: nobody is in this group yet." in empty

    meeting_invite(actor=world.users["programme_manager"], event=meeting, role="dcs")
    blank = client.post(url, _form(audience="invitees", subject=" ")).content.decode()
    assert "Enter a subject." in blank
    message = message_send(
        actor=world.users["programme_manager"],
        event=meeting,
        audience=Audience.INVITEES,
        subject="Papers",
        body="Attached.",
        token=uuid.uuid4(),
    )
    assert sorted(message.recipients.values_list("email", flat=True)) == [
        "dcs@example.org",
        "peer@example.org",
    ]


def test_message_log_query_count_is_flat(world, client):
    event = _summit(world)
    message = message_send(
        actor=world.users["programme_manager"],
        event=event,
        audience=Audience.DELEGATES,
        subject="Parking",
        body="East",
        token=uuid.uuid4(),
    )
    client.force_login(world.users["programme_manager"])
    made = [0]

    def grow(n):
        MessageRecipient.objects.bulk_create(
            MessageRecipient(message=message, email=f"p{i}@example.org", name=f"P {i}")
            for i in range(made[0], n)
        )
        made[0] = n

    url = reverse("events:message_detail", args=[event.pk, message.pk])
    assert_query_count_flat(client, url, grow, small=3, large=40, budget=12)
