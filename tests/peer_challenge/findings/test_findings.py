"""Findings, and regional themes proposed for the region's next plan."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from peer_challenge.models import (
    Finding,
    FindingKind,
    FindingStatus,
)
from peer_challenge.services.findings import finding_create, finding_promote
from regions.models import CandidatePriority, Membership, Role
from tests.accounts.factories import UserFactory
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_only_regional_themes_are_promoted_for_the_next_plan(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    strength = finding_create(actor=pm, cycle=cycle, kind=FindingKind.STRENGTH, text="s")
    with pytest.raises(ValidationError, match="Only regional themes"):
        finding_promote(actor=pm, finding=strength)
    theme = finding_create(
        actor=pm, cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="Placement sufficiency"
    )
    finding_promote(actor=pm, finding=theme)
    theme.refresh_from_db()
    assert theme.status == FindingStatus.PROPOSED
    assert theme.promoted_by == pm
    with pytest.raises(ValidationError, match="already proposed"):
        finding_promote(actor=pm, finding=theme)
    with pytest.raises(PermissionDenied):
        finding_create(actor=world.users["dcs"], cycle=cycle, kind=FindingKind.STRENGTH, text="s")


def test_promoting_a_theme_puts_a_candidate_on_the_regions_list_with_its_source(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    theme = finding_create(
        actor=pm,
        cycle=cycle,
        kind=FindingKind.REGIONAL_THEME,
        text="Sufficiency of placements for children with complex needs.\nEvery triad said so.",
    )
    finding_promote(actor=pm, finding=theme)
    theme.refresh_from_db()
    candidate = theme.candidate_priority
    assert candidate.region == world.region
    assert candidate.title == "Sufficiency of placements for children with complex needs"
    assert candidate.description.endswith("Every triad said so.")
    assert candidate.source_label == f"Regional theme from {cycle.title}"
    assert candidate.source_url == f"{cycle.get_absolute_url()}#finding-{theme.pk}"
    assert candidate.proposed_by == pm
    assert CandidatePriority.objects.count() == 1


def test_a_theme_proposed_twice_even_past_the_status_check_makes_one_candidate(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    theme = finding_create(
        actor=pm, cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="Placement sufficiency"
    )
    finding_promote(actor=pm, finding=theme)
    # As if the finding's status had been lost: the regions list still refuses the same source.
    Finding.objects.filter(pk=theme.pk).update(status="recorded", candidate_priority=None)
    with pytest.raises(ValidationError, match="already a candidate priority"):
        finding_promote(actor=pm, finding=theme)
    assert CandidatePriority.objects.count() == 1


def test_dcs_and_other_regions_programme_manager_cannot_promote_a_theme(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    theme = finding_create(
        actor=pm, cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="Placement sufficiency"
    )
    other_pm = UserFactory(email="pm-se@example.org")
    Membership.objects.create(user=other_pm, region=world.other_region, role=Role.PROGRAMME_MANAGER)
    for actor in (world.users["dcs"], other_pm):
        with pytest.raises(PermissionDenied):
            finding_promote(actor=actor, finding=theme)
    theme.refresh_from_db()
    assert theme.status == FindingStatus.RECORDED
    assert not CandidatePriority.objects.exists()


def test_database_links_a_candidate_only_to_a_proposed_theme(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    theme = finding_create(
        actor=pm, cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="Placement sufficiency"
    )
    finding_promote(actor=pm, finding=theme)
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=theme.pk).update(status="recorded")


def test_programme_manager_promotes_a_theme_and_each_page_links_to_the_other(world, client_for):
    pm = world.users["programme_manager"]
    client = client_for(pm)
    cycle = f.annual_cycle(world)
    theme = finding_create(actor=pm, cycle=cycle, kind="theme", text="Sufficiency of placements.")
    url = reverse("peer_challenge:finding_promote", kwargs={"pk": theme.pk})
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "candidate priority for the next plan" in page
    theme.refresh_from_db()
    plans_url = reverse("regions:plan_list", kwargs={"slug": world.region.slug})
    assert f'href="{plans_url}#candidate-{theme.candidate_priority_id}"' in page
    plans = client.get(plans_url).content.decode()
    assert f'id="candidate-{theme.candidate_priority_id}"' in plans
    assert f'href="{cycle.get_absolute_url()}#finding-{theme.pk}"' in plans
    assert f"Regional theme from {cycle.title}" in plans
    again = client.post(url, follow=True).content.decode()
    assert "already proposed" in again
    assert theme.__class__.objects.filter(candidate_priority__isnull=False).count() == 1
