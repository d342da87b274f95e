"""England-scale peer challenge for the benchmark: per region, 5 x factor years of annual
cycles with confirmed triads (from the real generator, so later years avoid earlier pairings),
a self-assessment per LA with every framework section, and moderation on the latest year."""

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from events.models import Allocation, Event, EventKind, EventStatus
from sli_portal.scale import ScaleContext

from ..domain import triads as triad_engine
from ..domain.cycles import (
    CHALLENGE_DAY_ENDS,
    CHALLENGE_DAY_STARTS,
    DEFAULT_ANNUAL_FRAMEWORK,
    at_london,
)
from ..models import (
    Cycle,
    CycleKind,
    FrameworkQuestion,
    ModerationComment,
    ModeratorAssignment,
    SelfAssessment,
    SelfAssessmentSection,
    Triad,
    TriadMember,
)

CYCLES_PER_REGION = 5
LATEST_STAGES = ("draft", "submitted", "moderated", "signed_off")


def _challenge_days(region, las, pm, years: list[int]) -> list[Event]:
    """Each year's challenge day, as the cycle service would make it: a published
    challenge_day event of the region with the default places for each LA."""
    days = bulk_create_with_history(
        [
            Event(
                region=region,
                kind=EventKind.CHALLENGE_DAY,
                title=f"Self-assessment and triad peer challenge {year}: challenge day",
                focus=f"Peer challenge in {region.name}",
                venue="Regional venue",
                starts_at=at_london(datetime.date(year, 12, 7), CHALLENGE_DAY_STARTS),
                ends_at=at_london(datetime.date(year, 12, 7), CHALLENGE_DAY_ENDS),
                status=EventStatus.PUBLISHED,
                created_by=pm,
            )
            for year in years
        ],
        Event,
        default_user=pm,
    )
    Allocation.objects.bulk_create(
        Allocation(event=event, local_authority=la, places=event.places_per_la)
        for event in days
        for la in las
        if la.is_active
    )
    return days


def _triads(ctx: ScaleContext, cycle: Cycle, las, groups_by_year: dict) -> None:
    """Confirmed triads from the real generator, avoiding the earlier years' pairings."""
    proposal = triad_engine.propose(
        [la.pk for la in las],
        history=triad_engine.history_from_groups(groups_by_year),
        year=cycle.year,
        seed=ctx.random.randrange(10**6),
    )
    groups_by_year[cycle.year] = proposal.groups
    triads = Triad.objects.bulk_create(
        Triad(cycle=cycle, number=n) for n in range(1, len(proposal.groups) + 1)
    )
    TriadMember.objects.bulk_create(
        TriadMember(triad=triad, cycle=cycle, local_authority_id=la_id)
        for triad, group in zip(triads, proposal.groups, strict=True)
        for la_id in group
    )


def _assessments(ctx: ScaleContext, cycle: Cycle, las, *, latest: bool, now, today):
    """A self-assessment per LA (every stage in the latest year, else signed off) with every
    framework section. Returns (assessments, sections)."""
    questions = FrameworkQuestion.objects.bulk_create(
        FrameworkQuestion(cycle=cycle, position=i, title=title)
        for i, title in enumerate(DEFAULT_ANNUAL_FRAMEWORK, 1)
    )
    assessments = []
    for index, la in enumerate(las):
        stage = LATEST_STAGES[index % 4] if latest else "signed_off"
        sa = SelfAssessment(cycle=cycle, local_authority=la, status=stage)
        if stage != "draft":
            sa.submitted_at = now
            sa.submitted_by = ctx.la_users[la.pk]["dcs"][0]
        if stage in ("moderated", "signed_off"):
            sa.moderated_at = now
        if stage == "signed_off":
            sa.chief_executive_name = f"Chief executive of {la.name}"
            sa.lead_member_name = f"Lead member of {la.name}"
            sa.chief_executive_approved_on = today
            sa.lead_member_approved_on = today
            sa.signed_off_at = now
        assessments.append(sa)
    assessments = SelfAssessment.objects.bulk_create(assessments)
    sections = SelfAssessmentSection.objects.bulk_create(
        SelfAssessmentSection(
            self_assessment=sa,
            question=q,
            narrative=f"{sa.local_authority.name}: {q.title}." if sa.status != "draft" else "",
        )
        for sa in assessments
        for q in questions
    )
    return assessments, sections


def _moderation(ctx: ScaleContext, assessments, sections, las, pm, now) -> None:
    """A moderator from the next LA, with one released comment, on each moderated one."""
    first_section = {s.self_assessment_id: s for s in reversed(sections)}
    assignments = []
    for index, sa in enumerate(assessments):
        if sa.status not in ("moderated", "signed_off"):
            continue
        moderator_la = las[(index + 1) % len(las)]
        assignments.append(
            ModeratorAssignment(
                self_assessment=sa,
                moderator=ctx.la_users[moderator_la.pk]["dcs"][0],
                moderator_la=moderator_la,
                assessed_la_id=sa.local_authority_id,
                assigned_by=pm,
                comments_released_at=now,
            )
        )
    assignments = ModeratorAssignment.objects.bulk_create(assignments)
    ModerationComment.objects.bulk_create(
        ModerationComment(
            assignment=a, section=first_section[a.self_assessment_id], body="Say more."
        )
        for a in assignments
    )


def seed_peer_challenge(ctx: ScaleContext) -> None:
    now = timezone.now()
    today = timezone.localdate()
    last_year = today.year
    years = list(range(last_year + 1 - CYCLES_PER_REGION * ctx.factor, last_year + 1))
    las_by_region: dict[int, list] = {}
    for la in ctx.las:
        las_by_region.setdefault(la.region_id, []).append(la)

    for region in ctx.regions:
        las = las_by_region.get(region.pk, [])
        pm = ctx.programme_managers.get(region.pk)
        if len(las) < 2 or pm is None:
            continue
        groups_by_year: dict[int, list[list[int]]] = {}
        days = _challenge_days(region, las, pm, years)
        for year, challenge_event in zip(years, days, strict=True):
            latest = year == last_year
            cycle = Cycle.objects.create(
                region=region,
                kind=CycleKind.ANNUAL_TRIAD,
                year=year,
                title=f"Self-assessment and triad peer challenge {year}",
                self_assessment_due=datetime.date(year, 11, 30),
                moderation_due=datetime.date(year, 12, 20),
                challenge_event=challenge_event,
                triads_confirmed_at=now,
                created_by=pm,
            )
            _triads(ctx, cycle, las, groups_by_year)
            assessments, sections = _assessments(
                ctx, cycle, las, latest=latest, now=now, today=today
            )
            if latest:
                _moderation(ctx, assessments, sections, las, pm, now)
