"""Events and peer-challenge notification kinds: pool places released (every DCS of the region),
a date to avoid marked on a booked event (its region's programme managers), moderation comments
ready (the LA's DCS and performance lead, inbox only: peer challenge emails them itself)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.services import events as events_services
from events.services import places as places_services
from notifications.models import Notification
from regions.models import Role
from sli_portal.access import SYSTEM
from tests.accounts.factories import UserFactory
from tests.events.conftest import summit  # noqa: F401  (fixture)
from tests.peer_challenge.factories import commented
from tests.regions.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _told(kind) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_pool_release_tells_every_dcs_of_the_region_once(world, summit):  # noqa: F811
    places_services.pool_release(actor=SYSTEM, event=summit)
    places_services.pool_release(actor=SYSTEM, event=summit)  # released already: nothing
    assert _told("place_released") == ["dcs@example.org", "peer@example.org"]
    text = Notification.objects.filter(kind="place_released").first().text
    assert text.startswith(f"8 places released to the regional pool for {summit.title}")


def test_a_date_to_avoid_on_a_booked_event_tells_the_other_programme_managers(world, summit):  # noqa: F811
    second_pm = UserFactory(email="pm2@example.org")
    MembershipFactory(
        user=second_pm, role=Role.PROGRAMME_MANAGER, region=world.region, local_authority=None
    )
    day = timezone.localtime(summit.starts_at).date()
    events_services.external_date_add(
        actor=world.users["programme_manager"],
        region=world.region,
        title="ADCS conference",
        date=day,
    )
    events_services.external_date_add(
        actor=world.users["programme_manager"],
        region=world.region,
        title="Quiet day",
        date=day + timedelta(days=3),
    )
    assert _told("clash_marked") == ["pm2@example.org"]  # not who marked it; no clash, nothing

    events_services.external_date_add(
        actor=world.users["admin"], region=None, title="National conference", date=day
    )
    assert _told("clash_marked") == ["pm2@example.org", "pm2@example.org", "pm@example.org"]
    assert not Notification.objects.filter(recipient=world.users["outsider"]).exists()


def test_moderation_comments_ready_reach_the_la_in_the_inbox_only(world):
    sa, _ = commented(world)
    assert _told("self_assessment_moderated") == ["dcs@example.org", "lead@example.org"]
    assert set(
        Notification.objects.filter(kind="self_assessment_moderated").values_list(
            "status", "skipped_reason"
        )
    ) == {("skipped", "Emailed by its own app.")}
    assert Notification.objects.filter(kind="self_assessment_moderated").first().url == (
        sa.get_absolute_url()
    )
