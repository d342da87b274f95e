"""A change that waits for another on the same place sees that change: its timestamp is taken
after the lock, and the message the user reads names the person who held the place then."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Delegate, Event, EventKind, EventStatus
from events.services import delegates as delegates_services
from events.services import events as events_services
from sli_portal.access import SYSTEM
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _summit_with_a_delegate(world):
    starts = timezone.now() + timedelta(days=20)
    event = events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.SUMMIT,
        title="Summit",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        status=EventStatus.PUBLISHED,
        places_per_la=2,
    )
    delegate = delegates_services.delegate_register(
        actor=SYSTEM,
        event=event,
        local_authority=world.home_la,
        full_name="Alice First",
        email="alice@example.org",
    )
    return event, delegate


def _substitute_slowly(delegate_pk, locked: threading.Event, hold: float = 0.5):
    """Another user's substitution that takes the event's lock (the first lock every change of a
    place takes), holds it for a moment while the other request arrives and waits, and only
    then makes the substitution and commits."""
    try:
        with transaction.atomic():
            delegate = Delegate.objects.get(pk=delegate_pk)
            Event.objects.select_for_update().get(pk=delegate.event_id)
            locked.set()
            time.sleep(hold)
            delegates_services.delegate_substitute(
                actor=SYSTEM, delegate=delegate, full_name="Bob Second", email="bob@example.org"
            )
    finally:
        connection.close()


def test_a_cancel_that_waited_for_a_substitution_names_the_new_holder_and_comes_after_it():
    world = build_world()
    _event, delegate = _summit_with_a_delegate(world)
    client = Client()
    client.force_login(world.users["dcs"])

    locked = threading.Event()
    substitution = threading.Thread(target=_substitute_slowly, args=(delegate.pk, locked))
    substitution.start()
    locked.wait(5)
    # The cancel loads the place while the substitution holds it, then waits for the lock.
    response = client.post(reverse("events:delegate_cancel", args=[delegate.pk]))
    substitution.join()

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Bob Second's place has been cancelled. You can undo this until they are emailed."
    ]
    delegate.refresh_from_db()
    made = delegate.substitutions.get()
    assert delegate.full_name == "Bob Second"
    assert delegate.cancelled_at >= made.made_at


def test_a_substitution_that_waited_names_the_person_it_took_the_place_from():
    world = build_world()
    _event, delegate = _summit_with_a_delegate(world)
    client = Client()
    client.force_login(world.users["dcs"])

    locked = threading.Event()
    first = threading.Thread(target=_substitute_slowly, args=(delegate.pk, locked))
    first.start()
    locked.wait(5)
    response = client.post(
        reverse("events:delegate_substitute", args=[delegate.pk]),
        {"full_name": "Carol Third", "email": "carol@example.org"},
    )
    first.join()

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Carol Third now has Bob Second's place. Both have been emailed."
    ]
