"""Races on real PostgreSQL connections: two requests or two workers at the same moment.

Each test fails if the row lock (select_for_update) is removed from the service: checked by
hand when they were written (two "submitted" versions; two emails).
"""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from peer_challenge.models import Notice, SelfAssessment
from peer_challenge.services.cycles import cycle_update
from peer_challenge.services.self_assessments import self_assessment_submit
from sli_portal import outbox
from tests.peer_challenge import factories as f
from tests.world import build_world


def _race(target, count=2):
    barrier = threading.Barrier(count)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except ValidationError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_double_submit_at_the_same_moment_submits_once():
    world = build_world()
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    f.write(sa, world.users["dcs"])

    results = _race(lambda: self_assessment_submit(actor=world.users["dcs"], self_assessment=sa))

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "already been submitted" in refused[0].messages[0]
    submitted_versions = SelfAssessment.history.filter(id=sa.pk, status="submitted").count()
    assert submitted_versions == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_email_send_it_once():
    world = build_world()
    cycle = f.annual_cycle(world, self_assessment_due=None, moderation_due=None)
    sa = f.submitted(world, cycle=cycle)
    notice = Notice.objects.create(
        occasion="moderation_assigned", self_assessment=sa, recipient=world.users["peer_dcs"]
    )
    mail.outbox.clear()

    results = _race(lambda: outbox.deliver("peer_challenge.Notice", notice.pk), count=3)

    assert sorted(results) == [False, False, True]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_setting_the_first_challenge_day_at_once_make_one_event():
    import datetime

    from events.models import Event, EventKind
    from peer_challenge.models import Cycle

    world = build_world()
    cycle = f.thematic_cycle(world)
    day = datetime.date.today() + datetime.timedelta(days=50)

    _race(
        lambda: cycle_update(
            actor=world.users["programme_manager"],
            cycle=cycle,
            title=cycle.title,
            challenge_day=day,
            challenge_venue="Taunton",
        ),
        count=3,
    )

    events = list(Event.objects.filter(kind=EventKind.CHALLENGE_DAY))
    assert len(events) == 1, [e.pk for e in events]
    assert Cycle.objects.get(pk=cycle.pk).challenge_event == events[0]
