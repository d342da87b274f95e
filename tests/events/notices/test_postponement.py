"""Postponing an event: delegates are told once, hear nothing more until it has a new date, and
then are told again; reminders recorded before the postponement are never sent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import EventStatus, Notice, NoticeKind
from events.services import events as events_services
from events.services import sweep as sweep_services
from sli_portal import outbox
from sli_portal.access import SYSTEM
from sli_portal.outbox import OutboxStatus
from tests.events.conftest import register

pytestmark = pytest.mark.django_db


def _days_before(event, days, minutes=0):
    return event.starts_at - timedelta(days=days) + timedelta(minutes=minutes)


def _postpone(event):
    return events_services.event_update(actor=SYSTEM, event=event, status=EventStatus.POSTPONED)


def test_postponing_tells_each_delegate_once_and_sends_no_reminder(world, summit):
    delegates = [register(summit, world.home_la, n) for n in (1, 2, 3)]
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 10))  # confirmations
    mail.outbox.clear()

    _postpone(summit)
    for minutes in (1, 2):  # two sweeps when the 7-day and 1-day reminders would be due
        sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 7, minutes))
        sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 1, minutes))

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        (d.email, "Postponed: Summer summit") for d in delegates
    )
    assert not Notice.objects.filter(kind=NoticeKind.REMINDER).exists()


def test_reminders_recorded_before_the_postponement_are_skipped_not_sent(world, summit):
    for n in (1, 2, 3, 4):
        register(summit, world.home_la, n)
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 10))
    mail.outbox.clear()
    # The sweep has listed its reminders (as a sweep in progress has) when the postponement commits.
    sweep_services.reminders_record_due(actor=SYSTEM, now=_days_before(summit, 7, 1))
    listed = outbox.pending_ids(Notice)
    assert len(listed) == 4

    _postpone(summit)
    sent = [outbox.deliver("events.Notice", pk, now=_days_before(summit, 7, 2)) for pk in listed]

    assert sent == [False] * 4
    reminders = Notice.objects.filter(kind=NoticeKind.REMINDER)
    assert {(r.status, r.skipped_reason) for r in reminders} == {
        (OutboxStatus.SKIPPED, "The event was postponed.")
    }
    assert not any(m.subject.startswith("Reminder") for m in mail.outbox)


def test_a_new_date_tells_delegates_again_and_brings_reminders_back(world, summit):
    delegate = register(summit, world.home_la, 1)
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 10))
    _postpone(summit)
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 9))
    mail.outbox.clear()

    rescheduled = events_services.event_update(
        actor=SYSTEM,
        event=summit,
        status=EventStatus.PUBLISHED,
        starts_at=summit.starts_at + timedelta(days=21),
        ends_at=summit.ends_at + timedelta(days=21),
    )
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 8))
    assert [(m.to[0], m.subject) for m in mail.outbox] == [
        (
            delegate.email,
            f"Summer summit has moved to {timezone.localtime(rescheduled.starts_at):%-d %B %Y}",
        )
    ]
    assert sweep_services.events_sweep(actor=SYSTEM, now=_days_before(rescheduled, 7, 1)) == 1
    assert mail.outbox[-1].subject.startswith("Reminder: Summer summit")


def test_a_postponed_notice_overtaken_by_the_new_date_is_not_sent(world, summit):
    register(summit, world.home_la, 1)
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 10))
    mail.outbox.clear()
    _postpone(summit)  # its email is still waiting (say, the broker was down)...
    events_services.event_update(actor=SYSTEM, event=summit, status=EventStatus.PUBLISHED)
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 9))  # ...until now
    assert [m.subject for m in mail.outbox] == [
        f"Summer summit has moved to {timezone.localtime(summit.starts_at):%-d %B %Y}"
    ]
