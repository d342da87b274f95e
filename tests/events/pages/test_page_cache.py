"""The event page's and the registrations page's bodies are kept in the cache
(sli_portal.fragments): a few queries however many delegates; a change shows on the next request
however it was made; each viewer sees what they may (organisers, each LA's DCS)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from events.models import Allocation, Delegate, Event
from events.services import events as events_services
from events.services import places as places_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register
from tests.events.factories import DelegateFactory
from tests.fragment_race import write_just_before_the_stamp
from tests.helpers import assert_query_count_flat, count_queries
from tests.regions.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _grower(world, event, workshop):
    """grow(n): n registered delegates, spread over the home LA and new LAs of the region,
    a third of them with a workshop."""

    def grow(n):
        have = Delegate.objects.filter(event=event).count()
        for i in range(have, n):
            la = world.home_la if i < 2 else LocalAuthorityFactory(region=world.region)
            delegate = DelegateFactory(event=event, local_authority=la)
            if i % 3 == 0:
                delegate.choices.create(session=workshop, allocated=True)

    return grow


def test_event_page_costs_the_same_few_queries_however_many_delegates(
    world, summit, workshops, client_for
):
    """The frame, the event (who may see it), the stamp: for an organiser and for a DCS."""
    grow = _grower(world, summit, workshops[1])
    for persona in ("programme_manager", "dcs"):
        client = client_for(world.users[persona])
        assert_query_count_flat(
            client, summit.get_absolute_url(), grow, small=5, large=60, budget=4
        )


def test_registrations_cost_the_same_few_queries_however_many_delegates(
    world, summit, workshops, client_for
):
    """Not even the place counts are read on a warm cache (they are the body's)."""
    client = client_for(world.users["programme_manager"])
    url = reverse("events:registrations", args=[summit.pk])
    grow = _grower(world, summit, workshops[1])
    assert_query_count_flat(client, url, grow, small=5, large=120, budget=4)


def test_event_page_shows_changes_made_through_the_services_on_the_next_request(
    world, summit, client_for
):
    client = client_for(world.users["dcs"])
    url = summit.get_absolute_url()
    assert "0 of 4 places used" in _page(client, url)
    assert "0 of 4 places used" in _page(client, url)  # from the cache
    register(summit, world.home_la, 1)
    page = _page(client, url)
    assert "1 of 4 places used" in page and "Delegate somerset 1" in page
    events_services.session_create(
        actor=SYSTEM,
        event=summit,
        title="Opening plenary",
        starts_at=summit.starts_at,
        ends_at=summit.starts_at + timedelta(hours=1),
    )
    assert "Opening plenary" in _page(client, url)
    events_services.event_update(
        actor=world.users["programme_manager"], event=summit, venue="Exeter Guildhall"
    )
    assert "Exeter Guildhall" in _page(client, url)


def test_event_page_shows_changes_made_past_the_services(world, summit, client_for):
    register(summit, world.home_la, 1)
    client = client_for(world.users["dcs"])
    url = summit.get_absolute_url()
    assert "Delegate somerset 1" in _page(client, url)
    Event.objects.filter(pk=summit.pk).update(venue="Yeovil Town Hall")
    Delegate.objects.filter(event=summit).update(full_name="Renamed Delegate")
    page = _page(client, url)
    assert "Yeovil Town Hall" in page and "Renamed Delegate" in page
    Allocation.objects.filter(event=summit, local_authority=world.home_la).update(places=6)
    assert "1 of 6 places used" in _page(client, url)
    assert count_queries(client, url) <= 4  # cached again


@pytest.mark.parametrize("page", ["event", "registrations"])
def test_a_change_committed_after_the_permission_check_is_not_kept_stale(
    world, summit, client_for, monkeypatch, page
):
    """The body reads the event after its stamp, not the copy fetched to check who may see it:
    rendered from older rows it would be kept under the newer stamp."""
    client = client_for(world.users["programme_manager"])
    url = (
        summit.get_absolute_url()
        if page == "event"
        else reverse("events:registrations", args=[summit.pk])
    )
    write_just_before_the_stamp(
        monkeypatch,
        lambda: Event.objects.filter(pk=summit.pk).update(
            title="Autumn summit", pool_release_at=summit.starts_at - timedelta(days=7)
        ),
    )
    for _ in range(2):
        html = _page(client, url)
        assert "Autumn summit" in html.split("</h1>")[0].split("<h1")[-1]
        if page == "registrations":
            assert "Unused places will be pooled on" in html


def test_event_page_each_viewer_sees_their_own_body(world, summit, client_for):
    """The organiser sees "Organise", each DCS their own LA's delegates: whoever's body was
    cached first."""
    register(summit, world.home_la, 1)
    register(summit, world.peer_la, 2)
    home, peer = world.home_la.name, world.peer_la.name
    expected = {
        "programme_manager": {"Registrations per LA": True, f"{home}'s delegates": False},
        "dcs": {
            "Registrations per LA": False,
            f"{home}'s delegates": True,
            "Delegate somerset 1": True,
            f"{peer}'s delegates": False,
        },
        "peer_dcs": {
            "Registrations per LA": False,
            f"{home}'s delegates": False,
            "Delegate somerset 1": False,
            f"{peer}'s delegates": True,
        },
    }
    for persona in ["programme_manager", "dcs", "peer_dcs"] * 2:
        page = _page(client_for(world.users[persona]), summit.get_absolute_url())
        for text, shown in expected[persona].items():
            assert (text in page) is shown, (persona, text)


def test_registrations_show_changes_made_through_the_service_and_past_it(world, summit, client_for):
    client = client_for(world.users["programme_manager"])
    url = reverse("events:registrations", args=[summit.pk])
    assert "0 of 7" not in _page(client, url)
    places_services.allocation_set(
        actor=world.users["programme_manager"],
        event=summit,
        local_authority=world.home_la,
        places=7,
    )
    assert "0 of 7" in _page(client, url)
    Allocation.objects.filter(event=summit, local_authority=world.home_la).update(places=9)
    page = _page(client, url)
    assert "0 of 9" in page and "0 of 7" not in page
    Event.objects.filter(pk=summit.pk).update(title="Renamed summit")
    assert "Registrations for Renamed summit" in _page(client, url)


def test_registrations_body_is_never_served_to_someone_who_may_not_see_it(
    world, summit, client_for
):
    register(summit, world.home_la, 1, dietary_needs="Coeliac")
    url = reverse("events:registrations", args=[summit.pk])
    for _ in range(2):
        assert "Coeliac" in _page(client_for(world.users["programme_manager"]), url)
        assert client_for(world.users["dcs"]).get(url).status_code == 403
        assert client_for(world.users["admin"]).get(url).status_code == 200


def test_with_redis_down_both_pages_still_answer(world, summit, client):
    """Slower (every body rendered), never an error: the failsafe cache answers "missing"."""
    from django.test import override_settings

    from sli_portal import cache as failsafe_cache
    from tests.sli_portal.test_redis_outage import _caches, _closed_port

    register(summit, world.home_la, 1)
    failsafe_cache.reset_outages()
    try:
        with override_settings(
            CACHES=_caches(_closed_port()), SESSION_ENGINE="sli_portal.sessions"
        ):
            client.force_login(world.users["programme_manager"])
            for _ in range(2):
                assert "Registrations per LA" in _page(client, summit.get_absolute_url())
                url = reverse("events:registrations", args=[summit.pk])
                assert "Delegate somerset 1" in _page(client, url)
    finally:
        failsafe_cache.reset_outages()
