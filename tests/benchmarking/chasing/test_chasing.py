"""Chase emails: once per LA, quarter and occasion, to the LA's performance leads."""

import datetime

from django.core import mail
from django.utils import timezone

from benchmarking import services, tasks
from benchmarking.models import ChaseEmail, Return
from regions.models import Role
from sli_portal import outbox
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import upload_return as _upload
from tests.regions.factories import MembershipFactory


def test_chase_emails_go_once_per_la_and_occasion_to_performance_leads(
    world, quarter, django_capture_on_commit_callbacks
):
    def run_chase_task():
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.chase_returns.delay().get()

    today = timezone.localdate()
    lead_b = MembershipFactory(role=Role.PERFORMANCE_LEAD, local_authority=world.home_la).user
    # Devon has submitted: it is not chased.
    _upload(world, quarter, world.peer_la)
    services.return_submit(
        actor=world.users["programme_manager"],
        return_id=Return.objects.get(local_authority=world.peer_la).pk,
    )
    window = quarter.windows.get(region=world.region)
    window.due_on = today + datetime.timedelta(days=3)
    window.save()
    quarter.windows.filter(region=world.other_region).update(
        due_on=today + datetime.timedelta(days=20)
    )

    assert run_chase_task() == 1
    assert run_chase_task() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([world.users["performance_lead"].email, lead_b.email])
    assert message.subject == (
        f"Reminder: Somerset's data return for {quarter.label} (due {window.due_on:%-d %B %Y})"
    )
    assert f"/benchmarking/returns/somerset/{quarter.slug}/" in message.body

    # After the due date: one more chase, marked overdue; running again sends nothing.
    window.due_on = today - datetime.timedelta(days=1)
    window.save()
    run_chase_task()
    run_chase_task()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Overdue: Somerset's data return")
    assert ChaseEmail.objects.filter(local_authority=world.home_la).count() == 2
    assert not ChaseEmail.objects.filter(local_authority=world.peer_la).exists()


def test_chase_task_sends_nothing_twice_even_when_called_directly(world, quarter):
    window = quarter.windows.get(region=world.region)
    window.due_on = timezone.localdate()
    window.save()
    [chase_id] = [
        c
        for c in services.chases_record_due(actor=SYSTEM)
        if ChaseEmail.objects.get(pk=c).local_authority_id == world.home_la.pk
    ]
    assert outbox.deliver("benchmarking.ChaseEmail", chase_id) is True
    assert outbox.deliver("benchmarking.ChaseEmail", chase_id) is False
    assert len(mail.outbox) == 1
