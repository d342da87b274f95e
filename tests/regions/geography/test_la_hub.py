"""The LA page as a hub: each app's panel (plan, returns and datapack, peer challenge, places
at events) shown only to those its rules allow; the query count flat as data grows."""

import pytest

from benchmarking.models import Return, Status
from regions.models import FundingSource, PlanStatus
from tests.benchmarking.factories import open_quarter
from tests.events.factories import DelegateFactory, EventFactory
from tests.helpers import assert_query_count_flat
from tests.peer_challenge.factories import annual_cycle
from tests.regions.factories import FundingFactory, PlanFactory, PriorityFactory, ThemeFactory

pytestmark = pytest.mark.django_db

PANELS = ("la-plan", "la-returns", "la-peer", "la-places")


def _hub(world):
    plan = PlanFactory(region=world.region, is_current=True, status=PlanStatus.AGREED)
    PriorityFactory(
        theme=ThemeFactory(plan=plan),
        title="Tackling neglect",
        sponsor=world.users["dcs"],
        sponsor_la=world.home_la,
    )
    FundingFactory(plan=plan, source=FundingSource.LA_SUBSCRIPTION, local_authority=world.home_la)
    period = open_quarter(world.region)
    Return.objects.create(local_authority=world.home_la, period=period, status=Status.DRAFT)
    annual_cycle(world)  # opens a self-assessment for every LA of the region
    event = EventFactory(region=world.region, title="Summer summit")
    DelegateFactory(event=event, local_authority=world.home_la)
    return event


def _page(client, user, la):
    client.force_login(user)
    return client.get(la.get_absolute_url()).content.decode()


def test_the_las_own_dcs_sees_every_panel(world, client):
    _hub(world)
    page = _page(client, world.users["dcs"], world.home_la)
    for panel in PANELS:
        assert f'id="{panel}"' in page, panel
    assert "Tackling neglect" in page
    assert "2026-27 Q1" in page and "Draft" in page
    assert "Somerset's datapack" in page
    assert "Summer summit" in page


def test_another_la_of_the_region_sees_the_plan_and_events_not_the_drafts(world, client):
    _hub(world)
    page = _page(client, world.users["peer_dcs"], world.home_la)
    assert "Tackling neglect" in page and "Summer summit" in page
    assert "2026-27 Q1" not in page  # another LA's draft return
    assert "Self-assessments" not in page  # another LA's draft self-assessment


def test_another_region_sees_only_reference_data(world, client):
    _hub(world)
    page = _page(client, world.users["outsider"], world.home_la)
    for panel in PANELS:
        assert f'id="{panel}"' not in page, panel
    assert "dcs@example.org" not in page


def test_la_hub_query_count_is_flat(world, client):
    event = _hub(world)
    client.force_login(world.users["dcs"])
    made = [0]

    def grow(n):
        for i in range(made[0], n):
            other = EventFactory(region=world.region, title=f"Event {i}")
            DelegateFactory(event=other, local_authority=world.home_la)
            DelegateFactory(event=event, local_authority=world.home_la)
        made[0] = n

    assert_query_count_flat(
        client, world.home_la.get_absolute_url(), grow, small=2, large=12, budget=30
    )
