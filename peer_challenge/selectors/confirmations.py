"""What a peer challenge action would do, counted for its "Are you sure?" page (issue 14). Each
count follows the service that acts."""

from dataclasses import dataclass

from regions.models import Membership, Role

from ..models import Cycle, SelfAssessment
from ..models.moderation import ModerationComment, ModeratorAssignment
from ..models.triads import TriadMember


def triads_confirm_preview(*, cycle: Cycle) -> tuple[int, int]:
    """(triads, local authorities in them)."""
    return (
        cycle.triads.count(),
        TriadMember.objects.filter(triad__cycle=cycle).count(),
    )


@dataclass(frozen=True)
class ReleasePreview:
    comments: int  # the moderator's comments the LA will see
    recipients: int  # the LA's DCSs and performance leads, emailed


def moderation_release_preview(*, self_assessment: SelfAssessment, moderator) -> ReleasePreview:
    """As `services.moderation.moderation_release`: this moderator's comments, and the LA's DCS
    and performance leads (each person once)."""
    return ReleasePreview(
        comments=ModerationComment.objects.filter(
            assignment__self_assessment=self_assessment, assignment__moderator=moderator
        ).count(),
        recipients=Membership.objects.filter(
            local_authority_id=self_assessment.local_authority_id,
            role__in=(Role.DCS, Role.PERFORMANCE_LEAD),
        )
        .values("user_id")
        .distinct()
        .count(),
    )


def moderator_count(*, self_assessment: SelfAssessment) -> int:
    return ModeratorAssignment.objects.filter(self_assessment=self_assessment).count()
