"""Reads for peer challenge pages. Each selector returns only what its user may see."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventKind, EventStatus
from events.selectors import registrations as event_selectors
from regions.models import LocalAuthority, Region
from regions.scope import user_scope
from sli_portal.dashboard import Item, Section

from .models import (
    Challenge,
    ChallengeStatus,
    Cycle,
    CycleKind,
    CycleStatus,
    EvidenceFile,
    Finding,
    ModerationComment,
    ModeratorAssignment,
    SelfAssessment,
    SelfAssessmentSection,
    SelfAssessmentStatus,
    Triad,
    TriadMember,
)


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
        sa._triad_partner_ids = cached
    return cached


def visible_cycles(user):
    scope = user_scope(user)
    cycles = Cycle.objects.select_related("region", "challenge_event")
    if not scope.is_admin:
        cycles = cycles.filter(region_id__in=scope.region_ids)
    return cycles.order_by("region__name", "-year", "kind", "title")


def regions_for_index(user):
    scope = user_scope(user)
    regions = (
        Region.objects.all() if scope.is_admin else Region.objects.filter(pk__in=scope.region_ids)
    )
    return list(regions.order_by("name"))


def cycle_detail(*, pk: int) -> Cycle:
    return (
        Cycle.objects.select_related("region", "created_by", "challenge_event")
        .prefetch_related("questions")
        .get(pk=pk)
    )


def linkable_challenge_events(region):
    """The region's peer-challenge days ahead, not cancelled and not yet any cycle's."""
    return (
        Event.objects.filter(
            region=region,
            kind=EventKind.CHALLENGE_DAY,
            peer_cycle__isnull=True,
            starts_at__gt=timezone.now(),
        )
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )


def challenge_day_places(cycle: Cycle) -> dict | None:
    """Registrations against places at the cycle's challenge day, per LA (organisers only)."""
    event = cycle.challenge_event
    if event is None:
        return None
    rows = event_selectors.registrations_by_la(event=event)
    return {
        "rows": rows,
        "places": sum(row.places for row in rows),
        "used": sum(row.used for row in rows),
    }


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


def cycle_self_assessments(*, user, cycle: Cycle) -> list[SelfAssessment]:
    """The cycle's self-assessments this user may open, with moderator counts."""
    rows = list(
        cycle.self_assessments.select_related("local_authority", "cycle")
        .annotate(
            moderator_count=Count("moderator_assignments", distinct=True),
            released_count=Count(
                "moderator_assignments",
                filter=Q(moderator_assignments__comments_released_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("local_authority__name")
    )
    scope = user_scope(user)
    if scope.is_admin or scope.manages_region(cycle.region_id):
        return rows
    moderated = set(
        ModeratorAssignment.objects.filter(
            moderator=user, self_assessment__cycle=cycle
        ).values_list("self_assessment_id", flat=True)
    )
    partner_las: set[int] = set()
    if scope.la_ids:
        my_triads = TriadMember.objects.filter(
            cycle=cycle, local_authority_id__in=scope.la_ids
        ).values("triad_id")
        partner_las = set(
            TriadMember.objects.filter(triad_id__in=my_triads).values_list(
                "local_authority_id", flat=True
            )
        )
    return [
        sa
        for sa in rows
        if sa.local_authority_id in scope.la_ids
        or sa.pk in moderated
        or (sa.local_authority_id in partner_las and sa.status != SelfAssessmentStatus.DRAFT)
    ]


def cycle_progress(cycle: Cycle) -> dict[str, int]:
    counts = Counter(cycle.self_assessments.values_list("status", flat=True))
    return {label: counts.get(value, 0) for value, label in SelfAssessmentStatus.choices}


def cycle_findings(cycle: Cycle) -> list[Finding]:
    return list(
        cycle.findings.select_related("triad", "local_authority", "promoted_by").order_by(
            "kind", "created_at"
        )
    )


def cycle_challenges(cycle: Cycle) -> list[Challenge]:
    return list(
        cycle.challenges.select_related("home_la")
        .prefetch_related("challenging_las")
        .order_by("home_la__name")
    )


def self_assessment_for(*, pk: int) -> SelfAssessment:
    return SelfAssessment.objects.select_related("cycle__region", "local_authority").get(pk=pk)


def self_assessment_sections(*, user, sa: SelfAssessment) -> list[SelfAssessmentSection]:
    """Sections with the comments this user may read: the LA and the programme manager see
    released comments; each moderator sees their own (released or not)."""
    comments = ModerationComment.objects.select_related(
        "assignment__moderator", "assignment__moderator_la", "responded_by"
    ).order_by("created_at")
    scope = user_scope(user)
    if (
        scope.is_admin
        or scope.manages_region(sa.cycle.region_id)
        or scope.has_la_role(sa.local_authority_id)
    ):
        comments = comments.filter(assignment__comments_released_at__isnull=False)
    else:
        comments = comments.filter(assignment__moderator=user)
    return list(
        sa.sections.select_related("question")
        .prefetch_related(
            Prefetch("comments", queryset=comments, to_attr="visible_comments"),
            Prefetch(
                "files",
                queryset=EvidenceFile.objects.filter(removed_at__isnull=True).order_by(
                    "uploaded_at"
                ),
                to_attr="current_files",
            ),
        )
        .order_by("question__position")
    )


def self_assessment_moderators(sa: SelfAssessment) -> list[ModeratorAssignment]:
    return list(
        sa.moderator_assignments.select_related("moderator", "moderator_la").order_by("assigned_at")
    )


@dataclass
class Version:
    when: object
    who: str
    what: str
    changes: list[str] = field(default_factory=list)


_SECTION_FIELDS = ("narrative", "strengths", "areas_for_development", "evidence_links")


def self_assessment_versions(sa: SelfAssessment) -> list[Version]:
    """Every saved version of the self-assessment and its sections, newest first."""
    versions: list[Version] = []
    records = list(
        SelfAssessment.history.filter(id=sa.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous = None
    for record in records:
        who = record.history_user.full_name if record.history_user else "The portal"
        if previous is None:
            what = "Created (draft)"
        elif record.status != previous.status:
            what = f"Status: {previous.get_status_display()} → {record.get_status_display()}"
        else:
            what = "Details updated"
        versions.append(Version(when=record.history_date, who=who, what=what))
        previous = record
    section_titles = dict(sa.sections.values_list("pk", "question__title"))
    section_records = list(
        SelfAssessmentSection.history.filter(self_assessment_id=sa.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    last_by_section: dict[int, object] = {}
    for record in section_records:
        before = last_by_section.get(record.id)
        last_by_section[record.id] = record
        if before is None:
            continue
        changed = [
            name.replace("_", " ")
            for name in _SECTION_FIELDS
            if getattr(before, name) != getattr(record, name)
        ]
        if not changed:
            continue
        who = record.history_user.full_name if record.history_user else "The portal"
        versions.append(
            Version(
                when=record.history_date,
                who=who,
                what=f"Edited “{section_titles.get(record.id, 'section')}”",
                changes=changed,
            )
        )
    for evidence in EvidenceFile.objects.filter(section__self_assessment=sa).select_related(
        "uploaded_by", "removed_by", "section__question"
    ):
        title = evidence.section.question.title
        versions.append(
            Version(
                when=evidence.uploaded_at,
                who=evidence.uploaded_by.full_name,
                what=f"Attached “{evidence.name}” to “{title}”",
            )
        )
        if evidence.removed_at:
            versions.append(
                Version(
                    when=evidence.removed_at,
                    who=evidence.removed_by.full_name,
                    what=f"Removed “{evidence.name}” from “{title}” (the file is kept)",
                )
            )
    versions.sort(key=lambda v: v.when, reverse=True)
    return versions


def section_version_texts(sa: SelfAssessment) -> list[dict]:
    """For the versions page: each section's narrative as it stood at each save."""
    rows = (
        SelfAssessmentSection.history.filter(self_assessment_id=sa.pk)
        .select_related("history_user", "question")
        .order_by("question__position", "-history_date")
    )
    return list(rows)


# --- take-up --------------------------------------------------------------------------------


@dataclass
class TakeUpYear:
    year: int
    total: int
    by_la: dict[str, list[str]]

    @property
    def count(self) -> int:
        return len(self.by_la)

    @property
    def rate(self) -> float:
        return self.count / self.total if self.total else 0.0


def take_up(region: Region) -> list[TakeUpYear]:
    """Per year: which LAs completed which kind of challenge, and how many of the region's LAs.

    An LA counts once a year if its annual self-assessment was signed off, or it was the home LA
    of a completed thematic or bilateral challenge. The denominator is the region's active LAs.
    """
    total = LocalAuthority.objects.filter(region=region, is_active=True).count()
    years: dict[int, dict[str, set[str]]] = {}
    for year, la_name in SelfAssessment.objects.filter(
        cycle__region=region, status=SelfAssessmentStatus.SIGNED_OFF
    ).values_list("cycle__year", "local_authority__name"):
        years.setdefault(year, {}).setdefault(la_name, set()).add(CycleKind.ANNUAL_TRIAD.label)
    kind_labels = dict(CycleKind.choices)
    for year, kind, la_name in Challenge.objects.filter(
        cycle__region=region, status=ChallengeStatus.COMPLETED
    ).values_list("cycle__year", "cycle__kind", "home_la__name"):
        years.setdefault(year, {}).setdefault(la_name, set()).add(kind_labels[kind])
    for year in Cycle.objects.filter(region=region).values_list("year", flat=True):
        years.setdefault(year, {})
    return [
        TakeUpYear(
            year=year,
            total=total,
            by_la={name: sorted(kinds) for name, kinds in sorted(years[year].items())},
        )
        for year in sorted(years)
    ]


# --- dashboard and navigation ---------------------------------------------------------------


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


def dashboard_sections(user) -> list[Section]:
    scope = user_scope(user)
    sections: list[Section] = []
    if scope.la_ids:
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
            text, level, badge = _NEXT_STEP[sa.status]
            due = sa.cycle.self_assessment_due
            section.items.append(
                Item(
                    text=f"{sa.local_authority}: {text}",
                    url=sa.get_absolute_url(),
                    detail=f"{sa.cycle.title}"
                    + (f", due {due:%-d %B %Y}" if due and sa.status == "draft" else ""),
                    level=level,
                    badge=badge,
                )
            )
        for assignment in (
            ModeratorAssignment.objects.filter(moderator=user, comments_released_at__isnull=True)
            .select_related("self_assessment__cycle", "assessed_la")
            .order_by("assigned_at")
        ):
            due = assignment.self_assessment.cycle.moderation_due
            section.items.append(
                Item(
                    text=f"Moderate {assignment.assessed_la}'s self-assessment",
                    url=assignment.self_assessment.get_absolute_url(),
                    detail=f"Comments due {due:%-d %B %Y}" if due else "",
                    level="warning",
                    badge="To do",
                )
            )
        sections.append(section)
    if scope.managed_region_ids:
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
        sections.append(section)
    return sections


def nav_items(user, scope) -> list[tuple[str, str]]:
    if scope.is_admin or scope.region_ids:
        return [("Peer challenge", reverse("peer_challenge:index"))]
    return []
