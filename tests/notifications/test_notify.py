"""Recording a notification: once per person, kind and occasion; emailed by each person's
preference (straight away, daily digest, inbox only); never to the actor or inactive people."""

import pytest
from django.core import mail

from notifications.models import Delivery, Notification
from notifications.services import notify, preference_set
from sli_portal.access import SYSTEM
from tests.notifications.conftest import emailed

pytestmark = pytest.mark.django_db


def _tell(sent, *people, occasion="vote:1", actor=SYSTEM):
    return sent(
        notify,
        actor=actor,
        recipients=people,
        kind="vote_opened",
        occasion=occasion,
        text="Vote open: Summit vote",
        url="/votes/1/",
    )


def test_each_person_gets_it_once_per_occasion_and_by_email_straight_away(world, sent):
    dcs, peer = world.users["dcs"], world.users["peer_dcs"]
    _tell(sent, dcs, peer)
    assert emailed() == [
        (dcs.email, "Vote open: Summit vote"),
        (peer.email, "Vote open: Summit vote"),
    ]
    assert "/votes/1/" in mail.outbox[0].body

    _tell(sent, dcs, peer)  # the same occasion again: nothing new, no email
    assert mail.outbox == []
    assert Notification.objects.count() == 2

    _tell(sent, dcs, occasion="vote:2")  # another occasion
    assert emailed() == [(dcs.email, "Vote open: Summit vote")]


def test_the_preference_decides_the_email(world, sent):
    dcs, peer, member = world.users["dcs"], world.users["peer_dcs"], world.users["member"]
    preference_set(actor=peer, delivery=Delivery.DAILY_DIGEST)
    preference_set(actor=member, delivery=Delivery.INBOX_ONLY)
    _tell(sent, dcs, peer, member)

    assert emailed() == [(dcs.email, "Vote open: Summit vote")]
    rows = dict(Notification.objects.values_list("recipient__email", "skipped_reason"))
    assert rows == {
        dcs.email: "",
        peer.email: "In the daily digest.",
        member.email: "The person reads it in the inbox only.",
    }


def test_the_actor_and_inactive_people_are_not_told(world, sent):
    pm, dcs, peer = world.users["programme_manager"], world.users["dcs"], world.users["peer_dcs"]
    peer.is_active = False
    peer.save()
    _tell(sent, pm, dcs, peer, actor=pm)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [dcs.pk]
