"""Every plan, funding, group and vote page costs the same number of queries at two sizes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from regions import panels as priority_panels
from regions.models import (
    FundingContribution,
    GroupAccountEntry,
    GroupAnnualAccount,
    Plan,
    RegionalGroup,
    Vote,
)
from tests.helpers import assert_query_count_flat
from tests.regions.factories import (
    FundingFactory,
    GroupFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    PlanFactory,
    PriorityFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def test_plan_list_is_flat(world, client_for):
    def grow(n):
        while Plan.objects.filter(region=world.region).count() < n:
            PriorityFactory(theme__plan__region=world.region)

    url = reverse("regions:plan_list", kwargs={"slug": world.region.slug})
    assert_query_count_flat(client_for(world.users["dcs"]), url, grow, small=2, large=12, budget=10)


def test_funding_page_is_flat(plan, world, client_for):
    def grow(n):
        while FundingContribution.objects.filter(plan=plan).count() < n:
            la = LocalAuthorityFactory(region=world.region)
            FundingFactory(
                plan=plan, source="la_subscription", local_authority=la, amount=Decimal("10")
            )

    url = reverse("regions:funding_list", kwargs={"pk": plan.pk})
    assert_query_count_flat(client_for(world.users["dcs"]), url, grow, small=2, large=20, budget=10)


def test_group_pages_are_flat(world, client_for):
    group = GroupFactory(region=world.region, sponsor=world.users["member"])

    def grow(n):
        while RegionalGroup.objects.filter(region=world.region).count() < n:
            GroupFactory(region=world.region)
        while group.members.count() < n:
            group.members.add(MembershipFactory(local_authority=world.home_la).user)
        while group.accounts.count() < n:
            priority = PriorityFactory(theme__plan__region=world.region)
            group.priorities.add(priority)
            account = GroupAnnualAccount.objects.create(
                group=group, year=2000 + group.accounts.count()
            )
            GroupAccountEntry.objects.create(account=account, priority=priority, narrative="x")

    client = client_for(world.users["programme_manager"])
    list_url = reverse("regions:group_list", kwargs={"slug": world.region.slug})
    assert_query_count_flat(client, list_url, grow, small=2, large=10, budget=10)
    assert_query_count_flat(client, group.get_absolute_url(), grow, small=12, large=20, budget=14)


def test_vote_list_is_flat(world, client_for):
    def grow(n):
        while Vote.objects.filter(region=world.region).count() < n:
            VoteFactory(region=world.region)

    url = reverse("regions:vote_list", kwargs={"slug": world.region.slug})
    assert_query_count_flat(client_for(world.users["dcs"]), url, grow, small=2, large=12, budget=10)


def test_benchmarking_can_show_indicator_trends_on_a_priority(world, client_for):
    """The hook that lets benchmarking (which regions must not import) add panels."""
    priority = PriorityFactory(theme__plan=PlanFactory(region=world.region))

    def panel(request, shown):
        return f"<p>Trend of indicators for priority {shown.number}</p>"

    priority_panels.register_priority_panel(panel)
    try:
        page = client_for(world.users["dcs"]).get(priority.get_absolute_url()).content.decode()
    finally:
        priority_panels._priority_panels.remove(panel)
    assert f"<p>Trend of indicators for priority {priority.number}</p>" in page
    assert "No indicators are linked" not in page
