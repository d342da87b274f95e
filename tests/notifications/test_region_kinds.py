"""Each regions notification kind: the right people get it once, nobody outside its rule gets
it; the scheduled ones once also when the daily job runs twice, and twice at the same moment."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from regions.models import Ballot, GroupAnnualAccount, Plan, PlanStatus, VoteDelegate
from regions.services import priorities as priority_services
from regions.services import votes as vote_services
from regions.services.notices import due_notices_announce
from sli_portal.access import SYSTEM
from tests.notifications.conftest import emailed
from tests.regions.factories import (
    ActionFactory,
    GroupFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    VoteFactory,
)
from tests.world import build_world


def _told(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def _priority(world, **kw):
    """A priority of the region's current plan."""
    plan = Plan.objects.filter(region=world.region, is_current=True).first() or PlanFactory(
        region=world.region, is_current=True, status=PlanStatus.AGREED
    )
    return PriorityFactory(theme=ThemeFactory(plan=plan), **kw)


@pytest.mark.django_db
def test_vote_opened_tells_every_dcs_of_the_region_once(world, sent):
    vote = sent(
        vote_services.vote_open,
        actor=world.users["programme_manager"],
        region=world.region,
        title="Summit vote",
        candidates=[("Neglect", ""), ("Workforce", "")],
        closes_at=timezone.now() + timedelta(days=3),
    )
    assert _told("vote_opened") == ["dcs@example.org", "peer@example.org"]  # not the outsider
    assert [to for to, _ in emailed()] == ["dcs@example.org", "peer@example.org"]
    notification = world.users["dcs"].notifications.get()
    assert notification.url == vote.get_absolute_url()
    assert notification.text.startswith("Vote open: Summit vote. Cast your LA's ballot by ")


@pytest.mark.django_db
def test_vote_closing_tells_whoever_casts_for_each_la_that_has_not_voted(world, sent):
    vote = VoteFactory(region=world.region, closes_at=timezone.now() + timedelta(hours=20))
    VoteFactory(region=world.region, closes_at=timezone.now() + timedelta(days=5))  # not yet
    VoteDelegate.objects.create(
        vote=vote, local_authority=world.peer_la, user=world.users["analyst"]
    )
    sent(due_notices_announce, actor=SYSTEM)
    assert _told("vote_closing") == ["analyst@example.org", "dcs@example.org"]

    Notification.objects.all().delete()
    Ballot.objects.create(vote=vote, local_authority=world.home_la, cast_by=world.users["dcs"])
    due_notices_announce(actor=SYSTEM)
    assert _told("vote_closing") == ["analyst@example.org"]


@pytest.mark.django_db
def test_action_assigned_tells_the_new_owner_once_not_the_one_who_assigned_it(world, sent):
    priority = _priority(world)
    pm, dcs = world.users["programme_manager"], world.users["dcs"]
    action = sent(
        priority_services.action_create, actor=pm, priority=priority, title="Map", owner=dcs
    )
    assert emailed() == [("dcs@example.org", f"You own the action “Map” on priority {priority}.")]
    priority_services.action_update(actor=pm, action=action, title="Map the services")
    priority_services.action_update(actor=pm, action=action, owner=pm)  # assigned to self
    priority_services.action_update(actor=pm, action=action, owner=dcs)  # back: told already
    assert _told("action_assigned") == ["dcs@example.org"]
    priority_services.action_update(actor=pm, action=action, owner=world.users["member"])
    assert _told("action_assigned") == ["dcs@example.org", "member@example.org"]


@pytest.mark.django_db
def test_overdue_progress_and_group_account_reach_their_owners_once(world, sent):
    dcs, member = world.users["dcs"], world.users["member"]
    yesterday = timezone.localdate() - timedelta(days=1)
    overdue = ActionFactory(priority=_priority(world), owner=member, due_date=yesterday)
    ActionFactory(priority=overdue.priority, owner=member, due_date=yesterday, status="done")
    sponsored = _priority(world, sponsor=dcs, sponsor_la=world.home_la)
    updated = _priority(world, sponsor=dcs, sponsor_la=world.home_la)
    ProgressUpdateFactory(priority=updated, date=date(2027, 3, 1))  # this quarter
    GroupFactory(region=world.region, sponsor=member, name="Performance leads")
    given = GroupFactory(region=world.region, sponsor=dcs, name="PSWs")
    in_march = timezone.make_aware(timezone.datetime(2027, 3, 10, 9, 0))
    GroupAnnualAccount.objects.create(group=given, year=2026)

    for _ in range(2):
        sent(due_notices_announce, actor=SYSTEM, now=in_march)

    assert list(Notification.objects.order_by("kind").values_list("kind", "recipient")) == [
        ("action_overdue", member.pk),
        ("group_account_due", member.pk),
        ("progress_due", dcs.pk),
    ]
    assert Notification.objects.get(kind="progress_due").target_id == sponsored.pk
    assert Notification.objects.get(kind="group_account_due").text == (
        "Annual account due for Performance leads (2026-27)."
    )


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_run_twice_at_the_same_moment_tells_each_person_once():
    world = build_world()
    member = world.users["member"]
    priority = _priority(world)
    for _ in range(5):
        ActionFactory(priority=priority, owner=member, due_date=date(2026, 1, 1))
    VoteFactory(region=world.region, closes_at=timezone.now() + timedelta(hours=3))
    barrier = threading.Barrier(2, timeout=10)
    errors = []

    def job():
        try:
            barrier.wait()
            due_notices_announce(actor=SYSTEM)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Notification.objects.filter(kind="action_overdue", recipient=member).count() == 5
    assert _told("vote_closing") == ["dcs@example.org", "peer@example.org"]
