"""`make run` has no broker and no beat: emails held for an undo window still go out, from the
requests that follow, once their hold is over."""

from datetime import timedelta

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from events.models import Notice
from events.services import events as events_services
from sli_portal.middleware import EagerOutboxSweepMiddleware
from tests.events.conftest import register

pytestmark = pytest.mark.django_db


def _cancellations():
    return [m for m in mail.outbox if m.subject.startswith("Cancelled")]


def test_a_held_cancellation_is_sent_by_a_request_after_its_undo_window(world, summit, monkeypatch):
    register(summit, world.home_la, 1)
    events_services.event_cancel(actor=world.users["programme_manager"], event=summit)
    mail.outbox.clear()
    middleware = EagerOutboxSweepMiddleware(lambda request: HttpResponse("page"))
    request = RequestFactory().get("/")

    assert middleware(request).content == b"page"
    assert _cancellations() == []  # still inside the undo window: nobody told

    # The window has passed: the next request at least a minute after the last sweep sends it.
    later = timezone.now() + timedelta(minutes=60)
    monkeypatch.setattr(timezone, "now", lambda: later)
    middleware.last_sweep -= EagerOutboxSweepMiddleware.INTERVAL_SECONDS
    middleware(request)
    assert len(_cancellations()) == 1
    assert not Notice.objects.filter(status="pending", kind="event_cancelled").exists()

    middleware.last_sweep -= EagerOutboxSweepMiddleware.INTERVAL_SECONDS
    middleware(request)
    assert len(_cancellations()) == 1  # once


def test_the_sweep_runs_at_most_once_a_minute(monkeypatch):
    calls = []
    monkeypatch.setattr("sli_portal.outbox.sweep", lambda: calls.append(1) or 0)
    middleware = EagerOutboxSweepMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    middleware(request)
    middleware(request)
    assert calls == [1]
    middleware.last_sweep -= EagerOutboxSweepMiddleware.INTERVAL_SECONDS
    middleware(request)
    assert calls == [1, 1]
