"""Return notifications: submitted (to who approves), approved and reopened (to the LA's
performance leads), once per occasion; never to another region."""

import pytest

from benchmarking import services
from benchmarking.models import Return
from notifications.models import Notification
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
