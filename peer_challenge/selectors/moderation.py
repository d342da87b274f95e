"""Reads about moderation: a self-assessment's moderators and who may moderate it."""

from django.db.models import QuerySet

from regions.models import Membership, Role

from ..models import ModeratorAssignment, SelfAssessment
from .triads import triad_partner_la_ids


def self_assessment_moderators(sa: SelfAssessment) -> list[ModeratorAssignment]:
    return list(
        sa.moderator_assignments.select_related("moderator", "moderator_la").order_by("assigned_at")
    )


def moderator_candidates(sa: SelfAssessment) -> QuerySet[Membership]:
    """Memberships in the region's other LAs whose holders may moderate this self-assessment."""
    excluded = {sa.local_authority_id}
    if sa.cycle.moderators_avoid_triad_partners:
        excluded |= triad_partner_la_ids(sa)
    return (
        Membership.objects.filter(
            local_authority__region_id=sa.cycle.region_id,
            local_authority__is_active=True,
            role__in=(Role.DCS, Role.PERFORMANCE_LEAD, Role.MEMBER),
        )
        .exclude(local_authority_id__in=excluded)
        .select_related("user", "local_authority")
        .order_by("local_authority__name", "user__full_name")
    )
