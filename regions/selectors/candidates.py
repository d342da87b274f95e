"""Reads for candidate priorities for a region's next plan."""

from django.db.models import Count, F

from ..models import CandidatePriority, Region


def candidate_priority_source_key(app_label: str, model_name: str, pk: int) -> str:
    """How another app names the object it proposes ("peer_challenge.finding:42"), so the same
    thing cannot be proposed twice."""
    return f"{app_label}.{model_name}:{pk}"


def candidate_priorities_for_region(*, region: Region) -> list[CandidatePriority]:
    """The region's candidate priorities for its next plan: open ones first, newest first."""
    return list(
        CandidatePriority.objects.filter(region=region)
        .select_related("region", "proposed_by", "adopted_as__plan")
        .annotate(vote_count=Count("vote_candidates__vote", distinct=True))
        .order_by(F("adopted_as").asc(nulls_first=True), "-proposed_at", "-pk")
    )
