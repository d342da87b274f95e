"""Reads about triads: who sits with whom."""

from django.db.models import Prefetch

from ..models import Cycle, SelfAssessment, Triad, TriadMember


def triad_partner_la_ids(sa: SelfAssessment) -> set[int]:
    """LAs in the same triad as the self-assessment's LA (cached on the object)."""
    cached = getattr(sa, "_triad_partner_ids", None)
    if cached is None:
        triad_ids = TriadMember.objects.filter(
            cycle_id=sa.cycle_id, local_authority_id=sa.local_authority_id
        ).values("triad_id")
        cached = set(
            TriadMember.objects.filter(triad_id__in=triad_ids)
            .exclude(local_authority_id=sa.local_authority_id)
            .values_list("local_authority_id", flat=True)
        )
        sa._triad_partner_ids = cached  # type: ignore[attr-defined]
    return cached


def cycle_triads(cycle: Cycle) -> list[Triad]:
    return list(
        cycle.triads.prefetch_related(
            Prefetch(
                "members",
                queryset=TriadMember.objects.select_related("local_authority").order_by(
                    "local_authority__name"
                ),
            )
        ).order_by("number")
    )
