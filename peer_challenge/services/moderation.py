"""Moderation: a programme manager assigns moderators from other LAs, who comment on the
sections and release their comments; the LA responds."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority, Membership, Role
from sli_portal.access import System, require

from .. import signals
from ..models import (
    ModerationComment,
    ModeratorAssignment,
    NoticeOccasion,
    SelfAssessment,
    SelfAssessmentSection,
    SelfAssessmentStatus,
)
from ..selectors.triads import triad_partner_la_ids
from ._common import MAX_TEXT, _locked, _person
from .notices import _notify


def _locked_sa(self_assessment: SelfAssessment) -> SelfAssessment:
    sa = _locked(SelfAssessment, self_assessment.pk)
    sa.cycle = self_assessment.cycle
    return sa


def _check_moderator(sa: SelfAssessment, moderator: User, moderator_la: LocalAuthority) -> None:
    if moderator_la.pk == sa.local_authority_id:
        raise ValidationError(
            {"moderator": "A moderator must come from a different local authority."}
        )
    if not Membership.objects.filter(user=moderator, local_authority=moderator_la).exists():
        raise ValidationError(
            {"moderator": f"{moderator.full_name} has no role in {moderator_la}."}
        )
    if moderator_la.region_id != sa.cycle.region_id:
        raise ValidationError({"moderator": "Moderators come from the region's own LAs."})
    if sa.cycle.moderators_avoid_triad_partners and moderator_la.pk in triad_partner_la_ids(sa):
        raise ValidationError(
            {"moderator": f"{moderator_la} is in the same triad; this cycle avoids that."}
        )
    if sa.status == SelfAssessmentStatus.DRAFT:
        raise ValidationError("Moderators are assigned once the self-assessment is submitted.")
    if sa.status == SelfAssessmentStatus.SIGNED_OFF:
        raise ValidationError("This self-assessment is already signed off.")
    if ModeratorAssignment.objects.filter(self_assessment=sa, moderator=moderator).exists():
        raise ValidationError({"moderator": f"{moderator.full_name} is already a moderator."})


@transaction.atomic
def moderator_assign(
    *,
    actor: User | System,
    self_assessment: SelfAssessment,
    moderator: User,
    moderator_la: LocalAuthority,
) -> ModeratorAssignment:
    sa = _locked_sa(self_assessment)
    require(actor, "peer_challenge.assign_moderators", sa)
    _check_moderator(sa, moderator, moderator_la)
    try:
        with transaction.atomic():
            assignment = ModeratorAssignment.objects.create(
                self_assessment=sa,
                moderator=moderator,
                moderator_la=moderator_la,
                assessed_la_id=sa.local_authority_id,
                assigned_by=_person(actor),
            )
    except IntegrityError as error:
        raise ValidationError({"moderator": "This moderator cannot be assigned."}) from error
    _notify(NoticeOccasion.MODERATION_ASSIGNED, sa, [moderator])
    return assignment


def _assignment_for(actor: User | System, sa: SelfAssessment) -> ModeratorAssignment:
    assignment = ModeratorAssignment.objects.filter(
        self_assessment=sa, moderator=_person(actor)
    ).first()
    if assignment is None:
        raise PermissionDenied
    return assignment


@transaction.atomic
def moderation_comment(
    *,
    actor: User | System,
    self_assessment: SelfAssessment,
    section: SelfAssessmentSection,
    body: str,
) -> ModerationComment:
    sa = _locked_sa(self_assessment)
    require(actor, "peer_challenge.moderate_selfassessment", sa)
    assignment = _assignment_for(actor, sa)
    if section.self_assessment_id != sa.pk:
        raise ValidationError("That section belongs to another self-assessment.")
    if assignment.comments_released_at:
        raise ValidationError("You have already released your comments.")
    if sa.status not in (SelfAssessmentStatus.SUBMITTED, SelfAssessmentStatus.MODERATED):
        raise ValidationError("Comments are made on a submitted self-assessment.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a comment."})
    if len(body) > MAX_TEXT:
        raise ValidationError({"body": f"A comment is at most {MAX_TEXT} characters."})
    return ModerationComment.objects.create(assignment=assignment, section=section, body=body)


@transaction.atomic
def moderation_release(
    *, actor: User | System, self_assessment: SelfAssessment
) -> ModeratorAssignment:
    """The moderator's comments are ready: the LA sees them and is told by email."""
    sa = _locked_sa(self_assessment)
    require(actor, "peer_challenge.moderate_selfassessment", sa)
    assignment = _assignment_for(actor, sa)
    if assignment.comments_released_at:
        raise ValidationError("You have already released your comments.")
    if not assignment.comments.exists():
        raise ValidationError("Comment on at least one section before releasing your comments.")
    assignment.comments_released_at = timezone.now()
    assignment.save(update_fields=["comments_released_at"])
    if sa.status == SelfAssessmentStatus.SUBMITTED:
        sa.status = SelfAssessmentStatus.MODERATED
        sa.moderated_at = timezone.now()
        sa._history_user = _person(actor)  # type: ignore[attr-defined]
        sa.save()
    recipients = [
        m.user
        for m in Membership.objects.filter(
            local_authority_id=sa.local_authority_id, role__in=(Role.DCS, Role.PERFORMANCE_LEAD)
        ).select_related("user")
    ]
    _notify(NoticeOccasion.COMMENTS_READY, sa, recipients)
    signals.self_assessment_moderated.send(
        sender=SelfAssessment, self_assessment=sa, assignment=assignment, actor=actor
    )
    return assignment


@transaction.atomic
def comment_respond(
    *, actor: User | System, comment: ModerationComment, response: str
) -> ModerationComment:
    comment = (
        ModerationComment.objects.select_for_update()
        .select_related("assignment__self_assessment__cycle")
        .get(pk=comment.pk)
    )
    sa = comment.assignment.self_assessment
    require(actor, "peer_challenge.respond_selfassessment", sa)
    if not comment.assignment.comments_released_at:
        raise PermissionDenied
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": "Write a response."})
    if len(response) > MAX_TEXT:
        raise ValidationError({"response": f"A response is at most {MAX_TEXT} characters."})
    comment.response = response
    comment.responded_by = _person(actor)
    comment.responded_at = timezone.now()
    comment.save(update_fields=["response", "responded_by", "responded_at"])
    return comment
