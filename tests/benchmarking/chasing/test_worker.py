"""The chase runs on a real Celery worker against Redis: sent once, however often it runs."""

import datetime
import os
import time

import pytest
from django.core import mail
from django.utils import timezone

from benchmarking import tasks
from benchmarking.models import ChaseEmail
from sli_portal import celery_app
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import open_quarter
from tests.world import build_world

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL"),
]


@pytest.mark.django_db(transaction=True)
def test_worker_sends_each_chase_once_to_the_performance_lead():
    from celery.contrib.testing.worker import start_worker

    from benchmarking import services

    world = build_world()
    services.indicators_load(actor=SYSTEM)
    period = open_quarter(world.region)
    period.windows.filter(region=world.region).update(due_on=timezone.localdate())
    period.windows.filter(region=world.other_region).update(
        due_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        tasks.chase_returns.delay()
        _wait_until(lambda: ChaseEmail.objects.filter(sent_at__isnull=False).exists())
        # Running it again (as beat will, daily) must send nothing more.
        tasks.chase_returns.delay()
        time.sleep(2)
    chases = {
        c.local_authority.name: c for c in ChaseEmail.objects.select_related("local_authority")
    }
    assert sorted(chases) == ["Devon", "Somerset"]
    assert all(c.status != "pending" and c.occasion == "before_due" for c in chases.values())
    assert chases["Somerset"].sent_at
    # Devon has no performance lead in this world: recorded, nobody to email (the outbox marks
    # it "skipped", not sent).
    assert chases["Devon"].recipients == ""
    assert chases["Devon"].status == "skipped"
    assert [m.to for m in mail.outbox] == [[world.users["performance_lead"].email]]


def _wait_until(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.2)
