import pytest
from django.core.management import CommandError, call_command

from benchmarking.models import Return, ReturnWindow, Source, Status, Value
from events.models import Delegate, Event
from notifications.models import Notification
from peer_challenge.models import Cycle
from regions.models import LocalAuthority, Membership, Role


def test_england_scale_has_every_la_role_and_the_issue_volumes_and_runs_once(db):
    call_command("load_reference_data")
    call_command("seed_scale", "--factor", "1")

    assert LocalAuthority.objects.filter(is_active=True).count() == 153
    assert Membership.objects.filter(role=Role.PROGRAMME_MANAGER).count() == 9
    assert Membership.objects.filter(role=Role.DCS).count() == 153
    assert Event.objects.exclude(kind="challenge_day").count() == 300
    assert 9_000 <= Delegate.objects.count() <= 11_000
    # Five peer-challenge cycles per region, each with its challenge-day event.
    assert Cycle.objects.count() == 9 * 5
    assert Event.objects.filter(kind="challenge_day").count() == 9 * 5
    # Benchmarking: 40 quarters x 18 core indicators x 153 LAs of returns (a few not started or
    # half-filled drafts in the newest quarter), windows per region, DfE figures for every LA.
    quarterly = Value.objects.filter(return_obj__source=Source.RETURN)
    assert 105_000 <= quarterly.count() <= 40 * 18 * 153
    assert ReturnWindow.objects.count() == 40 * 9
    assert Return.objects.filter(source=Source.RETURN, status=Status.LOCKED).count() >= 38 * 153
    newest = set(
        Return.objects.filter(source=Source.RETURN)
        .order_by("-period__end")
        .values_list("status", flat=True)[:100]
    )
    assert {Status.DRAFT, Status.SUBMITTED, Status.APPROVED} <= newest
    published = Return.objects.filter(source=Source.PUBLISHED)
    assert published.values("local_authority").distinct().count() >= 150
    # Regional updates: every region's public pages on with 40 published updates; summits and
    # conferences are public events.
    from regions.models import PublicProfile, Update

    assert PublicProfile.objects.filter(is_enabled=True).count() == 9
    assert Update.objects.filter(status="published").count() == 9 * 40
    assert Event.objects.filter(is_public=True, kind__in=["summit", "conference"]).count() == 120
    # Notifications: every DCS and performance lead has an inbox of 60, a third unread.
    inboxes = Notification.objects.values("recipient").distinct().count()
    assert inboxes >= 153 and Notification.objects.count() == inboxes * 60
    assert Notification.objects.filter(read_at__isnull=True).count() == inboxes * 20

    with pytest.raises(CommandError, match="already here"):
        call_command("seed_scale")
    assert Event.objects.exclude(kind="challenge_day").count() == 300
