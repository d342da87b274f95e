"""Moderation: who may moderate, private comments until released, responses."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from peer_challenge.models import ModeratorAssignment
from peer_challenge.selectors.moderation import moderator_candidates
from peer_challenge.selectors.self_assessments import self_assessment_sections
from peer_challenge.services.moderation import (
    comment_respond,
    moderation_comment,
    moderation_release,
    moderator_assign,
)
from peer_challenge.services.triads import triads_propose
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_moderator_from_the_same_la_is_refused_by_service_and_database(world):
    sa = f.submitted(world)
    pm = world.users["programme_manager"]
    with pytest.raises(ValidationError, match="different local authority"):
        moderator_assign(
            actor=pm,
            self_assessment=sa,
            moderator=world.users["member"],
            moderator_la=world.home_la,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ModeratorAssignment.objects.create(
            self_assessment=sa,
            moderator=world.users["member"],
            moderator_la=world.home_la,
            assessed_la=world.home_la,
            assigned_by=pm,
        )


def test_moderator_must_hold_a_role_in_their_la_and_be_in_the_region(world):
    sa = f.submitted(world)
    pm = world.users["programme_manager"]
    with pytest.raises(ValidationError, match="has no role in Devon"):
        moderator_assign(
            actor=pm,
            self_assessment=sa,
            moderator=world.users["outsider"],
            moderator_la=world.peer_la,
        )
    with pytest.raises(ValidationError, match="region's own LAs"):
        moderator_assign(
            actor=pm,
            self_assessment=sa,
            moderator=world.users["outsider"],
            moderator_la=world.other_la,
        )


def test_moderators_avoid_triad_partners_when_configured(world, third_la):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    triads_propose(actor=pm, cycle=cycle, seed=1)  # three LAs: one triad
    sa = f.submitted(world, cycle=cycle)
    with pytest.raises(ValidationError, match="same triad"):
        moderator_assign(
            actor=pm,
            self_assessment=sa,
            moderator=world.users["peer_dcs"],
            moderator_la=world.peer_la,
        )
    assert not moderator_candidates(sa).exists()


def test_draft_cannot_be_moderated_and_comments_stay_private_until_released(world):
    pm = world.users["programme_manager"]
    draft = f.sa_of(f.annual_cycle(world), world.home_la)
    with pytest.raises(ValidationError, match="once the self-assessment is submitted"):
        moderator_assign(
            actor=pm,
            self_assessment=draft,
            moderator=world.users["peer_dcs"],
            moderator_la=world.peer_la,
        )
    sa, comment = f.commented(world, sa=f.submitted(world, cycle=draft.cycle), release=False)
    la_view = self_assessment_sections(user=world.users["dcs"], sa=sa)
    assert all(not s.visible_comments for s in la_view)
    moderator_view = self_assessment_sections(user=world.users["peer_dcs"], sa=sa)
    assert [c.body for s in moderator_view for c in s.visible_comments] == ["Say more."]
    moderation_release(actor=world.users["peer_dcs"], self_assessment=sa)
    sa.refresh_from_db()
    assert sa.status == "moderated"
    la_view = self_assessment_sections(user=world.users["dcs"], sa=sa)
    assert [c.body for s in la_view for c in s.visible_comments] == ["Say more."]
    with pytest.raises(ValidationError, match="already released"):
        moderation_comment(
            actor=world.users["peer_dcs"], self_assessment=sa, section=comment.section, body="More"
        )


def test_release_without_comments_is_refused(world):
    sa = f.with_moderator(world)
    with pytest.raises(ValidationError, match="at least one section"):
        moderation_release(actor=world.users["peer_dcs"], self_assessment=sa)


def test_la_responds_to_released_comment(world):
    _sa, comment = f.commented(world)
    comment_respond(actor=world.users["performance_lead"], comment=comment, response="Agreed")
    comment.refresh_from_db()
    assert comment.response == "Agreed"
    assert comment.responded_by == world.users["performance_lead"]
    with pytest.raises(PermissionDenied):
        comment_respond(actor=world.users["peer_dcs"], comment=comment, response="x")
