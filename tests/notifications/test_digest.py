"""The daily digest: a day's notifications in one email per person who asked for it; once,
also when the job runs twice at the same moment."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from notifications.models import Delivery, Notification, NotificationDigest
from notifications.services import digests_record, notify, preference_set
from sli_portal import outbox
from sli_portal.access import SYSTEM
from tests.world import build_world


def _three_things(*people):
    for n in range(3):
        notify(
            actor=SYSTEM,
            recipients=people,
            kind="action_assigned",
            occasion=f"action:{n}",
            text=f"You own action {n}",
            url=f"/actions/{n}/",
        )


def _tomorrow():
    return dt.date.today() + dt.timedelta(days=1)


@pytest.mark.django_db
def test_a_days_items_go_in_one_email_per_person(world, sent):
    dcs, peer, member = world.users["dcs"], world.users["peer_dcs"], world.users["member"]
    preference_set(actor=dcs, delivery=Delivery.DAILY_DIGEST)
    preference_set(actor=peer, delivery=Delivery.DAILY_DIGEST)
    preference_set(actor=member, delivery=Delivery.INBOX_ONLY)
    sent(_three_things, dcs, peer, member)
    assert mail.outbox == []  # nobody wanted them straight away

    today = dt.date.today()
    assert sent(digests_record, actor=SYSTEM, day=today) == 6
    assert sorted(m.to[0] for m in mail.outbox) == ["dcs@example.org", "peer@example.org"]
    body = mail.outbox[0].body
    assert all(f"You own action {n}" in body for n in range(3))
    assert mail.outbox[0].subject.startswith("SLI Portal: 3 things for you on ")

    assert sent(digests_record, actor=SYSTEM, day=today) == 0  # again: nothing
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_digest_jobs_at_the_same_moment_send_one_email_each():
    world = build_world()
    dcs, peer = world.users["dcs"], world.users["peer_dcs"]
    for person in (dcs, peer):
        preference_set(actor=person, delivery=Delivery.DAILY_DIGEST)
    _three_things(dcs, peer)
    barrier = threading.Barrier(2, timeout=10)
    joined, errors = [], []

    def job():
        try:
            barrier.wait()
            joined.append(digests_record(actor=SYSTEM, day=dt.date.today()))
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
    assert sorted(joined) == [0, 6]
    assert NotificationDigest.objects.count() == 2
    outbox.sweep()
    assert sorted(m.to[0] for m in mail.outbox) == ["dcs@example.org", "peer@example.org"]
    assert not Notification.objects.filter(digest__isnull=True).exists()
