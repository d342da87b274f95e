"""Dashboard items from the plan: overdue actions, red and stale priorities."""

from datetime import timedelta

import pytest
from django.utils import timezone

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
    assert_query_count_flat(client_for(pm), "/", grow, small=2, large=15, budget=10)
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
