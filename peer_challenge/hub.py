"""Peer challenge's panel on the LA page (the hub): the LA's self-assessments (those the user
may open) and its triads (for those who may see the cycle). Registered in
PeerChallengeConfig.ready()."""

from django.db.models import Q
from django.template.loader import render_to_string

from sli_portal.access import can

from .models import Cycle, ModeratorAssignment, SelfAssessment, Triad, TriadMember

LATEST = 5


def peer_panel(request, la) -> str | None:
    user = request.user
    assessments = [
        sa
        for sa in SelfAssessment.objects.filter(local_authority=la)
        .select_related("cycle", "local_authority")
        .order_by("-cycle__year", "-pk")[:LATEST]
        if can(user, "peer_challenge.view_selfassessment", sa)
    ]
    memberships = list(
        TriadMember.objects.filter(local_authority=la)
        .select_related("triad__cycle")
        .prefetch_related("triad__members__local_authority")
        .order_by("-cycle__year", "-pk")[:LATEST]
    )
    triads = [m.triad for m in memberships if can(user, "peer_challenge.view_cycle", m.triad.cycle)]
    if not assessments and not triads:
        return None
    return render_to_string(
        "peer_challenge/_la_peer_panel.html",
        {"la": la, "assessments": assessments, "triads": triads},
        request=request,
    )


def peer_panel_rows(la) -> list:
    """What peer_panel reads (sli_portal.fragments): the LA's self-assessments, its triads with
    their members, the moderation of its self-assessments and by it, and the cycles."""
    triad_ids = TriadMember.objects.filter(local_authority=la).values("triad_id")
    return [
        SelfAssessment.objects.filter(local_authority=la),
        ModeratorAssignment.objects.filter(Q(assessed_la=la) | Q(moderator_la=la)),
        TriadMember.objects.filter(triad_id__in=triad_ids),
        Triad.objects.filter(pk__in=triad_ids),
        Cycle.objects.all(),
    ]
