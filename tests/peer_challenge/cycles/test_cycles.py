"""Cycles: who creates them, their framework and timetable."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from peer_challenge.models import (
    Cycle,
    CycleKind,
    SelfAssessment,
)
from peer_challenge.services.cycles import cycle_create
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_annual_cycle_creates_a_draft_self_assessment_per_la_with_framework_sections(world):
    cycle = f.annual_cycle(world)
    assessments = SelfAssessment.objects.filter(cycle=cycle)
    assert {sa.local_authority for sa in assessments} == {world.home_la, world.peer_la}
    assert all(sa.status == "draft" for sa in assessments)
    assert [s.question.title for s in assessments[0].sections.order_by("question__position")] == (
        f.QUESTIONS
    )
    # The first version of each is kept.
    assert SelfAssessment.history.filter(cycle_id=cycle.pk).count() == 2


def test_only_the_regions_programme_manager_creates_cycles(world):
    with pytest.raises(PermissionDenied):
        cycle_create(
            actor=world.users["dcs"],
            region=world.region,
            kind=CycleKind.ANNUAL_TRIAD,
            year=2026,
            title="x",
            questions=[],
        )
    with pytest.raises(PermissionDenied):
        cycle_create(
            actor=world.users["programme_manager"],
            region=world.other_region,
            kind=CycleKind.ANNUAL_TRIAD,
            year=2026,
            title="x",
            questions=[],
        )


def test_second_annual_cycle_for_a_year_is_refused_by_service_and_database(world):
    cycle = f.annual_cycle(world)
    with pytest.raises(ValidationError, match="already has an annual"):
        f.annual_cycle(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            region=world.region,
            kind=CycleKind.ANNUAL_TRIAD,
            year=cycle.year,
            title="dup",
            created_by=world.users["programme_manager"],
        )


def test_thematic_cycle_needs_theme_and_lines_of_enquiry(world):
    pm = world.users["programme_manager"]
    with pytest.raises(ValidationError, match="theme"):
        cycle_create(
            actor=pm, region=world.region, kind="thematic", year=2018, title="t", questions=["q"]
        )
    with pytest.raises(ValidationError, match="key lines of enquiry"):
        cycle_create(
            actor=pm,
            region=world.region,
            kind="thematic",
            year=2018,
            title="t",
            theme="Neglect",
            questions=[],
        )


def test_moderation_due_before_self_assessments_is_refused(world):
    with pytest.raises(ValidationError, match="Moderation cannot be due before"):
        f.annual_cycle(
            world,
            self_assessment_due=datetime.date(2026, 5, 1),
            moderation_due=datetime.date(2026, 4, 1),
        )
