"""Peer challenge objects for tests, made through the services as a user would make them."""

import datetime

from django.utils import timezone

from peer_challenge.models import CycleKind, SelfAssessment
from peer_challenge.services.cycles import cycle_create
from peer_challenge.services.moderation import (
    moderation_comment,
    moderation_release,
    moderator_assign,
)
from peer_challenge.services.self_assessments import self_assessment_save, self_assessment_submit
from tests.regions.factories import LocalAuthorityFactory, MembershipFactory

QUESTIONS = ["Leadership", "Help and protection"]


def add_las(world, n, start=[0]):  # noqa: B006 - a counter shared across calls
    """n more LAs in the world's region, each with a DCS (for flat query-count tests)."""
    for _ in range(n):
        start[0] += 1
        la = LocalAuthorityFactory(region=world.region, name=f"Extra {start[0]:03d}")
        MembershipFactory(role="dcs", local_authority=la)


def annual_cycle(world, *, year=2026, region=None, **extra):
    region = region or world.region
    pm = world.users["programme_manager"] if region == world.region else world.users["admin"]
    today = timezone.localdate()
    values = {
        "kind": CycleKind.ANNUAL_TRIAD,
        "year": year,
        "title": f"Self-assessment {year}",
        "questions": list(QUESTIONS),
        "self_assessment_due": today + datetime.timedelta(days=7),
        "moderation_due": today + datetime.timedelta(days=21),
        "challenge_day": today + datetime.timedelta(days=40),
        "challenge_venue": "Taunton",
    }
    values.update(extra)
    return cycle_create(actor=pm, region=region, **values)


def thematic_cycle(world, *, year=2018):
    return cycle_create(
        actor=world.users["programme_manager"],
        region=world.region,
        kind=CycleKind.THEMATIC,
        year=year,
        title="Thematic: Neglect",
        theme="Neglect",
        questions=["How early is neglect recognised?"],
    )


def sa_of(cycle, la) -> SelfAssessment:
    return SelfAssessment.objects.select_related("cycle", "local_authority").get(
        cycle=cycle, local_authority=la
    )


def write(sa, user, text="Our position."):
    self_assessment_save(
        actor=user,
        self_assessment=sa,
        sections={
            section.pk: {
                "narrative": f"{text} ({section.question.title})",
                "strengths": "Strong leadership.",
                "areas_for_development": "Timeliness.",
                "evidence_links": "https://example.org/evidence",
            }
            for section in sa.sections.select_related("question")
        },
    )


def submitted(world, cycle=None, la=None):
    cycle = cycle or annual_cycle(world)
    la = la or world.home_la
    sa = sa_of(cycle, la)
    dcs = world.users["dcs"] if la == world.home_la else world.users["peer_dcs"]
    write(sa, dcs)
    self_assessment_submit(actor=dcs, self_assessment=sa)
    return sa_of(cycle, la)


def with_moderator(world, sa=None):
    """Home LA's submitted self-assessment, moderated by the peer LA's DCS."""
    sa = sa or submitted(world)
    moderator_assign(
        actor=world.users["programme_manager"],
        self_assessment=sa,
        moderator=world.users["peer_dcs"],
        moderator_la=world.peer_la,
    )
    return sa


def commented(world, sa=None, *, release=True, assign=True):
    sa = with_moderator(world, sa) if assign else sa
    section = sa.sections.order_by("question__position").first()
    comment = moderation_comment(
        actor=world.users["peer_dcs"], self_assessment=sa, section=section, body="Say more."
    )
    if release:
        moderation_release(actor=world.users["peer_dcs"], self_assessment=sa)
    return sa_of(sa.cycle, sa.local_authority), comment
