"""Thematic and bilateral challenges, and take-up."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from peer_challenge.models import ChallengeStatus
from peer_challenge.selectors.challenges import take_up
from peer_challenge.services.challenges import challenge_create, challenge_update
from peer_challenge.services.cycles import cycle_create
from peer_challenge.services.self_assessments import self_assessment_sign_off
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_bilateral_challenge_has_one_challenger_and_report_must_be_a_real_pdf(world, third_la):
    pm = world.users["programme_manager"]
    cycle = cycle_create(
        actor=pm, region=world.region, kind="bilateral", year=2016, title="Bilateral", questions=[]
    )
    with pytest.raises(ValidationError, match="one challenging LA"):
        challenge_create(
            actor=pm, cycle=cycle, home_la=world.home_la, challenging_las=[world.peer_la, third_la]
        )
    challenge = challenge_create(
        actor=pm, cycle=cycle, home_la=world.home_la, challenging_las=[world.peer_la]
    )
    fake = SimpleUploadedFile("report.pdf", b"=cmd|' /C calc'!A0", content_type="application/pdf")
    with pytest.raises(ValidationError, match=r"report\.pdf is not a real PDF file"):
        challenge_update(
            actor=pm,
            challenge=challenge,
            status="completed",
            date=datetime.date(2016, 5, 1),
            report=fake,
        )
    with pytest.raises(ValidationError, match=r"report\.exe: upload one of PDF, DOCX, ODT"):
        challenge_update(
            actor=pm,
            challenge=challenge,
            status="planned",
            report=SimpleUploadedFile("report.exe", b"MZ"),
        )
    with pytest.raises(ValidationError, match="date of a completed"):
        challenge_update(actor=pm, challenge=challenge, status="completed")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PLANNED
    assert not challenge.report


def test_take_up_counts_signed_off_and_completed_home_las_per_year(world, third_la):
    pm = world.users["programme_manager"]
    cycle = cycle_create(
        actor=pm, region=world.region, kind="bilateral", year=2015, title="2015", questions=[]
    )
    for home, challenger in ((world.home_la, world.peer_la), (world.peer_la, third_la)):
        challenge = challenge_create(
            actor=pm, cycle=cycle, home_la=home, challenging_las=[challenger]
        )
        challenge_update(
            actor=pm, challenge=challenge, status="completed", date=datetime.date(2015, 6, 1)
        )
    sa, _ = f.commented(world)
    self_assessment_sign_off(
        actor=world.users["dcs"],
        self_assessment=sa,
        chief_executive_name="A",
        chief_executive_approved_on=timezone.localdate(),
        lead_member_name="B",
        lead_member_approved_on=timezone.localdate(),
    )
    years = {y.year: y for y in take_up(world.region)}
    assert (years[2015].count, years[2015].total) == (2, 3)
    assert years[2015].by_la == {
        "Devon": ["Bilateral challenges"],
        "Somerset": ["Bilateral challenges"],
    }
    assert (years[2026].count, years[2026].total) == (1, 3)
