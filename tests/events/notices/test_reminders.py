"""Emails about events: reminders, moves, cancellations, stale notices."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Notice
from events.services import delegates as delegates_services
from events.services import events as events_services
from events.services import sweep as sweep_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register


@pytest.mark.django_db
class TestEmailsAndReminders:
    def _now_before(self, event, days, minutes=0):
        return event.starts_at - timedelta(days=days) + timedelta(minutes=minutes)

    def test_reminders_go_once_per_offset_and_not_to_withdrawn(self, world, summit):
        keep = register(summit, world.home_la, 1)
        gone = register(summit, world.home_la, 2)
        delegates_services.delegate_cancel(actor=SYSTEM, delegate=gone)
        sweep_services.events_sweep(
            actor=SYSTEM, now=self._now_before(summit, 8)
        )  # confirmations only
        mail.outbox.clear()
        assert sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 7, 5)) == 1
        assert sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 7, 10)) == 0
        assert sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 1, 1)) == 1
        assert [m.to for m in mail.outbox] == [[keep.email], [keep.email]]
        assert "Reminder: Summer summit" in mail.outbox[0].subject

    def test_moved_event_reschedules_reminders_and_tells_delegates(self, world, summit):
        register(summit, world.home_la, 1)
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 6))
        mail.outbox.clear()
        moved = events_services.event_update(
            actor=SYSTEM,
            event=summit,
            starts_at=summit.starts_at + timedelta(days=14),
            ends_at=summit.ends_at + timedelta(days=14),
        )
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 5))
        assert [m.subject for m in mail.outbox] == [
            f"Summer summit has moved to {timezone.localtime(moved.starts_at):%-d %B %Y}"
        ]
        assert sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(moved, 7, 1)) == 1

    def test_cancelled_event_sends_a_cancellation_and_no_reminders(self, world, summit):
        register(summit, world.home_la, 1)
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 10))
        mail.outbox.clear()
        events_services.event_cancel(actor=SYSTEM, event=summit)
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 1, 1))
        assert [m.subject for m in mail.outbox] == ["Cancelled: Summer summit"]

    def test_notice_for_someone_substituted_out_before_sending_is_skipped(self, world, summit):
        delegate = register(summit, world.home_la, 1)
        delegates_services.delegate_substitute(
            actor=SYSTEM, delegate=delegate, full_name="New One", email="new@example.org"
        )
        sweep_services.events_sweep(actor=SYSTEM, now=self._now_before(summit, 10))
        recipients = sorted((m.to[0], m.subject) for m in mail.outbox)
        assert (
            "d1.somerset@example.org",
            "Your place at Summer summit is confirmed",
        ) not in recipients
        assert ("new@example.org", "You have a place at Summer summit") in recipients
        assert Notice.objects.filter(skipped_reason__contains="no longer holds").count() == 1
