"""Analyst is a named regional grant: the programme manager gives it (by invitation or to someone
already in the region), the membership's history says who and when, and its rights over the
region's returns (benchmarking/rules.py) come only with it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from regions.models import Membership, Position, Role
from regions.services import people as people_services
from sli_portal.access import SYSTEM, can

pytestmark = pytest.mark.django_db


def test_an_invited_analyst_gets_the_regions_return_rights_and_the_history_names_the_inviter(
    programme_manager, world
):
    invitation = people_services.invitation_create(
        actor=programme_manager,
        email="ana@example.org",
        full_name="Ana Lytics",
        role=Role.MEMBER,
        local_authority=world.home_la,
        position=Position.ANALYST,
    )
    user = people_services.invitation_accept(
        actor=SYSTEM, invitation=invitation, full_name="Ana Lytics", password="a-long-pass-phrase-9"
    )
    assert can(user, "benchmarking.bulk_upload", world.region)
    assert can(user, "benchmarking.approve_return", world.peer_la)
    assert not can(user, "benchmarking.approve_return", world.other_la)
    membership = Membership.objects.get(user=user)
    granted = membership.history.get()
    assert (granted.history_type, granted.position, granted.history_user) == (
        "+",
        Position.ANALYST,
        programme_manager,
    )


def test_programme_manager_makes_a_member_analyst_and_the_history_says_who(
    programme_manager, world
):
    member = world.users["member"]
    assert not can(member, "benchmarking.approve_return", world.peer_la)
    people_services.membership_grant(
        actor=programme_manager,
        user=member,
        role=Role.MEMBER,
        local_authority=world.home_la,
        position=Position.ANALYST,
    )
    assert can(member, "benchmarking.approve_return", world.peer_la)
    change = Membership.objects.get(user=member).history.latest()
    assert (change.history_type, change.position, change.history_user) == (
        "~",
        Position.ANALYST,
        programme_manager,
    )


@pytest.mark.parametrize("persona", ["dcs", "performance_lead", "member", "analyst", "outsider"])
def test_only_the_programme_manager_or_an_administrator_grants_analyst(persona, world):
    with pytest.raises(PermissionDenied):
        people_services.membership_grant(
            actor=world.users[persona],
            user=world.users["member"],
            role=Role.MEMBER,
            local_authority=world.home_la,
            position=Position.ANALYST,
        )
    assert not can(world.users["member"], "benchmarking.bulk_upload", world.region)
    assert not can(world.users[persona], "regions.grant_analyst", world.home_la)
    assert can(world.users["admin"], "regions.grant_analyst", world.home_la)


def test_the_invitation_form_says_what_an_analyst_may_do(programme_manager, world, client):
    client.force_login(programme_manager)
    page = client.get(reverse("regions:invitation_create", kwargs={"slug": world.region.slug}))
    assert "Analyst (regional: approves and uploads the region&#x27;s returns)" in (
        page.content.decode()
    )
