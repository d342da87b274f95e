"""Demo and scale seeding: the South West plan, and a current plan per region at scale."""

from decimal import Decimal

import pytest

from regions.models import FundingContribution, Plan

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_south_west_plan_once():
    from django.core.management import call_command

    from regions.seed.demo import plan_years

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    plan = Plan.objects.get()
    assert (plan.region.name, plan.period_label, plan.is_current) == (
        "South West",
        f"{plan_years()[0]}-{plan_years()[1] + 1}",
        True,
    )
    assert "Focus on outcomes at a regional level" in plan.principles
    titles = list(plan.priorities.order_by("number").values_list("title", flat=True))
    assert titles[:2] == [
        "Preventing and tackling neglect",
        "Improving outcomes for children in care",
    ]
    assert plan.votes.get().candidates.filter(promoted_to__isnull=False).count() == 2
    dfe = FundingContribution.objects.filter(
        plan=plan, source="dfe_grant", financial_year=plan.start_year
    ).get()
    assert dfe.amount == Decimal("130000.00")
    assert (
        FundingContribution.objects.filter(
            plan=plan, source="la_subscription", financial_year=plan.start_year
        ).count()
        == plan.region.local_authorities.filter(is_active=True).count()
    )
    assert plan.region.regional_groups.get(name="Performance leads group").accounts.exists()
    # Regional updates (issue 16): three published, composed from every app's demo activity,
    # seeded once however often seed_demo runs, on the region's public pages.
    updates = list(plan.region.updates.order_by("publish_date"))
    assert [u.status for u in updates] == ["published"] * 3
    for update in updates:
        assert update.featured_event["title"] == "South West summer summit"
        for section in ("## Regional improvement plan", "## Peer challenge", "## Data: "):
            assert section in update.body
        assert "Take-up in " in update.body and "of 15 LAs" in update.body
        assert "up a quartile" in update.body or "No LA moved a quartile." in update.body
    assert plan.region.public_profile.is_enabled


def test_seed_scale_gives_every_region_a_current_plan_that_renders_within_budget(client):
    from django.core.management import call_command

    from regions.models import Ballot, LocalAuthority, Membership, Priority, Region
    from tests.helpers import count_queries

    call_command("seed_scale", factor=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Plan.objects.filter(is_current=True).count() == Region.objects.count() == 9
    assert Priority.objects.count() == 90
    assert Ballot.objects.count() == LocalAuthority.objects.filter(is_active=True).count()
    london = Plan.objects.get(region__code="E12000007")
    pm = Membership.objects.get(region=london.region, role="programme_manager").user
    client.force_login(pm)
    assert count_queries(client, london.get_absolute_url()) <= 16
    assert count_queries(client, "/") <= 20
