"""The region's groups: sortable by each column, a page at a time (the sort kept)."""

import re

import pytest
from django.urls import reverse

from tests.regions.factories import GroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(world):
    people = [world.users[p] for p in ("dcs", "performance_lead", "member")]
    made = []
    for n in range(55):
        group = GroupFactory(region=world.region, name=f"Group {n:02d}")
        group.members.add(*people[: n % 4])
        made.append(group)
    return made


def _names(html: str) -> list[str]:
    return re.findall(r'class="govuk-link" href="/groups/\d+/">([^<]+)</a>', html)


def test_page_two_shows_the_next_groups_and_bad_values_give_page_one(world, groups, client_for):
    client = client_for(world.users["programme_manager"])
    url = reverse("regions:group_list", kwargs={"slug": world.region.slug})
    assert _names(client.get(url).content.decode())[-1] == "Group 49"
    second = client.get(url + "?page=2").content.decode()
    assert _names(second) == [f"Group {n}" for n in range(50, 55)]
    for query in ("?page=x", "?page=7", "?sort=evil", "?sort=-"):
        response = client.get(url + query)
        assert response.status_code == 200
        assert _names(response.content.decode())[0] == "Group 00"


def test_sorting_by_name_and_members_orders_what_the_user_sees(world, groups, client_for):
    client = client_for(world.users["programme_manager"])
    url = reverse("regions:group_list", kwargs={"slug": world.region.slug})
    assert _names(client.get(url + "?sort=-name").content.decode())[0] == "Group 54"
    most = client.get(url + "?sort=-members&page=1")
    counts = [g.member_count for g in most.context["groups"].rows]
    assert counts == sorted(counts, reverse=True) and counts[0] == 3
    html = most.content.decode()
    assert (
        'aria-sort="descending"><a class="govuk-link portal-sort__link" href="?sort=members"'
        in html
    )
    second = client.get(url + "?sort=-members&page=2").content.decode()
    assert "sort=-members&amp;page=1" in second  # the page links keep the sort
