"""One outbox, every kind of email: each is sent once, whether recorded twice, delivered by two
workers at the same moment, recorded while the broker is down, or claimed by a worker that died.

Runs on PostgreSQL with committed rows (`transactional_db`) and real threads, since the guarantee
comes from row locks (SELECT ... FOR UPDATE SKIP LOCKED) and unique constraints.
"""

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from benchmarking.models import ChaseEmail, ChaseOccasion
from events.models import Message as EventMessage
from events.models import MessageRecipient, NoticeKind
from events.models import Notice as EventNotice
from notifications.models import Notification, NotificationDigest
from peer_challenge.models import Notice as PeerNotice
from peer_challenge.models import NoticeOccasion
from regions.models import Invitation, OptInEmail, Role, Subscriber, UpdateEmail
from sli_portal import outbox
from sli_portal.outbox import CLAIM_TIMEOUT, OutboxStatus
from tests.benchmarking.factories import open_quarter
from tests.events.factories import EventFactory
from tests.peer_challenge.factories import annual_cycle, sa_of
from tests.world import build_world

ROOT = Path(__file__).resolve().parents[2]


def _event_notice(world):
    event = EventFactory(region=world.region, starts_at=timezone.now() + timedelta(days=20))
    key = {"event": event, "email": "ann@example.org", "occasion": "confirmation:1"}
    return EventNotice, key, {"kind": NoticeKind.PLACE_GRANTED, "name": "Ann"}


def _peer_notice(world):
    sa = sa_of(annual_cycle(world), world.home_la)
    key = {
        "self_assessment": sa,
        "recipient": world.users["dcs"],
        "occasion": NoticeOccasion.MODERATION_ASSIGNED,
    }
    return PeerNotice, key, {}


def _chase(world):
    period = open_quarter(world.region)
    key = {"local_authority": world.home_la, "period": period, "occasion": ChaseOccasion.BEFORE_DUE}
    return ChaseEmail, key, {}


def _invitation(world):
    # An invitation is its own occasion: the row is the key.
    key = {
        "email": "new.dcs@example.org",
        "full_name": "New Person",
        "role": Role.DCS,
        "local_authority": world.home_la,
        "invited_by": world.users["programme_manager"],
        "expires_at": timezone.now() + timedelta(days=14),
    }
    return Invitation, key, {}


def _update_email(world):
    from tests.regions.updates.conftest import make_update

    key = {"update": make_update(world), "email": "member@example.org"}
    return UpdateEmail, key, {"is_member": True}


def _opt_in(world):
    subscriber = Subscriber.objects.create(region=world.region, email="partner@example.org")
    return OptInEmail, {"subscriber": subscriber, "day": timezone.localdate()}, {}


def _notification(world):
    key = {"recipient": world.users["dcs"], "kind": "vote_opened", "occasion": "vote:1"}
    return Notification, key, {"text": "Vote open: Summit vote", "url": "/votes/1/"}


def _digest(world):
    digest_key = {"recipient": world.users["dcs"], "day": timezone.localdate()}

    def with_an_item(digest):  # a digest of nothing is skipped, not sent
        Notification.objects.get_or_create(
            recipient=world.users["dcs"],
            kind="action_assigned",
            occasion="action:1:owner:1",
            defaults={"text": "You own an action", "delivery": "digest", "digest": digest},
        )

    return NotificationDigest, digest_key, {}, with_an_item


def _event_message(world):
    event = EventFactory(region=world.region)
    message = EventMessage.objects.create(
        event=event, audience="delegates", subject="Parking", body="East car park"
    )
    return MessageRecipient, {"message": message, "email": "ann@example.org"}, {"name": "Ann"}


KINDS = {
    "events.MessageRecipient": _event_message,
    "notifications.Notification": _notification,
    "notifications.NotificationDigest": _digest,
    "events.Notice": _event_notice,
    "peer_challenge.Notice": _peer_notice,
    "benchmarking.ChaseEmail": _chase,
    "regions.Invitation": _invitation,
    "regions.UpdateEmail": _update_email,
    "regions.OptInEmail": _opt_in,
}


@pytest.fixture
def broker_down():
    """Publishing any task fails as it does when Redis is unreachable."""
    with mock.patch.object(
        outbox.deliver_task, "apply_async", side_effect=OperationalError("Connection refused")
    ) as publish:
        yield publish


def _record(kind, world, times=1):
    """Record the kind's email `times` times, each in its own transaction, as repeated requests
    or jobs would. Returns the row and, per call, whether it created it."""
    model, key, defaults, *after = KINDS[kind](world)  # after(row): what the row needs to send
    for table in outbox.outbox_models():  # emails the setup itself owed are not the point here
        table.objects.all().delete()
    mail.outbox.clear()
    created = []
    for _ in range(times):
        with transaction.atomic():
            row, was_created = outbox.send_once(model, defaults=defaults, **key)
            for prepare in after:
                prepare(row)
        created.append(was_created)
    return row, created


def test_every_email_table_is_on_the_outbox():
    assert sorted(model._meta.label for model in outbox.outbox_models()) == sorted(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_recorded_twice_and_swept_twice_the_email_goes_once(kind, transactional_db, broker_down):
    world = build_world()
    first, created = _record(kind, world, times=2)
    assert created == [True, False]
    assert type(first).objects.count() == 1

    assert mail.outbox == []  # the broker was down: nothing sent yet, the row waits
    assert outbox.sweep() == 1
    assert outbox.sweep() == 0
    assert len(mail.outbox) == 1
    first.refresh_from_db()
    assert (first.status, first.attempts) == (OutboxStatus.SENT, 1)
    assert first.sent_at is not None


@pytest.mark.parametrize("kind", KINDS)
def test_two_workers_delivering_at_the_same_moment_send_once(kind, transactional_db, broker_down):
    world = build_world()
    row, _ = _record(kind, world)
    model = type(row)
    stale_reason = model.outbox_stale_reason

    def slow_check(self, now):
        # Widen the window between reading the row and claiming it: without the row lock both
        # workers would read "pending" here and both would send.
        time.sleep(0.3)
        return stale_reason(self, now)

    start = threading.Barrier(2)
    results = []

    def worker():
        start.wait()
        try:
            results.append(outbox.deliver(model._meta.label, row.pk))
        finally:
            connection.close()

    with mock.patch.object(model, "outbox_stale_reason", slow_check):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


def test_a_worker_killed_mid_send_does_not_send_again_until_its_claim_expires(
    transactional_db, broker_down
):
    world = build_world()
    row, _ = _record("events.Notice", world)
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.run(
        [sys.executable, "-m", "tests.sli_portal.crash_while_sending", str(row.pk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 137, child.stderr  # died inside the mail server conversation

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENDING, 1)
    # Another worker, or the sweep, straight after: the claim is fresh, so nothing is sent again.
    assert outbox.deliver("events.Notice", row.pk) is False
    assert outbox.sweep() == 0

    # Once the claim has expired the sweep takes it again: one repeat, not a burst.
    EventNotice.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - CLAIM_TIMEOUT - timedelta(seconds=1)
    )
    assert outbox.sweep() == 1
    assert outbox.sweep() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_mail_server_error_gives_the_row_back_for_the_next_try(transactional_db, broker_down):
    world = build_world()
    row, _ = _record("events.Notice", world)
    with (
        mock.patch("sli_portal.emails.EmailMultiAlternatives.send", side_effect=OSError("refused")),
        pytest.raises(OSError, match="refused"),
    ):
        outbox.deliver("events.Notice", row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == (OutboxStatus.PENDING, 1, None)

    assert outbox.sweep() == 1
    assert len(mail.outbox) == 1
