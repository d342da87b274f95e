"""Reads for the self-assessment pages: which a user may open, sections with the comments
they may read, and every saved version."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from regions.models import LocalAuthority, Membership, Region
from regions.scope import user_scope

from ..models import (
    Cycle,
    EvidenceFile,
    FrameworkQuestion,
    ModerationComment,
    ModeratorAssignment,
    SelfAssessment,
    SelfAssessmentSection,
    SelfAssessmentStatus,
    TriadMember,
)


def cycle_self_assessments(*, user: User, cycle: Cycle) -> list[SelfAssessment]:
    """The cycle's self-assessments this user may open, with moderator counts."""
    rows: list[SelfAssessment] = list(
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


def self_assessments_for_pages() -> QuerySet[SelfAssessment]:
    """Self-assessments as their pages read them (fetch one with `sli_portal.access.fetch`)."""
    return SelfAssessment.objects.select_related("cycle__region", "local_authority")


def self_assessment_page_rows(sa: SelfAssessment) -> list[QuerySet]:
    """Every row the self-assessment page's body reads (sli_portal.fragments: its stamp),
    unevaluated: the self-assessment, its cycle, region and framework questions, its sections
    with their evidence files and moderators' comments, the moderators (assignments, people and
    LAs), the assessed LA, and who responded to a comment."""
    assignments = ModeratorAssignment.objects.filter(self_assessment_id=sa.pk)
    comments = ModerationComment.objects.filter(section__self_assessment_id=sa.pk)
    return [
        SelfAssessment.objects.filter(pk=sa.pk),
        Cycle.objects.filter(pk=sa.cycle_id),
        Region.objects.filter(pk=sa.cycle.region_id),
        FrameworkQuestion.objects.filter(cycle_id=sa.cycle_id),
        SelfAssessmentSection.objects.filter(self_assessment_id=sa.pk),
        EvidenceFile.objects.filter(section__self_assessment_id=sa.pk),
        comments,
        assignments,
        User.objects.filter(
            Q(pk__in=assignments.values("moderator_id"))
            | Q(pk__in=comments.values("responded_by_id"))
        ),
        LocalAuthority.objects.filter(
            Q(pk=sa.local_authority_id) | Q(pk__in=assignments.values("moderator_la_id"))
        ),
    ]


def self_assessment_sections(*, user: User, sa: SelfAssessment) -> list[SelfAssessmentSection]:
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


@dataclass
class Version:
    when: datetime
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
                    who=evidence.removed_by.full_name if evidence.removed_by else "The portal",
                    what=f"Removed “{evidence.name}” from “{title}” (the file is kept)",
                )
            )
    versions.sort(key=lambda v: v.when, reverse=True)
    return versions


def section_version_texts(sa: SelfAssessment) -> list:
    """For the versions page: each section's narrative as it stood at each save."""
    rows = (
        SelfAssessmentSection.history.filter(self_assessment_id=sa.pk)
        .select_related("history_user", "question")
        .order_by("question__position", "-history_date")
    )
    return list(rows)


def sign_off_people(la_id: int, position: str) -> list[User]:
    """Users who hold `position` (chief executive / lead member) in the LA."""
    return [
        m.user
        for m in Membership.objects.filter(
            local_authority_id=la_id, position=position
        ).select_related("user")
    ]
