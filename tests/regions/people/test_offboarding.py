"""A programme manager ends any role in their region (a DCS's too) with a reason kept in the
history; nobody else may, and another region's people are not found."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from regions.models import Membership, Role
from regions.services.offboarding import membership_end
from regions.services.people import membership_grant
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _dcs_role(world):
    return Membership.objects.get(user=world.users["dcs"], role=Role.DCS)


def test_the_pm_ends_a_dcs_role_from_the_la_page_and_the_history_says_who_and_why(world, client):
    client.force_login(world.users["programme_manager"])
    page = client.get(world.home_la.get_absolute_url()).content.decode()
    role = _dcs_role(world)
    url = reverse("regions:membership_end", args=[role.pk])
    assert url in page

    blank = client.post(url, {"reason": "  "}).content.decode()
    assert "Say why the role ends" in blank
    done = client.post(url, {"reason": "Left the council"}, follow=True).content.decode()
    assert "Dan Clarke is no longer director of children&#x27;s services of Somerset." in done
    assert not Membership.objects.filter(pk=role.pk).exists()
    ended = Membership.history.filter(id=role.pk).latest("history_date")
    assert (ended.history_type, ended.history_user, ended.history_change_reason) == (
        "-",
        world.users["programme_manager"],
        "Left the council",
    )
    # The LA can have its next DCS now, without the Django admin.
    successor = UserFactory(email="new.dcs@example.org")
    membership_grant(
        actor=world.users["programme_manager"],
        user=successor,
        role=Role.DCS,
        local_authority=world.home_la,
    )


def test_only_the_regions_programme_manager_may_end_roles(world, client):
    role = _dcs_role(world)
    with pytest.raises(PermissionDenied):
        membership_end(actor=world.users["peer_dcs"], membership=role, reason="No")
    with pytest.raises(PermissionDenied):
        membership_end(actor=world.users["outsider"], membership=role, reason="No")
    pm_role = Membership.objects.get(user=world.users["programme_manager"])
    with pytest.raises(ValidationError, match="your own programme manager role"):
        membership_end(actor=world.users["programme_manager"], membership=pm_role, reason="Bye")
    client.force_login(world.users["peer_dcs"])
    assert "End role" not in client.get(world.home_la.get_absolute_url()).content.decode()
