"""Feedback after an event: asked once, answered through the link, summarised."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.services import delegates as delegates_services
from events.services import feedback as feedback_services
from events.services import sweep as sweep_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register

pytestmark = pytest.mark.django_db


class TestFeedback:
    def test_delegates_are_asked_once_after_the_event_and_results_are_summarised(
        self, world, programme_manager, summit, client, client_for
    ):
        came = register(summit, world.home_la, 1)
        register(summit, world.home_la, 2)
        delegates_services.delegate_check_in(actor=programme_manager, delegate=came)
        sweep_services.events_sweep(actor=SYSTEM, now=summit.starts_at - timedelta(days=20))
        mail.outbox.clear()
        after = summit.ends_at + timedelta(hours=2)
        sweep_services.events_sweep(actor=SYSTEM, now=after)
        sweep_services.events_sweep(actor=SYSTEM, now=after + timedelta(hours=1))
        requests = [m for m in mail.outbox if m.subject == "How was Summer summit?"]
        assert [m.to for m in requests] == [[came.email]]  # only the one checked in
        link = next(line for line in requests[0].body.split() if "/events/feedback/" in line)
        path = link.split("127.0.0.1:8000")[-1]
        type(summit).objects.filter(pk=summit.pk).update(
            starts_at=summit.starts_at - timedelta(days=40),
            ends_at=summit.ends_at - timedelta(days=40),
        )
        response = client.post(path, {"rating": 4, "most_useful": "=cmd|' /C calc'!A0"})
        assert response.status_code == 200
        assert "Your feedback on Summer summit has been recorded" in response.content.decode()
        again = client.post(path, {"rating": 5})
        assert "already given feedback" in again.content.decode()
        results = client_for(programme_manager).get(
            reverse("events:feedback_results", args=[summit.pk])
        )
        assert "1 response; average usefulness 4 out of 5" in results.content.decode()

    def test_feedback_before_the_event_ends_is_refused(self, world, summit):
        delegate = register(summit, world.home_la, 1)
        with pytest.raises(ValidationError, match="opens when the event ends"):
            feedback_services.feedback_submit(actor=SYSTEM, delegate=delegate, rating=5)
