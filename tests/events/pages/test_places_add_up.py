"""Events that add up: actions offered only when possible, colleagues picked from the LA's
people (several at once), a meeting counted once by its invitations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Delegate, EventKind, EventStatus
from events.services import events as events_services
from events.services import meetings as meetings_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register

pytestmark = pytest.mark.django_db


def test_register_a_delegate_is_offered_only_while_a_place_is_free(world, dcs, summit, client_for):
    client = client_for(dcs)
    for n in range(3):
        register(summit, world.home_la, n)
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "Register a delegate" in page
    register(summit, world.home_la, 3)
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "4 of 4 places used" in page
    assert "Register a delegate" not in page
    assert "Somerset has used all its places" in page
    form = client.get(reverse("events:delegate_create", args=[summit.pk, world.home_la.slug]))
    assert "Somerset has used all its places" in form.content.decode()
    assert "Register the people ticked" not in form.content.decode()


def test_a_full_event_offers_no_registration(world, dcs, summit, client_for):
    events_services.event_update(actor=SYSTEM, event=summit, capacity=1)
    register(summit, world.peer_la, 1)
    page = client_for(dcs).get(summit.get_absolute_url()).content.decode()
    assert "Register a delegate" not in page
    assert "Summer summit is full" in page


def test_dcs_registers_several_colleagues_at_once(world, dcs, summit, client_for):
    client = client_for(dcs)
    url = reverse("events:delegate_create", args=[summit.pk, world.home_la.slug])
    page = client.get(url).content.decode()
    lead, member = world.users["performance_lead"], world.users["member"]
    assert lead.full_name in page and member.full_name in page
    assert world.users["peer_dcs"].full_name not in page  # another LA's people are not offered
    response = client.post(url, {"colleagues": [lead.pk, member.pk]})
    assert response.status_code == 302
    registered = Delegate.objects.filter(event=summit)
    assert sorted((d.email, d.user_id) for d in registered) == sorted(
        [(lead.email, lead.pk), (member.email, member.pk)]
    )
    client.get(summit.get_absolute_url())  # shows (and clears) the "are registered" message
    page = client.get(url).content.decode()
    assert lead.full_name not in page  # has a place now


def test_choosing_more_colleagues_than_free_places_registers_nobody(world, dcs, summit, client_for):
    for n in range(3):
        register(summit, world.home_la, n)
    url = reverse("events:delegate_create", args=[summit.pk, world.home_la.slug])
    lead, member = world.users["performance_lead"], world.users["member"]
    response = client_for(dcs).post(url, {"colleagues": [lead.pk, member.pk]})
    assert response.status_code == 400
    assert "You chose 2 people but only 1 place is free." in response.content.decode()
    assert Delegate.objects.filter(event=summit).count() == 3


def _steering_group(world):
    starts = timezone.now() + timedelta(days=3)
    meeting = events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.STEERING_GROUP,
        title="Steering group",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=EventStatus.PUBLISHED,
        places_per_la=1,
        quorum=2,
        quorum_warning_days=7,
    )
    meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs")
    return meeting


def test_a_meeting_shows_invitations_not_places(world, dcs, client_for):
    meeting = _steering_group(world)
    meetings_services.invitee_respond(actor=dcs, event=meeting, attending=True)
    page = client_for(dcs).get(meeting.get_absolute_url()).content.decode()
    assert "Your reply: <strong>Attending</strong>" in page
    assert "places used" not in page
    assert "Register a delegate" not in page


def test_pm_dashboard_lists_a_meeting_once_with_one_count(world, programme_manager, client_for):
    _steering_group(world)
    page = client_for(programme_manager).get(reverse("dashboard")).content.decode()
    assert page.count("Steering group:") == 1
    assert "Steering group: 0 of 2 invited people expected; quorum 2" in page
    assert "Below quorum" in page
    assert "LA places taken" not in page
