"""Regional groups: annual accounts per supported priority, members from the region only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from regions.services import groups as group_services
from tests.regions.factories import PriorityFactory

pytestmark = pytest.mark.django_db


def test_group_account_states_progress_per_supported_priority(
    theme, world, programme_manager, client_for
):
    neglect = PriorityFactory(theme=theme, plan=theme.plan, number=1, title="Neglect")
    group = group_services.group_create(
        actor=programme_manager,
        region=world.region,
        name="Performance leads",
        accountable_to="steering_group",
        sponsor=world.users["member"],
        members=[world.users["performance_lead"]],
        priorities=[neglect],
    )
    client = client_for(world.users["member"])
    url = reverse("regions:group_account_create", kwargs={"pk": group.pk})
    year = timezone.localdate().year
    response = client.post(
        url, {"year": year, "summary": "", f"priority_{neglect.pk}": "Scorecard built."}
    )
    assert response.status_code == 302
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Scorecard built." in page
    again = client.post(url, {"year": year, "summary": "More", f"priority_{neglect.pk}": ""})
    assert again.status_code == 400
    assert "already given its account" in again.content.decode()


def test_group_refuses_members_from_another_region(world, programme_manager):
    with pytest.raises(ValidationError, match="Neither in an LA of South West nor its partner: "):
        group_services.group_create(
            actor=programme_manager,
            region=world.region,
            name="PSWs",
            accountable_to="adcs_branch",
            members=[world.users["outsider"]],
        )


def test_a_partner_of_the_region_may_be_a_group_member(world, programme_manager, client_for):
    from regions.forms.groups import GroupForm

    form = GroupForm(region=world.region)
    assert world.users["partner"] in form.fields["members"].queryset
    assert world.users["partner"] not in form.fields["sponsor"].queryset  # sponsors are LA ADs
    group = group_services.group_create(
        actor=programme_manager,
        region=world.region,
        name="Steering group",
        accountable_to="steering_group",
        members=[world.users["performance_lead"], world.users["partner"]],
    )
    assert set(group.members.all()) == {world.users["performance_lead"], world.users["partner"]}
    with pytest.raises(ValidationError, match="nor its partner: Sam Staff"):
        group_services.group_update(
            actor=programme_manager,
            group=group,
            name="Steering group",
            accountable_to="steering_group",
            members=[world.users["staff"]],
        )
