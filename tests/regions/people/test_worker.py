"""Against a real Celery worker and Redis: the invitation email goes out once."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from regions.models import Invitation, Role
from regions.services import people as people_services
from sli_portal import celery_app, outbox

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (a real Redis) for the worker")
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    celery_app.conf.task_always_eager = True


def _wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_worker_sends_the_invitation_once_even_when_queued_twice(real_worker, world):
    invitation = people_services.invitation_create(
        actor=world.users["programme_manager"],
        email="nia@example.org",
        full_name="Nia Okafor",
        role=Role.MEMBER,
        local_authority=world.home_la,
    )
    assert _wait_for(lambda: Invitation.objects.get(pk=invitation.pk).sent_at is not None)
    outbox.deliver_task.delay("regions.Invitation", invitation.pk)
    outbox.sweep_task.delay("regions.Invitation")
    # No result backend: give the (solo) worker time to run both tasks, which it does in order.
    time.sleep(1.5)
    assert [message.to for message in mail.outbox] == [["nia@example.org"]]
