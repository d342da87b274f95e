"""Races with real threads on PostgreSQL: places, capacity and workshops never overbook, and
emails go once however many sweeps run at the same time."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from events.models import DelegateStatus, EventKind, EventStatus, Notice, WorkshopChoice
from events.services import delegates as delegates_services
from events.services import events as events_services
from events.services import sweep as sweep_services
from sli_portal import celery_app
from sli_portal.access import SYSTEM
from tests.world import build_world

THREADS = 8


def _race(target, n: int) -> list:
    """Run target(i) in n threads released together; return what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = target(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _summit(world, **extra):
    from django.utils import timezone

    starts = timezone.now() + timedelta(days=30)
    return events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.SUMMIT,
        title="Summit",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        status=EventStatus.PUBLISHED,
        **extra,
    )


def _register(event, la, i, workshops=()):
    return delegates_services.delegate_register(
        actor=SYSTEM,
        event=event,
        local_authority=la,
        full_name=f"Racer {i}",
        email=f"racer{i}@example.org",
        workshops=workshops,
    )


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_never_exceed_an_las_places():
    world = build_world()
    event = _summit(world, places_per_la=4)
    results = _race(lambda i: _register(event, world.home_la, i), THREADS)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert event.delegates.filter(status=DelegateStatus.REGISTERED).count() == 4
    assert len(refused) == THREADS - 4, results
    assert "has used all 4 of its places" in refused[0].messages[0]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_from_several_las_never_exceed_event_capacity():
    from tests.regions.factories import LocalAuthorityFactory

    world = build_world()
    # One LA per thread, so only the event's row lock (not an LA's allocation) serialises them.
    las = [world.home_la, world.peer_la] + [
        LocalAuthorityFactory(region=world.region) for _ in range(THREADS - 2)
    ]
    event = _summit(world, places_per_la=4, capacity=3)
    results = _race(lambda i: _register(event, las[i], i), THREADS)
    assert event.delegates.filter(status=DelegateStatus.REGISTERED).count() == 3, results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_workshop_choices_never_exceed_workshop_capacity():
    world = build_world()
    event = _summit(world, places_per_la=4)
    workshop = events_services.session_create(
        actor=SYSTEM,
        event=event,
        title="Neglect",
        starts_at=event.starts_at + timedelta(hours=3),
        ends_at=event.starts_at + timedelta(hours=4),
        is_workshop=True,
        capacity=2,
    )
    las = [world.home_la, world.peer_la]
    _race(lambda i: _register(event, las[i % 2], i, [workshop.pk]), THREADS)
    assert WorkshopChoice.objects.filter(session=workshop, allocated=True).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_reminder_sweeps_at_once_send_one_email_per_recipient():
    world = build_world()
    event = _summit(world, places_per_la=4)
    for i in range(4):
        _register(event, world.home_la, i)
    sweep_services.events_sweep(
        actor=SYSTEM, now=event.starts_at - timedelta(days=10)
    )  # confirmations
    mail.outbox.clear()
    now = event.starts_at - timedelta(days=6)
    results = _race(lambda i: sweep_services.events_sweep(actor=SYSTEM, now=now), 2)
    recipients = Counter(message.to[0] for message in mail.outbox)
    assert recipients == {f"racer{i}@example.org": 1 for i in range(4)}, results
    assert sum(results) == 4
    assert Notice.objects.filter(kind="reminder", sent_at__isnull=False).count() == 4


def _forget_broker_connections():
    """Make Celery look up its pools again for the current broker_url. (kombu keeps its pools
    per URL, shared by the whole process, so none is closed here: others still use them.)"""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_registration_succeeds_with_the_broker_down_and_the_email_follows_from_the_sweep(caplog):
    world = build_world()
    event = _summit(world, places_per_la=4)
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    _forget_broker_connections()
    try:
        with transaction.atomic():
            delegate = _register(event, world.home_la, 1)
        # on_commit ran: publishing failed, was logged, and did not undo the registration.
        assert "Broker unavailable" in caplog.text
    finally:
        conf.task_always_eager, conf.broker_url = saved
        _forget_broker_connections()
    delegate.refresh_from_db()
    assert delegate.status == DelegateStatus.REGISTERED
    assert mail.outbox == []
    assert Notice.objects.filter(delegate=delegate, sent_at__isnull=True).count() == 1

    # The broker is back: the periodic sweep sends it, once.
    assert sweep_services.events_sweep(actor=SYSTEM) == 1
    assert sweep_services.events_sweep(actor=SYSTEM) == 0
    assert [m.to for m in mail.outbox] == [[delegate.email]]
    assert "is confirmed" in mail.outbox[0].subject
