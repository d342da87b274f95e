"""Demo data: take-up history like the seeds (6 LAs in 2014, 12 of 16 in 2015), a confirmed
annual cycle with self-assessments at every stage, and a thematic round on Neglect."""

import datetime

from django.db import transaction
from django.utils import timezone

from regions.models import LocalAuthority

from ..models import (
    Challenge,
    ChallengeStatus,
    Cycle,
    CycleKind,
    FindingKind,
    FindingStatus,
    SelfAssessment,
)
from ..selectors.cycles import linkable_challenge_events
from ..selectors.moderation import moderator_candidates
from ..services import challenges, cycles, findings, moderation, self_assessments, triads


def _history_challenges(demo, pm, las, year, count):
    cycle = Cycle.objects.filter(region=demo.region, kind=CycleKind.BILATERAL, year=year).first()
    if cycle is None:
        cycle = cycles.cycle_create(
            actor=pm,
            region=demo.region,
            kind=CycleKind.BILATERAL,
            year=year,
            title=f"Peer challenges {year}",
            questions=[],
        )
    for index, home in enumerate(las[:count]):
        if Challenge.objects.filter(cycle=cycle, home_la=home).exists():
            continue
        challenger = las[(index + 1) % len(las)]
        challenge = challenges.challenge_create(
            actor=pm, cycle=cycle, home_la=home, challenging_las=[challenger]
        )
        challenges.challenge_update(
            actor=pm,
            challenge=challenge,
            status=ChallengeStatus.COMPLETED,
            date=datetime.date(year, 6, 1) + datetime.timedelta(days=7 * index),
            evaluation="Both LAs found the challenge useful.",
        )


def _thematic_round(demo, pm, las) -> None:
    """2018's thematic challenges on Neglect, completed in pairs."""
    if Cycle.objects.filter(region=demo.region, kind=CycleKind.THEMATIC, year=2018).exists():
        return
    thematic = cycles.cycle_create(
        actor=pm,
        region=demo.region,
        kind=CycleKind.THEMATIC,
        year=2018,
        title="Thematic peer challenge: Neglect",
        theme="Neglect",
        questions=[
            "How well do partners recognise neglect early?",
            "How effective is the response to chronic neglect?",
            "How does the LA know its practice on neglect is improving outcomes?",
        ],
        findings_due=datetime.date(2018, 7, 31),
    )
    for index in range(0, min(6, len(las) - 1), 2):
        challenge = challenges.challenge_create(
            actor=pm, cycle=thematic, home_la=las[index], challenging_las=[las[index + 1]]
        )
        challenges.challenge_update(
            actor=pm,
            challenge=challenge,
            status=ChallengeStatus.COMPLETED,
            date=datetime.date(2018, 5, 10 + index),
            evaluation="Learning themes shared at the evaluation event, 13 September 2018.",
        )


def _annual_cycle(demo, pm, today: datetime.date):
    """This year's annual cycle, its triads proposed and confirmed."""
    # The events demo (which runs first) has put the region's peer-challenge day in the events
    # list: the cycle adopts it; on its own, the cycle makes one from a date and venue.
    existing_day = linkable_challenge_events(demo.region).first()
    if existing_day is not None:
        day = {"challenge_event": existing_day}
        findings_due = timezone.localtime(existing_day.starts_at).date()
    else:
        day = {"challenge_day": today + datetime.timedelta(days=45), "challenge_venue": "Taunton"}
        findings_due = day["challenge_day"]
    cycle = cycles.cycle_create(
        actor=pm,
        region=demo.region,
        kind=CycleKind.ANNUAL_TRIAD,
        year=today.year,
        title=f"Self-assessment and triad peer challenge {today.year}",
        questions=[],
        self_assessment_due=today + datetime.timedelta(days=10),
        moderation_due=today + datetime.timedelta(days=30),
        findings_due=findings_due + datetime.timedelta(days=30),
        **day,
    )
    triads.triads_propose(actor=pm, cycle=cycle, seed=2018)
    triads.triads_confirm(actor=pm, cycle=cycle)
    return cycle


def _write_and_submit(sa, dcs) -> None:
    self_assessments.self_assessment_save(
        actor=dcs,
        self_assessment=sa,
        sections={
            section.pk: {
                "narrative": f"{sa.local_authority}: our position on "
                f"{section.question.title.lower()}.",
                "strengths": "Stable leadership; good partnership working.",
                "areas_for_development": "Timeliness of assessments.",
                "evidence_links": "https://www.gov.uk/government/organisations/ofsted",
            }
            for section in sa.sections.select_related("question")
        },
    )
    self_assessments.self_assessment_submit(actor=dcs, self_assessment=sa)


def _moderate(sa, pm) -> None:
    """A DCS of another LA moderates it: one comment, released."""
    moderator_membership = moderator_candidates(sa).filter(role="dcs").first()
    moderator = moderator_membership.user
    moderation.moderator_assign(
        actor=pm,
        self_assessment=sa,
        moderator=moderator,
        moderator_la=moderator_membership.local_authority,
    )
    first_section = sa.sections.order_by("question__position").first()
    moderation.moderation_comment(
        actor=moderator,
        self_assessment=sa,
        section=first_section,
        body="Clear and honest. Say more about how you know the impact of the changes.",
    )
    moderation.moderation_release(actor=moderator, self_assessment=sa)


def _take_to_stages(demo, pm, cycle, las, today: datetime.date) -> None:
    """The home LA (Somerset) is moderated, waiting to sign off; the others vary."""
    assessments = {
        sa.local_authority_id: sa
        for sa in SelfAssessment.objects.filter(cycle=cycle).select_related("cycle")
    }
    ordered = [assessments[la.pk] for la in las if la.pk in assessments]
    home_sa = assessments[demo.home_la.pk]
    others = [sa for sa in ordered if sa.pk != home_sa.pk]
    stages = {home_sa.pk: "moderated"}
    for index, sa in enumerate(others):
        stages[sa.pk] = ("signed_off", "moderated", "submitted", "draft")[index % 4]
    for sa in ordered:
        stage = stages[sa.pk]
        dcs = demo.la_users[sa.local_authority_id]["dcs"]
        if stage == "draft":
            continue
        _write_and_submit(sa, dcs)
        if stage == "submitted":
            continue
        _moderate(sa, pm)
        if stage == "signed_off":
            self_assessments.self_assessment_sign_off(
                actor=dcs,
                self_assessment=sa,
                chief_executive_name="The chief executive",
                chief_executive_approved_on=today,
                lead_member_name="The lead member",
                lead_member_approved_on=today,
            )


@transaction.atomic
def build_demo(demo) -> None:
    pm = demo.users["programme_manager"]
    las = list(LocalAuthority.objects.filter(region=demo.region, is_active=True).order_by("name"))
    if len(las) < 6:
        return
    # The seeds: 6 LAs in 2014, then 12 of the region's (then) 16 in 2015.
    _history_challenges(demo, pm, las, 2014, 6)
    _history_challenges(demo, pm, las, 2015, min(12, len(las)))
    _thematic_round(demo, pm, las)

    today = datetime.date.today()
    cycle = Cycle.objects.filter(
        region=demo.region, kind=CycleKind.ANNUAL_TRIAD, year=today.year
    ).first()
    if cycle is not None:
        _promote_one_theme(pm, cycle)
        return
    cycle = _annual_cycle(demo, pm, today)
    _take_to_stages(demo, pm, cycle, las, today)
    findings.finding_create(
        actor=pm,
        cycle=cycle,
        kind=FindingKind.REGIONAL_THEME,
        text="Sufficiency of placements for children with complex needs.",
    )
    _promote_one_theme(pm, cycle)
    demo.log.append(f"Peer challenge: {cycle.title} with {cycle.triads.count()} triads.")


def _promote_one_theme(pm, cycle) -> None:
    """The plans page shows a candidate priority: the day's regional theme, once."""
    if cycle.findings.filter(status=FindingStatus.PROPOSED).exists():
        return
    theme = cycle.findings.filter(kind=FindingKind.REGIONAL_THEME).order_by("pk").first()
    if theme is not None:
        findings.finding_promote(actor=pm, finding=theme)
