"""Return notifications: submitted (to who approves), approved and reopened (to the LA's
performance leads), once per occasion; never to another region."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from benchmarking import services, signals
from benchmarking.models import Return
from notifications.models import Delivery, Notification
from notifications.services import digests_record, preference_set
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import upload_return
from tests.notifications.conftest import emailed

pytestmark = pytest.mark.django_db


def _told(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_submitted_approved_reopened_each_reach_who_must_act(world, quarter, sent):
    upload_return(world, quarter, world.home_la, user="performance_lead")
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    lead, pm = world.users["performance_lead"], world.users["programme_manager"]

    sent(services.return_submit, actor=lead, return_id=ret.pk)
    assert _told("return_submitted") == ["analyst@example.org", "pm@example.org"]
    assert [to for to, _ in emailed()] == ["analyst@example.org", "pm@example.org"]

    sent(services.return_approve, actor=pm, return_id=ret.pk)
    assert _told("return_approved") == ["lead@example.org"]

    sent(services.return_reopen, actor=pm, return_id=ret.pk, reason="Q1 figure is a typo")
    assert _told("return_reopened") == ["lead@example.org"]
    assert "Q1 figure is a typo" in emailed()[0][1]

    # Submitted and approved again: a new occasion each, told again.
    services.return_submit(actor=lead, return_id=ret.pk)
    services.return_approve(actor=pm, return_id=ret.pk)
    assert Notification.objects.filter(kind="return_submitted").count() == 4
    assert _told("return_approved") == ["lead@example.org", "lead@example.org"]
    assert not Notification.objects.filter(recipient=world.users["outsider"]).exists()


def _dcs_approval_on(world):
    services.approval_setting_save(
        actor=world.users["programme_manager"], region=world.region, dcs_approval=True
    )


def test_with_dcs_approval_the_dcs_is_told_first_and_the_region_after_the_dcs(
    world, quarter, sent, client
):
    _dcs_approval_on(world)
    upload_return(world, quarter, world.home_la, user="performance_lead")
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    lead, dcs = world.users["performance_lead"], world.users["dcs"]

    sent(services.return_submit, actor=lead, return_id=ret.pk)
    assert _told("return_awaiting_approval") == ["dcs@example.org"]  # not Devon's, not another's
    assert _told("return_submitted") == []  # the region cannot approve it yet
    assert emailed() == [
        (
            "dcs@example.org",
            f"Return for {ret.period} submitted by Somerset: approve it as DCS before the "
            "region does.",
        )
    ]
    notification = dcs.notifications.get()
    assert notification.url == reverse(
        "benchmarking:return_detail", kwargs={"la_slug": "somerset", "period_slug": ret.period.slug}
    )
    client.force_login(dcs)  # the link opens the return, with the DCS's approve button
    assert "Approve as DCS" in client.get(notification.url).content.decode()

    sent(services.return_la_approve, actor=dcs, return_id=ret.pk)
    assert _told("return_submitted") == ["analyst@example.org", "pm@example.org"]
    assert "approved by its DCS" in emailed()[0][1]

    # Reopened and submitted again: a new occasion, the DCS is told again; a repeat of the
    # signal for the same submission adds nothing.
    services.return_reopen(actor=world.users["programme_manager"], return_id=ret.pk, reason="Fix")
    services.return_submit(actor=lead, return_id=ret.pk)
    ret.refresh_from_db()
    signals.return_submitted.send(sender=Return, return_obj=ret, actor=lead)
    assert _told("return_awaiting_approval") == ["dcs@example.org", "dcs@example.org"]
    outside = ("outsider", "peer_dcs", "member", "partner", "performance_lead")
    assert not Notification.objects.filter(
        kind="return_awaiting_approval", recipient__in=[world.users[p] for p in outside]
    ).exists()


def test_awaiting_approval_follows_the_dcss_preference_and_joins_the_digest(world, quarter, sent):
    _dcs_approval_on(world)
    preference_set(actor=world.users["dcs"], delivery=Delivery.DAILY_DIGEST)
    upload_return(world, quarter, world.home_la, user="performance_lead")
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    sent(services.return_submit, actor=world.users["performance_lead"], return_id=ret.pk)
    assert _told("return_awaiting_approval") == ["dcs@example.org"]
    assert mail.outbox == []  # the DCS asked for one email a day
    assert sent(digests_record, actor=SYSTEM, day=dt.date.today()) == 1
    assert [m.to for m in mail.outbox] == [["dcs@example.org"]]
    assert "approve it as DCS before the region does" in mail.outbox[0].body
