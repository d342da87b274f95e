"""Thematic and bilateral challenges: a home LA challenged by one or more LAs of the region."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from regions.models import LocalAuthority
from sli_portal.access import System, require

from ..models import Challenge, ChallengeStatus, Cycle, CycleKind
from ._common import MAX_TEXT, REPORT_SIGNATURES, _check_upload, _person


@transaction.atomic
def challenge_create(
    *,
    actor: User | System,
    cycle: Cycle,
    home_la: LocalAuthority,
    challenging_las: Iterable[LocalAuthority],
    date: datetime.date | None = None,
) -> Challenge:
    require(actor, "peer_challenge.manage_cycle", cycle)
    if cycle.kind == CycleKind.ANNUAL_TRIAD:
        raise ValidationError("Annual cycles use triads, not separate challenges.")
    challengers = list(challenging_las)
    if not challengers:
        raise ValidationError({"challenging_las": "Choose at least one challenging LA."})
    if cycle.kind == CycleKind.BILATERAL and len(challengers) != 1:
        raise ValidationError({"challenging_las": "A bilateral challenge has one challenging LA."})
    if home_la in challengers:
        raise ValidationError({"challenging_las": "An LA cannot challenge itself."})
    if any(la.region_id != cycle.region_id for la in [home_la, *challengers]):
        raise ValidationError("Every LA must be in the cycle's region.")
    if Challenge.objects.filter(cycle=cycle, home_la=home_la).exists():
        raise ValidationError({"home_la": f"{home_la} already has a challenge in this cycle."})
    challenge = Challenge.objects.create(
        cycle=cycle, home_la=home_la, date=date, created_by=_person(actor)
    )
    challenge.challenging_las.set(challengers)
    return challenge


@transaction.atomic
def challenge_update(
    *,
    actor: User | System,
    challenge: Challenge,
    status: str,
    date: datetime.date | None = None,
    evaluation: str = "",
    report: UploadedFile | None = None,
) -> Challenge:
    challenge = Challenge.objects.select_for_update().select_related("cycle").get(pk=challenge.pk)
    require(actor, "peer_challenge.manage_challenge", challenge)
    if status not in ChallengeStatus.values:
        raise ValidationError({"status": "Choose a status."})
    if status == ChallengeStatus.COMPLETED and not date:
        raise ValidationError({"date": "Enter the date of a completed challenge."})
    if len(evaluation or "") > MAX_TEXT:
        raise ValidationError({"evaluation": f"At most {MAX_TEXT} characters."})
    if report is not None:
        _check_upload(report, field="report", signatures=REPORT_SIGNATURES)
        challenge.report = report
    challenge.status = status
    challenge.date = date
    challenge.evaluation = (evaluation or "").strip()
    challenge._history_user = _person(actor)  # type: ignore[attr-defined]
    challenge.save()
    return challenge
