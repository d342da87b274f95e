"""Emails owed (the outbox): once per recipient and occasion."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from peer_challenge import tasks
from peer_challenge.models import Notice
from peer_challenge.services.notices import due_reminders_queue
from sli_portal import outbox
from sli_portal.access import SYSTEM
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_emails_are_sent_once_per_recipient_and_occasion(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sa = f.with_moderator(world)
    assigned = [m for m in mail.outbox if "Please moderate" in m.subject]
    assert [m.to for m in assigned] == [["peer@example.org"]]
    notice = Notice.objects.get(occasion="moderation_assigned")
    assert outbox.deliver("peer_challenge.Notice", notice.pk) is False  # sent: nothing twice
    assert outbox.sweep(Notice) == 0
    with django_capture_on_commit_callbacks(execute=True):
        f.commented(world, sa=sa, assign=False)
    ready = [m for m in mail.outbox if "comments on Somerset" in m.subject]
    assert sorted(m.to[0] for m in ready) == ["dcs@example.org", "lead@example.org"]
    assert len([m for m in mail.outbox if "due" not in m.subject]) == 3


def test_due_reminder_goes_to_the_dcs_once_even_when_the_sweep_runs_twice(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        f.annual_cycle(world)  # due in 7 days: reminders owed at once
    due = [m for m in mail.outbox if "self-assessment due" in m.subject]
    assert sorted(m.to[0] for m in due) == ["dcs@example.org", "peer@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_due_reminders()
        tasks.queue_due_reminders()
    assert len([m for m in mail.outbox if "self-assessment due" in m.subject]) == 2
    notice = Notice.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            occasion=notice.occasion,
            self_assessment=notice.self_assessment,
            recipient=notice.recipient,
        )


def test_unsent_notice_is_sent_by_the_sweep(world):
    cycle = f.annual_cycle(world, self_assessment_due=None, moderation_due=None)
    sa = f.submitted(world, cycle=cycle)
    mail.outbox.clear()
    notice = Notice.objects.create(
        occasion="moderation_assigned", self_assessment=sa, recipient=world.users["peer_dcs"]
    )
    Notice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert outbox.sweep(Notice) == 1
    assert [m.to for m in mail.outbox] == [["peer@example.org"]]


def test_a_due_reminder_left_unsent_until_the_draft_is_submitted_is_not_sent(world):
    cycle = f.annual_cycle(world)  # due in 7 days: reminders owed at once (not yet delivered)
    notice = Notice.objects.get(occasion="sa_due", recipient=world.users["dcs"])
    f.submitted(world, cycle=cycle)
    mail.outbox.clear()
    assert outbox.deliver("peer_challenge.Notice", notice.pk) is False
    notice.refresh_from_db()
    assert notice.status == "skipped"
    assert "submitted" in notice.skipped_reason
    assert not [m for m in mail.outbox if m.to == ["dcs@example.org"]]


def test_only_the_portal_itself_runs_the_due_reminders(world):
    with pytest.raises(PermissionDenied):
        due_reminders_queue(actor=world.users["admin"])
    assert due_reminders_queue(actor=SYSTEM) == 0
