"""Peer challenge's part of the dashboard and the navigation."""

from django.db.models import Count, Q
from django.urls import reverse

from accounts.models import User
from regions.models import Role
from regions.scope import UserScope, user_scope
from sli_portal.dashboard import Item, Section
from sli_portal.templatetags.govuk import govuk_date

from ..models import (
    Cycle,
    CycleKind,
    CycleStatus,
    ModeratorAssignment,
    SelfAssessment,
    SelfAssessmentStatus,
)

_NEXT_STEP = {
    SelfAssessmentStatus.DRAFT: ("Write and submit the self-assessment", "warning", "To do"),
    SelfAssessmentStatus.SUBMITTED: (
        "Submitted: waiting for moderators' comments",
        "info",
        "Waiting",
    ),
    SelfAssessmentStatus.MODERATED: (
        "Read the moderators' comments and sign off with the chief executive and lead member",
        "warning",
        "To do",
    ),
}


_WAITING_FOR_DCS = (
    "Moderated: waiting for the DCS to sign off with the chief executive and lead member",
    "info",
    "Waiting",
)


def _la_section(user: User, scope: UserScope) -> Section:
    """What the user's LAs have to do: their self-assessments, and moderations they owe."""
    section = Section(
        title="Peer challenge",
        empty_text="Nothing is due for your local authority.",
        link_url=reverse("peer_challenge:index"),
        link_text="All peer challenge cycles",
    )
    for sa in (
        SelfAssessment.objects.filter(
            local_authority_id__in=scope.la_ids, cycle__status=CycleStatus.OPEN
        )
        .exclude(status=SelfAssessmentStatus.SIGNED_OFF)
        .select_related("cycle", "local_authority")
        .order_by("cycle__self_assessment_due", "local_authority__name")
    ):
        text, level, badge = _NEXT_STEP[SelfAssessmentStatus(sa.status)]
        if sa.status == SelfAssessmentStatus.MODERATED and not scope.has_la_role(
            sa.local_authority_id, Role.DCS
        ):
            # Only the DCS signs off: everyone else in the LA is told who it waits for.
            text, level, badge = _WAITING_FOR_DCS
        due = sa.cycle.self_assessment_due
        section.items.append(
            Item(
                text=f"{sa.local_authority}: {text}",
                url=sa.get_absolute_url(),
                detail=f"{sa.cycle.title}"
                + (f", due {govuk_date(due)}" if due and sa.status == "draft" else ""),
                level=level,
                badge=badge,
            )
        )
    for assignment in (
        ModeratorAssignment.objects.filter(moderator=user, comments_released_at__isnull=True)
        .select_related("self_assessment__cycle", "assessed_la")
        .order_by("assigned_at")
    ):
        moderation_due = assignment.self_assessment.cycle.moderation_due
        section.items.append(
            Item(
                text=f"Moderate {assignment.assessed_la}'s self-assessment",
                url=assignment.self_assessment.get_absolute_url(),
                detail=f"Comments due {govuk_date(moderation_due)}" if moderation_due else "",
                level="warning",
                badge="To do",
            )
        )
    return section


def _progress_section(scope: UserScope) -> Section:
    """For programme managers: how far each open annual cycle of their regions has got."""
    section = Section(
        title="Peer challenge progress",
        empty_text="No open annual cycle in your region.",
        link_url=reverse("peer_challenge:index"),
        link_text="All peer challenge cycles",
    )
    cycles = (
        Cycle.objects.filter(
            region_id__in=scope.managed_region_ids,
            status=CycleStatus.OPEN,
            kind=CycleKind.ANNUAL_TRIAD,
        )
        .annotate(
            total=Count("self_assessments"),
            drafts=Count("self_assessments", filter=Q(self_assessments__status="draft")),
            submitted=Count("self_assessments", filter=Q(self_assessments__status="submitted")),
            moderated=Count("self_assessments", filter=Q(self_assessments__status="moderated")),
            signed=Count("self_assessments", filter=Q(self_assessments__status="signed_off")),
        )
        .order_by("-year")
    )
    for cycle in cycles:
        section.items.append(
            Item(
                text=cycle.title,
                url=cycle.get_absolute_url(),
                detail=(
                    f"{cycle.signed} of {cycle.total} signed off; {cycle.moderated} moderated, "
                    f"{cycle.submitted} submitted, {cycle.drafts} in draft"
                ),
                badge="Triads confirmed" if cycle.triads_confirmed else "Triads to confirm",
                level="info" if cycle.triads_confirmed else "warning",
            )
        )
    return section


def dashboard_sections(user: User) -> list[Section]:
    scope = user_scope(user)
    sections: list[Section] = []
    if scope.la_ids:
        sections.append(_la_section(user, scope))
    if scope.managed_region_ids:
        sections.append(_progress_section(scope))
    return sections


def nav_items(user: User, scope: UserScope) -> list[tuple[str, str]]:
    if scope.is_admin or scope.region_ids:
        return [("Peer challenge", reverse("peer_challenge:index"))]
    return []


def dashboard_rows(user: User) -> list:
    """What dashboard_sections reads (sli_portal.dashboard): the self-assessments of the user's
    LAs and managed regions and those they moderate, their moderations, and the cycles."""
    scope = user_scope(user)
    moderations = ModeratorAssignment.objects.filter(moderator=user)
    return [
        SelfAssessment.objects.filter(local_authority_id__in=scope.la_ids),
        SelfAssessment.objects.filter(cycle__region_id__in=scope.managed_region_ids),
        SelfAssessment.objects.filter(pk__in=moderations.values("self_assessment_id")),
        moderations,
        Cycle.objects.all(),
    ]
