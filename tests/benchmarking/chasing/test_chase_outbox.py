"""Chase emails go through the portal's outbox: two workers delivering the same chase at the
same moment send it once, and chases recorded while the broker is down are sent once by the
sweep (real threads, PostgreSQL)."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError

from benchmarking import services
from benchmarking.models import ChaseEmail
from sli_portal import outbox
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import open_quarter
from tests.world import build_world


def _broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(outbox.sweep_task, "apply_async", refuse)
    monkeypatch.setattr(outbox.deliver_task, "apply_async", refuse)


def _chases_due(world):
    services.indicators_load(actor=SYSTEM)
    period = open_quarter(world.region)
    period.windows.filter(region=world.region).update(due_on=timezone.localdate())
    return services.chases_record_due(actor=SYSTEM)


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_one_chase_at_once_send_it_once(monkeypatch):
    world = build_world()
    _broker_down(monkeypatch)  # recorded, not sent: the workers below do it
    _chases_due(world)
    chase = ChaseEmail.objects.get(local_authority=world.home_la)
    barrier = threading.Barrier(2)
    sent = []

    def worker():
        try:
            barrier.wait(timeout=5)
            sent.append(outbox.deliver("benchmarking.ChaseEmail", chase.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(sent) == [False, True]
    assert [m.to for m in mail.outbox] == [[world.users["performance_lead"].email]]
    chase.refresh_from_db()
    assert (chase.status, chase.recipients) == ("sent", world.users["performance_lead"].email)


@pytest.mark.django_db(transaction=True)
def test_chases_recorded_while_the_broker_is_down_are_sent_once_by_the_sweep(monkeypatch):
    world = build_world()
    _broker_down(monkeypatch)
    assert len(_chases_due(world)) == 2  # Somerset and Devon, nothing sent yet
    assert mail.outbox == []
    # The chase job runs again before the broker is back: nothing new is recorded.
    assert len(services.chases_record_due(actor=SYSTEM)) == 2
    assert outbox.sweep(ChaseEmail) == 1  # Devon has no performance lead: skipped
    assert outbox.sweep(ChaseEmail) == 0
    assert len(mail.outbox) == 1
    assert dict(ChaseEmail.objects.values_list("local_authority__name", "status")) == {
        "Somerset": "sent",
        "Devon": "skipped",
    }
