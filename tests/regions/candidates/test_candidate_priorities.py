"""Candidate priorities for a region's next plan: proposed from elsewhere, voted on or adopted."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from regions.models import CandidatePriority, Membership, Priority, Role
from regions.services import candidates as candidate_services
from regions.services import votes as vote_services
from tests.accounts.factories import UserFactory
from tests.helpers import assert_query_count_flat
from tests.regions.factories import (
    CandidatePriorityFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _propose(world, actor=None, **extra):
    values = {
        "actor": actor or world.users["programme_manager"],
        "region": world.region,
        "title": "Placement sufficiency for children with complex needs",
        "description": "Raised by every triad.",
        "source_label": "Regional theme from the 2026 triad challenge day",
        "source_url": "/peer-challenge/cycles/1/#finding-7",
        "source_key": "peer_challenge.finding:7",
    }
    return candidate_services.candidate_priority_propose(**{**values, **extra})


def _other_region_pm(world):
    pm = UserFactory(email="pm-se@example.org")
    Membership.objects.create(user=pm, region=world.other_region, role=Role.PROGRAMME_MANAGER)
    return pm


def test_programme_manager_proposes_a_candidate_with_its_source(world):
    candidate = _propose(world)
    assert candidate.region == world.region
    assert candidate.proposed_by == world.users["programme_manager"]
    assert candidate.source_label == "Regional theme from the 2026 triad challenge day"
    assert candidate.adopted_as is None


def test_programme_manager_of_another_region_cannot_propose(world):
    with pytest.raises(PermissionDenied):
        _propose(world, actor=_other_region_pm(world))
    assert not CandidatePriority.objects.exists()


def test_dcs_cannot_propose_or_adopt(world):
    with pytest.raises(PermissionDenied):
        _propose(world, actor=world.users["dcs"])
    candidate = _propose(world)
    theme = ThemeFactory(plan=PlanFactory(region=world.region))
    with pytest.raises(PermissionDenied):
        candidate_services.candidate_priority_adopt(
            actor=world.users["dcs"], candidate=candidate, theme=theme
        )
    assert not Priority.objects.exists()


def test_proposing_the_same_source_twice_is_refused(world):
    _propose(world)
    with pytest.raises(ValidationError, match="already a candidate priority"):
        _propose(world, title="Another wording")
    assert CandidatePriority.objects.count() == 1


def test_database_holds_one_candidate_per_source(world):
    CandidatePriorityFactory(region=world.region, source_key="peer_challenge.finding:1")
    CandidatePriorityFactory(region=world.region, source_key="")
    CandidatePriorityFactory(region=world.region, source_key="")  # typed in: no source key
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidatePriorityFactory(region=world.region, source_key="peer_challenge.finding:1")


def test_a_candidate_needs_a_title_and_a_source(world):
    with pytest.raises(ValidationError) as error:
        _propose(world, title="   ")
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _propose(world, source_label="")
    assert "source_label" in error.value.message_dict


def test_adopting_makes_the_candidate_the_next_priority_of_the_theme(world):
    pm = world.users["programme_manager"]
    existing = PriorityFactory(theme=ThemeFactory(plan=PlanFactory(region=world.region)))
    candidate = _propose(world)
    priority = candidate_services.candidate_priority_adopt(
        actor=pm, candidate=candidate, theme=existing.theme
    )
    assert priority.title == "Placement sufficiency for children with complex needs"
    assert priority.description == "Raised by every triad."
    assert priority.number == existing.number + 1
    candidate.refresh_from_db()
    assert candidate.adopted_as == priority
    assert candidate.adopted_by == pm
    with pytest.raises(ValidationError, match=f"already priority {priority.number}"):
        candidate_services.candidate_priority_adopt(
            actor=pm, candidate=candidate, theme=existing.theme
        )
    assert Priority.objects.count() == 2


def test_a_candidate_cannot_be_adopted_into_another_regions_plan(world):
    theme = ThemeFactory(plan=PlanFactory(region=world.other_region))
    with pytest.raises(ValidationError, match="region's own plans"):
        candidate_services.candidate_priority_adopt(
            actor=world.users["admin"], candidate=_propose(world), theme=theme
        )


def test_listed_candidates_join_a_vote_and_the_promoted_winner_is_marked_adopted(world):
    pm = world.users["programme_manager"]
    candidate = _propose(world)
    vote = vote_services.vote_open(
        actor=pm,
        region=world.region,
        title="Summit vote",
        candidates=[("Early help", "")],
        candidate_priorities=[candidate],
        closes_at=timezone.now() + timedelta(days=1),
        max_choices=1,
    )
    titles = [(c.title, c.candidate_priority_id) for c in vote.candidates.all()]
    assert titles == [("Early help", None), (candidate.title, candidate.pk)]
    vote_services.vote_close(actor=pm, vote=vote)
    theme = ThemeFactory(plan=PlanFactory(region=world.region))
    winner = vote.candidates.get(candidate_priority=candidate)
    priority = vote_services.candidate_promote(actor=pm, candidate=winner, theme=theme)
    candidate.refresh_from_db()
    assert candidate.adopted_as == priority


def test_a_vote_refuses_another_regions_candidates(world):
    foreign = CandidatePriorityFactory(region=world.other_region)
    with pytest.raises(ValidationError) as error:
        vote_services.vote_open(
            actor=world.users["admin"],
            region=world.region,
            title="Summit vote",
            candidates=[("Early help", ""), ("SEND", "")],
            candidate_priorities=[foreign],
            closes_at=timezone.now() + timedelta(days=1),
        )
    assert "candidate_priorities" in error.value.message_dict


# --- pages ----------------------------------------------------------------------------------


def test_plans_page_lists_candidates_with_source_and_actions_for_the_programme_manager(
    world, client_for
):
    candidate = _propose(world)
    url = reverse("regions:plan_list", kwargs={"slug": world.region.slug})
    page = client_for(world.users["programme_manager"]).get(url).content.decode()
    assert "Candidate priorities for the next plan" in page
    assert candidate.title in page
    assert 'href="/peer-challenge/cycles/1/#finding-7"' in page
    assert reverse("regions:candidate_priority_adopt", kwargs={"pk": candidate.pk}) in page
    assert f"?candidate={candidate.pk}" in page
    dcs_page = client_for(world.users["dcs"]).get(url).content.decode()
    assert candidate.title not in dcs_page


def test_vote_form_offers_listed_candidates_preselected_from_the_plans_page(world, client_for):
    candidate = _propose(world)
    client = client_for(world.users["programme_manager"])
    url = reverse("regions:vote_create", kwargs={"slug": world.region.slug})
    page = client.get(f"{url}?candidate={candidate.pk}").content.decode()
    assert f'value="{candidate.pk}"' in page and "checked" in page
    response = client.post(
        url,
        {
            "title": "Summit vote",
            "method": "approval",
            "max_choices": 1,
            "closes_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "candidate_priorities": [candidate.pk],
            "candidates": "Early help",
        },
    )
    assert response.status_code == 302
    assert candidate.vote_candidates.count() == 1
    listing = client.get(reverse("regions:plan_list", kwargs={"slug": world.region.slug}))
    assert "Put to 1 vote" in listing.content.decode()


def test_adopt_page_adds_the_priority_and_the_plans_page_says_so(world, client_for):
    candidate = _propose(world)
    theme = ThemeFactory(plan=PlanFactory(region=world.region, title="Plan 2026-2029"))
    client = client_for(world.users["programme_manager"])
    url = reverse("regions:candidate_priority_adopt", kwargs={"pk": candidate.pk})
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"theme": theme.pk})
    priority = Priority.objects.get()
    assert response["Location"] == priority.get_absolute_url()
    listing = client.get(reverse("regions:plan_list", kwargs={"slug": world.region.slug}))
    assert "Adopted as" in listing.content.decode()
    assert f"priority {priority.number}</a> of Plan 2026-2029" in listing.content.decode()
    again = client.post(url, {"theme": theme.pk})
    assert again.status_code == 400
    assert "already priority" in again.content.decode()
    assert Priority.objects.count() == 1


def test_plans_page_with_candidates_is_flat(world, client_for):
    def grow(n):
        while CandidatePriority.objects.filter(region=world.region).count() < n:
            candidate = CandidatePriorityFactory(region=world.region)
            if candidate.pk % 2:
                theme = ThemeFactory(plan=PlanFactory(region=world.region))
                candidate_services.candidate_priority_adopt(
                    actor=world.users["admin"], candidate=candidate, theme=theme
                )

    url = reverse("regions:plan_list", kwargs={"slug": world.region.slug})
    client = client_for(world.users["programme_manager"])
    assert_query_count_flat(client, url, grow, small=2, large=12, budget=10)


def test_vote_form_is_flat_with_listed_candidates(world, client_for):
    def grow(n):
        while CandidatePriority.objects.filter(region=world.region).count() < n:
            CandidatePriorityFactory(region=world.region)

    url = reverse("regions:vote_create", kwargs={"slug": world.region.slug})
    client = client_for(world.users["programme_manager"])
    assert_query_count_flat(client, url, grow, small=2, large=12, budget=10)
