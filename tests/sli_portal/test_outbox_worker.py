"""A real `celery worker` process, started while emails wait in the outbox (recorded while the
broker was down), sends them as soon as it is ready: worker_ready queues an outbox sweep, so
nothing waits for beat's next run."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from events.models import EventKind, EventStatus, Notice
from events.services import delegates as delegates_services
from events.services import events as events_services
from sli_portal import outbox
from sli_portal.access import SYSTEM
from sli_portal.outbox import OutboxStatus
from tests.world import build_world

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
]


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_that_starts_sends_what_waited_without_waiting_for_beat():
    world = build_world()
    starts = timezone.now() + timedelta(days=30)
    event = events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.SUMMIT,
        title="Summit",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        status=EventStatus.PUBLISHED,
    )
    with (
        mock.patch.object(
            outbox.deliver_task, "apply_async", side_effect=OperationalError("Connection refused")
        ),
        transaction.atomic(),
    ):
        delegate = delegates_services.delegate_register(
            actor=SYSTEM,
            event=event,
            local_authority=world.home_la,
            full_name="Walter Waiting",
            email="walter@example.org",
        )
    notice = Notice.objects.get(delegate=delegate)
    # Recorded while the broker was down, a while ago (past the sweep's grace for deliveries
    # that may still be on their way).
    Notice.objects.filter(pk=notice.pk).update(created_at=notice.created_at - timedelta(minutes=5))

    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "EMAIL_URL": "dummymail://",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    # Its own queue, so no other test's tasks (or worker) get in the way.
    queue = f"outbox-worker-test-{os.getpid()}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sli_portal",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env={**env, "CELERY_TASK_DEFAULT_QUEUE": queue},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        sent = _wait_for(
            lambda: Notice.objects.filter(pk=notice.pk, status=OutboxStatus.SENT).exists(),
            timeout=60,
        )
    finally:
        worker.terminate()
        _, errors = worker.communicate(timeout=30)
    assert sent, f"the waiting email was not sent by the starting worker:\n{errors[-2000:]}"
