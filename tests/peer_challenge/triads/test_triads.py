"""Triads of an annual cycle: proposed from history, edited, confirmed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from peer_challenge.models import TriadMember
from peer_challenge.services.challenges import challenge_create
from peer_challenge.services.cycles import cycle_create
from peer_challenge.services.triads import (
    pairing_constraint_add,
    triads_confirm,
    triads_propose,
    triads_update,
)
from tests.peer_challenge import factories as f
from tests.regions.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def test_triads_propose_uses_previous_cycles_and_explains_repeats(world, third_la):
    pm = world.users["programme_manager"]
    old = f.annual_cycle(world, year=2025)
    triads_propose(actor=pm, cycle=old, seed=3)
    triads_confirm(actor=pm, cycle=old)
    cycle = f.annual_cycle(world, year=2026)
    explanation = triads_propose(actor=pm, cycle=cycle, seed=3)
    # Three LAs: one triad, so all three pairs meet again, and the note says when.
    assert explanation["repeat_count"] == 3
    assert explanation["history_years"] == [2025]
    assert explanation["zero_repeats_possible"] is False
    assert {tuple(r["years"]) for r in explanation["repeats"]} == {(2025,)}


def test_triads_edit_respects_keep_apart_and_confirm_locks_them(world, third_la):
    pm = world.users["programme_manager"]
    fourth = LocalAuthorityFactory(region=world.region, name="Dorset")
    cycle = f.annual_cycle(world)
    pairing_constraint_add(
        actor=pm, cycle=cycle, kind="apart", first=world.home_la, second=world.peer_la
    )
    with pytest.raises(ValidationError, match="must be kept apart"):
        triads_update(
            actor=pm,
            cycle=cycle,
            assignment={world.home_la.pk: 1, world.peer_la.pk: 1, third_la.pk: 2, fourth.pk: 2},
        )
    with pytest.raises(ValidationError, match="Generate the triads"):
        triads_confirm(actor=pm, cycle=cycle)
    with pytest.raises(ValidationError, match="a group needs at least two"):
        triads_update(
            actor=pm,
            cycle=cycle,
            assignment={world.home_la.pk: 1, world.peer_la.pk: 2, third_la.pk: 2, fourth.pk: 2},
        )
    triads_update(
        actor=pm,
        cycle=cycle,
        assignment={world.home_la.pk: 1, third_la.pk: 1, world.peer_la.pk: 2, fourth.pk: 2},
    )
    triads_confirm(actor=pm, cycle=cycle)
    with pytest.raises(ValidationError, match="already confirmed"):
        triads_propose(actor=pm, cycle=cycle)


def test_an_la_is_in_one_triad_per_cycle_by_database_constraint(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    triads_propose(actor=pm, cycle=cycle, seed=1)
    triad = cycle.triads.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        TriadMember.objects.create(triad=triad, cycle=cycle, local_authority=world.home_la)


def test_earlier_bilateral_challenges_count_as_having_met(world, third_la):
    pm = world.users["programme_manager"]
    old = cycle_create(
        actor=pm, region=world.region, kind="bilateral", year=2025, title="b", questions=[]
    )
    challenge_create(actor=pm, cycle=old, home_la=world.home_la, challenging_las=[world.peer_la])
    cycle = f.annual_cycle(world, year=2026)
    explanation = triads_propose(actor=pm, cycle=cycle, seed=5)
    assert explanation["repeats"] == [{"las": ["Devon", "Somerset"], "years": [2025]}]
