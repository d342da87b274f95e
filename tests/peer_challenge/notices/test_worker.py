"""A real Celery worker (in a thread) takes the email task from the broker (Redis with
REDIS_URL, the in-memory transport without) and sends it once, however often it is queued."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from peer_challenge.models import Notice
from peer_challenge.services.moderation import moderator_assign
from sli_portal import celery_app, outbox
from tests.peer_challenge import factories as f
from tests.world import build_world


def _wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_sends_moderation_email_once_even_when_queued_twice():
    world = build_world()
    cycle = f.annual_cycle(world, self_assessment_due=None, moderation_due=None)
    sa = f.submitted(world, cycle=cycle)
    mail.outbox.clear()
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10):
        moderator_assign(
            actor=world.users["programme_manager"],
            self_assessment=sa,
            moderator=world.users["peer_dcs"],
            moderator_la=world.peer_la,
        )
        notice = Notice.objects.get(occasion="moderation_assigned")
        assert _wait_for(
            lambda: Notice.objects.filter(pk=notice.pk, sent_at__isnull=False).exists()
        )
        # Queued again (e.g. by the sweep racing the first send): the worker sends nothing more.
        outbox.deliver_task.delay("peer_challenge.Notice", notice.pk)
        outbox.sweep_task.delay("peer_challenge.Notice")
        time.sleep(2)
    assert [m.to for m in mail.outbox] == [["peer@example.org"]]
    assert "Please moderate Somerset" in mail.outbox[0].subject
