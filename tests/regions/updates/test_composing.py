"""'Start this quarter's update': a draft composed from what changed in the portal since the last
published update, each section linking to its source, from every app's section provider."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events.models import Delegate, EventKind
from regions.models import RAG, AccountableBody, FundingSource, FundingStatus, Update, UpdateStatus
from regions.services import funding as funding_services
from regions.services import groups as group_services
from regions.services import priorities as priority_services
from regions.services import updates as services
from tests.events.factories import EventFactory


@pytest.fixture
def activity(world, plan, theme):
    """A quarter's activity: a RAG change, a funding receipt, a group's annual account, an event
    held with attendance and the next summit with places taken."""
    pm = world.users["programme_manager"]
    priority = priority_services.priority_create(
        actor=pm, theme=theme, title="Preventing and tackling neglect"
    )
    priority_services.progress_record(
        actor=pm,
        priority=priority,
        rag=RAG.AMBER,
        narrative="Toolkit drafted.",
        on=timezone.localdate() - timedelta(days=30),
    )
    priority_services.progress_record(
        actor=pm, priority=priority, rag=RAG.GREEN, narrative="Toolkit in use in every LA."
    )
    funding_services.funding_record(
        actor=pm,
        plan=plan,
        financial_year=2018,
        source=FundingSource.DFE_GRANT,
        amount=Decimal("130000"),
        status=FundingStatus.RECEIVED,
        description="DfE grant",
    )
    group = group_services.group_create(
        actor=pm,
        region=world.region,
        name="Performance leads",
        accountable_to=AccountableBody.STEERING_GROUP,
    )
    group_services.group_account_submit(
        actor=pm, group=group, year=2018, summary="Benchmarking established.", narratives={}
    )
    held = EventFactory(
        region=world.region,
        kind=EventKind.TRAINING,
        title="Case-tracking training",
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=10) + timedelta(hours=3),
    )
    for n, checked_in in enumerate([True, False]):
        Delegate.objects.create(
            event=held,
            local_authority=world.home_la,
            full_name=f"Delegate {n}",
            email=f"d{n}@example.org",
            checked_in_at=timezone.now() - timedelta(days=10) if checked_in else None,
        )
    summit = EventFactory(
        region=world.region,
        title="Summer summit",
        venue="Taunton",
        places_per_la=4,
        is_public=True,
    )
    Delegate.objects.create(
        event=summit, local_authority=world.home_la, full_name="Dan Clarke", email="x@example.org"
    )
    return {"priority": priority, "plan": plan, "held": held, "summit": summit, "group": group}


def test_starting_an_update_drafts_every_section_with_a_link_to_its_source(world, activity):
    update = services.update_start(actor=world.users["programme_manager"], region=world.region)

    assert update.status == UpdateStatus.DRAFT
    body = update.body
    priority_url = f"{settings.SITE_URL}/priorities/{activity['priority'].pk}/"
    assert (
        f"[1. Preventing and tackling neglect]({priority_url}): moved from Amber to Green" in body
    )
    assert f"- New priority: [1. Preventing and tackling neglect]({priority_url})" in body
    assert "Summer summit" in body and "at Taunton" in body
    assert "Each LA has 4 delegate places: 7 of 8 are left." in body  # two LAs, one place used
    assert "Somerset (3)" in body and "Devon (4)" in body
    assert "Case-tracking training" in body and "1 of 2 delegates attended" in body
    assert "1 contribution received, £130,000 in all." in body
    assert "Performance leads" in body and "annual account for 2018-19" in body
    assert "Peer challenge" not in body  # no cycle, no take-up: no empty section
    for source in (
        f"Source: [the plan: Regional Strategic Improvement Plan 2018-2021]({settings.SITE_URL}/plans/{activity['plan'].pk}/)",
        f"Source: [the event page]({settings.SITE_URL}/events/{activity['summit'].pk}/)",
    ):
        assert source in body
    assert update.featured_event["title"] == "Summer summit"
    assert update.featured_event["places"] == "4 delegate places per LA; 7 of 8 places left."
    assert sorted(update.tags.values_list("name", flat=True)) == ["SLI", "SOUTH WEST"]
    assert "moved from Amber to Green" in update.body_html  # rendered for the page too


def test_a_second_press_returns_the_same_draft_and_the_next_quarter_starts_after_publishing(
    world, activity
):
    pm = world.users["programme_manager"]
    first = services.update_start(actor=pm, region=world.region)
    assert services.update_start(actor=pm, region=world.region).pk == first.pk
    assert Update.objects.count() == 1

    services.update_publish(actor=pm, update=first)
    later = timezone.now() + timedelta(minutes=1)
    second = services.update_start(actor=pm, region=world.region, now=later)
    assert second.pk != first.pk
    assert second.covers_from == first.covers_to
    assert "No RAG changes since the last update." in second.body
    assert "Case-tracking training" not in second.body  # held before the last update
    assert "Summer summit" in second.body  # still the next summit


@pytest.mark.parametrize("persona", ["dcs", "member", "peer_dcs", "analyst", "outsider"])
def test_only_the_programme_manager_and_administrators_start_an_update(world, persona):
    with pytest.raises(PermissionDenied):
        services.update_start(actor=world.users[persona], region=world.region)
    assert services.update_start(actor=world.users["admin"], region=world.region).pk
