"""With a real Celery worker consuming from Redis (REDIS_URL): the confirmation queued after
commit is sent by the worker, and two sweeps queued at once send each reminder once."""

import logging
import os
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from events import tasks
from events.models import EventKind, EventStatus, Notice
from events.services import delegates as delegates_services
from events.services import events as events_services
from sli_portal import celery_app
from sli_portal.access import SYSTEM
from tests.world import build_world

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
]


@pytest.fixture
def worker():
    from celery.contrib.testing.worker import start_worker

    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")  # leftovers of earlier runs
    # The worker sets the root logger to its own level and handlers: put them back after, so
    # later tests still see warnings (e.g. "Broker unavailable").
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        with start_worker(
            celery_app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="error"
        ) as running:
            yield running
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers


def _wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _summit(world):
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
    )


def test_worker_sends_the_confirmation_queued_after_commit(worker):
    world = build_world()
    event = _summit(world)
    with transaction.atomic():
        delegate = delegates_services.delegate_register(
            actor=SYSTEM,
            event=event,
            local_authority=world.home_la,
            full_name="Wendy Worker",
            email="wendy@example.org",
        )
        assert mail.outbox == []  # nothing leaves before commit
    assert _wait_for(
        lambda: Notice.objects.filter(delegate=delegate, sent_at__isnull=False).exists()
    )
    assert [m.to for m in mail.outbox] == [["wendy@example.org"]]


def test_two_sweeps_on_a_real_worker_send_each_reminder_once(worker):
    world = build_world()
    event = _summit(world)
    for i in range(3):
        delegates_services.delegate_register(
            actor=SYSTEM,
            event=event,
            local_authority=world.home_la,
            full_name=f"Person {i}",
            email=f"p{i}@example.org",
        )
    assert _wait_for(lambda: len(mail.outbox) == 3)  # the confirmations
    mail.outbox.clear()
    # Move the event to six days ahead, so the 7-day reminder is due now.
    from django.utils import timezone

    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + timedelta(days=6),
        ends_at=timezone.now() + timedelta(days=6, hours=6),
    )
    first, second = tasks.events_sweep.delay(), tasks.events_sweep.delay()
    assert _wait_for(
        lambda: Notice.objects.filter(kind="reminder", sent_at__isnull=False).count() == 3
    )
    time.sleep(1)  # give a duplicate, if any, the time to arrive
    assert Counter(m.to[0] for m in mail.outbox) == {f"p{i}@example.org": 1 for i in range(3)}
    assert first.id != second.id
