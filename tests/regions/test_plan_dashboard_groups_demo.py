"""Dashboard items from the plan, regional groups with annual accounts, and the demo plan."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from regions.models import FundingContribution, Plan
from regions.services import groups as group_services
from tests.regions.factories import ActionFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def test_owner_sees_their_overdue_actions_on_the_dashboard(theme, world, client_for):
    priority = PriorityFactory(theme=theme, plan=theme.plan, number=1, title="Neglect")
    ActionFactory(
        priority=priority,
        owner=world.users["member"],
        title="Evaluation event",
        due_date=timezone.localdate() - timedelta(days=1),
    )
    ActionFactory(priority=priority, owner=world.users["member"], title="Not due yet")
    ActionFactory(
        priority=priority,
        owner=world.users["member"],
        title="Finished",
        status="done",
        due_date=timezone.localdate() - timedelta(days=9),
    )
    page = client_for(world.users["member"]).get("/").content.decode()
    assert "Your overdue plan actions" in page
    assert "Evaluation event" in page
    assert "Not due yet" not in page
    assert "Finished" not in page
    assert (
        "Your overdue plan actions" not in client_for(world.users["dcs"]).get("/").content.decode()
    )


def test_programme_manager_sees_red_and_stale_priorities(theme, world, client_for):
    plan = theme.plan
    red = PriorityFactory(theme=theme, plan=plan, number=1, title="Red one")
    ProgressUpdateFactory(priority=red, rag="red")
    stale = PriorityFactory(theme=theme, plan=plan, number=2, title="Stale one")
    ProgressUpdateFactory(
        priority=stale, rag="green", date=timezone.localdate() - timedelta(days=91)
    )
    fresh = PriorityFactory(theme=theme, plan=plan, number=3, title="Fresh one")
    ProgressUpdateFactory(priority=fresh, rag="red", date=timezone.localdate() - timedelta(days=10))
    ProgressUpdateFactory(priority=fresh, rag="green")
    PriorityFactory(theme=theme, plan=plan, number=4, title="Never updated")
    page = client_for(world.users["programme_manager"]).get("/").content.decode()
    assert "Priorities needing attention" in page
    assert "1. Red one" in page
    assert "2. Stale one" in page
    assert "4. Never updated" in page
    assert "Fresh one" not in page, "its latest update is green and recent"


def test_dashboard_query_count_is_flat(theme, world, client_for):
    from tests.helpers import assert_query_count_flat

    pm = world.users["programme_manager"]

    def grow(n):
        while theme.plan.priorities.count() < n:
            number = theme.plan.priorities.count() + 1
            p = PriorityFactory(theme=theme, plan=theme.plan, number=number)
            ProgressUpdateFactory(priority=p, rag="red")
            ActionFactory(priority=p, owner=pm, due_date=timezone.localdate() - timedelta(days=1))

    # The whole dashboard (every app's sections) stays flat ...
    assert_query_count_flat(client_for(pm), "/", grow, small=2, large=15, budget=20)
    # ... and the plan's own sections cost two queries at any size.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from regions.scope import user_scope
    from regions.selectors.plans import dashboard_sections

    user_scope(pm)
    with CaptureQueriesContext(connection) as captured:
        sections = dashboard_sections(pm)
    assert len(captured) == 2
    assert len(sections[0].items) == 15, "fifteen overdue actions"


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
    with pytest.raises(ValidationError, match="Not in an LA of South West: "):
        group_services.group_create(
            actor=programme_manager,
            region=world.region,
            name="PSWs",
            accountable_to="adcs_branch",
            members=[world.users["outsider"]],
        )


def test_seed_demo_builds_the_south_west_plan_once():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    plan = Plan.objects.get()
    assert (plan.region.name, plan.period_label, plan.is_current) == (
        "South West",
        "2018-2021",
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
        plan=plan, source="dfe_grant", financial_year=2018
    ).get()
    assert dfe.amount == Decimal("130000.00")
    assert (
        FundingContribution.objects.filter(
            plan=plan, source="la_subscription", financial_year=2018
        ).count()
        == plan.region.local_authorities.filter(is_active=True).count()
    )
    assert plan.region.regional_groups.get(name="Performance leads group").accounts.exists()


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
