"""The region page's and the LA list's bodies are kept in the cache (sli_portal.fragments): a
few queries however many LAs and people; a change shows on the next request however it was
made; each viewer sees what they may (people and invitations), each address its own list."""

import pytest
from django.urls import reverse

from accounts.models import User
from regions.models import Invitation, LocalAuthority, Region, Role
from regions.services.people import invitation_create, membership_grant
from tests.accounts.factories import UserFactory
from tests.fragment_race import write_just_before_the_stamp
from tests.helpers import assert_query_count_flat, count_queries
from tests.regions.factories import LocalAuthorityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _page(client, url, data=None) -> str:
    response = client.get(url, data)
    assert response.status_code == 200
    return response.content.decode()


def _grow_las(world):
    def grow(n):
        while LocalAuthority.objects.filter(region=world.region).count() < n:
            la = LocalAuthorityFactory(region=world.region)
            MembershipFactory(role=Role.DCS, local_authority=la)
            MembershipFactory(role=Role.PERFORMANCE_LEAD, local_authority=la)

    return grow


def test_region_page_costs_the_same_few_queries_however_many_las(world, client_for):
    """The frame, the region, the stamp: for its programme manager (people, invitations) and
    for someone of another region."""
    for persona in ("programme_manager", "outsider"):
        client = client_for(world.users[persona])
        url = world.region.get_absolute_url()
        assert_query_count_flat(client, url, _grow_las(world), small=5, large=40, budget=4)


def test_region_page_shows_a_new_dcs_and_invitation_on_the_next_request(world, client_for):
    client = client_for(world.users["programme_manager"])
    url = world.region.get_absolute_url()
    la = LocalAuthorityFactory(region=world.region, name="Wiltshire")
    assert "Wiltshire" in _page(client, url)
    assert "Willa Newcomer" not in _page(client, url)  # from the cache
    membership_grant(
        actor=world.users["admin"],
        user=UserFactory(full_name="Willa Newcomer"),
        role=Role.DCS,
        local_authority=la,
    )
    assert "Willa Newcomer" in _page(client, url)
    invitation_create(
        actor=world.users["programme_manager"],
        email="ivy@example.org",
        full_name="Ivy Invited",
        role=Role.MEMBER,
        local_authority=la,
    )
    assert "Ivy Invited" in _page(client, url)


def test_region_page_shows_changes_made_past_the_services(world, client_for):
    client = client_for(world.users["programme_manager"])
    url = world.region.get_absolute_url()
    assert "Dan Clarke" in _page(client, url)
    User.objects.filter(pk=world.users["dcs"].pk).update(full_name="Daniel Clarke-Renamed")
    LocalAuthority.objects.filter(pk=world.peer_la.pk).update(name="Devon County")
    Region.objects.filter(pk=world.region.pk).update(code="E99999999")
    page = _page(client, url)
    assert "Daniel Clarke-Renamed" in page and "Devon County" in page and "E99999999" in page
    invitation_create(
        actor=world.users["programme_manager"],
        email="ivy@example.org",
        full_name="Ivy Invited",
        role=Role.MEMBER,
        local_authority=world.home_la,
    )
    assert "Ivy Invited" in _page(client, url)
    Invitation.objects.update(full_name="Ivy Renamed")
    assert "Ivy Renamed" in _page(client, url)
    assert count_queries(client, url) <= 4  # cached again


def test_a_change_committed_after_the_region_is_fetched_is_not_kept_stale(
    world, client_for, monkeypatch
):
    """The body reads the region after its stamp, not the copy fetched for the page's title."""
    client = client_for(world.users["programme_manager"])
    write_just_before_the_stamp(
        monkeypatch, lambda: Region.objects.filter(pk=world.region.pk).update(code="E88888888")
    )
    for _ in range(2):
        assert "ONS code E88888888" in _page(client, world.region.get_absolute_url())


def test_region_page_each_viewer_sees_their_own_body(world, client_for):
    """People to the region's members, invitations to its programme manager: whoever's body was
    cached first."""
    url = world.region.get_absolute_url()
    expected = {
        "programme_manager": {"Dan Clarke": True, "Invite someone": True},
        "member": {"Dan Clarke": True, "Invite someone": False},
        "outsider": {"Dan Clarke": False, "Invite someone": False},
    }
    for persona in ["programme_manager", "member", "outsider"] * 2:
        page = _page(client_for(world.users[persona]), url)
        for text, shown in expected[persona].items():
            assert (text in page) is shown, (persona, text)


def test_la_list_costs_the_same_few_queries_however_many_las(world, client_for):
    """The frame and the stamp: not even the filter's regions are read on a warm cache."""
    client = client_for(world.users["dcs"])
    url = reverse("regions:la_list")
    assert_query_count_flat(client, url, _grow_las(world), small=5, large=120, budget=3)
    assert count_queries(client, url + "?sort=-region&page=2") <= 3


def test_la_list_shows_a_saved_la_and_an_updated_region_on_the_next_request(world, client_for):
    client = client_for(world.users["dcs"])
    url = reverse("regions:la_list")
    assert "Somerset Council" not in _page(client, url)
    la = LocalAuthority.objects.get(pk=world.home_la.pk)
    la.name = "Somerset Council"
    la.save()  # as the admin saves it
    assert "Somerset Council" in _page(client, url)
    Region.objects.filter(pk=world.region.pk).update(name="South West England")
    page = _page(client, url)
    assert "South West England" in page
    LocalAuthorityFactory(region=world.region, name="Newshire")
    assert "Newshire" in _page(client, url)


def test_la_list_each_viewer_and_address_gets_its_own_body(world, client_for):
    url = reverse("regions:la_list")
    for _ in range(2):
        mine = _page(client_for(world.users["dcs"]), url, {"region": world.region.pk})
        assert "Somerset" in mine and "Bracknell Forest" not in mine
        theirs = _page(client_for(world.users["outsider"]), url, {"region": world.other_region.pk})
        assert "Bracknell Forest" in theirs and "Somerset" not in theirs
        everything = _page(client_for(world.users["outsider"]), url)
        assert "Bracknell Forest" in everything and "Somerset" in everything


def test_with_redis_down_both_pages_still_answer(world, client):
    """Slower (every body rendered), never an error: the failsafe cache answers "missing"."""
    from django.test import override_settings

    from sli_portal import cache as failsafe_cache
    from tests.sli_portal.test_redis_outage import _caches, _closed_port

    failsafe_cache.reset_outages()
    try:
        with override_settings(
            CACHES=_caches(_closed_port()), SESSION_ENGINE="sli_portal.sessions"
        ):
            client.force_login(world.users["programme_manager"])
            for _ in range(2):
                assert "Dan Clarke" in _page(client, world.region.get_absolute_url())
                assert "Bracknell Forest" in _page(client, reverse("regions:la_list"))
    finally:
        failsafe_cache.reset_outages()
