"""An LA's self-assessment: write its sections, attach and remove evidence, submit it, and sign
it off once moderated. Only the LA's own DCS and performance lead write; administrators and
programme managers read (the rules say so)."""

import datetime
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Position
from sli_portal.access import System, can, require

from ..models import EvidenceFile, SelfAssessment, SelfAssessmentSection, SelfAssessmentStatus
from ..selectors.self_assessments import sign_off_people
from ._common import EVIDENCE_SIGNATURES, MAX_TEXT, _check_upload, _locked, _person

EVIDENCE_MAX_FILES = 20
SECTION_FIELDS = ("narrative", "strengths", "areas_for_development", "evidence_links")


def _check_links(text: str, label: str) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parsed = urlparse(line)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValidationError(
                f"{label}, evidence line {number}: {line[:80]!r} is not a web address "
                "starting with https://."
            )


def _locked_sa(self_assessment: SelfAssessment) -> SelfAssessment:
    sa = _locked(SelfAssessment, self_assessment.pk)
    sa.cycle = self_assessment.cycle
    return sa


@transaction.atomic
def self_assessment_save(
    *,
    actor: User | System,
    self_assessment: SelfAssessment,
    sections: dict[int, dict[str, Any]],
) -> None:
    """sections: section_id -> {narrative, strengths, areas_for_development, evidence_links}."""
    sa = _locked_sa(self_assessment)
    if (
        not can(actor, "peer_challenge.edit_selfassessment", sa)
        and sa.status != SelfAssessmentStatus.DRAFT
        and can(actor, "peer_challenge.view_selfassessment", sa)
    ):
        raise ValidationError(
            "This self-assessment has been submitted and can no longer be edited."
        )
    require(actor, "peer_challenge.edit_selfassessment", sa)
    existing = {s.pk: s for s in sa.sections.select_related("question")}
    unknown = set(sections) - set(existing)
    if unknown:
        raise ValidationError("The form names a section that is not in this self-assessment.")
    for section_id, values in sections.items():
        section = existing[section_id]
        label = f"Section {section.question.position} ({section.question.title})"
        for name in SECTION_FIELDS:
            if len(values.get(name, "")) > MAX_TEXT:
                raise ValidationError(
                    f"{label}: {name.replace('_', ' ')} is over {MAX_TEXT} characters."
                )
        _check_links(values.get("evidence_links", ""), label)
        changed = [n for n in SECTION_FIELDS if n in values and getattr(section, n) != values[n]]
        if changed:
            for name in changed:
                setattr(section, name, values[name])
            section._history_user = _person(actor)  # type: ignore[attr-defined]
            section.save(update_fields=changed)


@transaction.atomic
def evidence_attach(
    *,
    actor: User | System,
    self_assessment: SelfAssessment,
    section: SelfAssessmentSection,
    upload: UploadedFile,
) -> EvidenceFile:
    sa = _locked_sa(self_assessment)
    require(actor, "peer_challenge.edit_selfassessment", sa)
    if section.self_assessment_id != sa.pk:
        raise ValidationError("That section belongs to another self-assessment.")
    _check_upload(upload, field="file", signatures=EVIDENCE_SIGNATURES)
    if section.files.filter(removed_at__isnull=True).count() >= EVIDENCE_MAX_FILES:
        raise ValidationError({"file": f"A section has at most {EVIDENCE_MAX_FILES} files."})
    return EvidenceFile.objects.create(
        section=section,
        file=upload,
        name=(upload.name or "").rsplit("/", 1)[-1][:200],
        size=upload.size or 0,
        uploaded_by=_person(actor),
    )


@transaction.atomic
def evidence_remove(*, actor: User | System, evidence: EvidenceFile) -> None:
    """Remove a file from its section (it is kept, and listed on the versions page)."""
    evidence = EvidenceFile.objects.select_related("section__self_assessment__cycle").get(
        pk=evidence.pk
    )
    sa = _locked_sa(evidence.section.self_assessment)
    require(actor, "peer_challenge.edit_selfassessment", sa)
    if evidence.removed_at is None:
        evidence.removed_at = timezone.now()
        evidence.removed_by = _person(actor)
        evidence.save(update_fields=["removed_at", "removed_by"])


@transaction.atomic
def self_assessment_submit(
    *, actor: User | System, self_assessment: SelfAssessment
) -> SelfAssessment:
    sa = _locked_sa(self_assessment)
    require(actor, "peer_challenge.submit_selfassessment", sa)
    if sa.status != SelfAssessmentStatus.DRAFT:
        raise ValidationError("This self-assessment has already been submitted.")
    empty = [
        f"{s.question.position}. {s.question.title}"
        for s in sa.sections.select_related("question")
        if not s.narrative.strip()
    ]
    if empty:
        raise ValidationError(
            "Write the narrative for every section before submitting. Missing: " + "; ".join(empty)
        )
    sa.status = SelfAssessmentStatus.SUBMITTED
    sa.submitted_at = timezone.now()
    sa.submitted_by = _person(actor)
    sa._history_user = sa.submitted_by  # type: ignore[attr-defined]
    sa.save()
    return sa


def _signatory(
    la_id: int, position: str, user: User | None, name: str, label: str
) -> tuple[User | None, str]:
    if user is not None:
        if user.pk not in {u.pk for u in sign_off_people(la_id, position)}:
            raise ValidationError(f"{user.full_name} is not recorded as the LA's {label}.")
        return user, user.full_name
    if not (name or "").strip():
        raise ValidationError(f"Enter the {label}'s name.")
    return None, name.strip()[:150]


@transaction.atomic
def self_assessment_sign_off(
    *,
    actor: User | System,
    self_assessment: SelfAssessment,
    chief_executive: User | None = None,
    chief_executive_name: str = "",
    chief_executive_approved_on: datetime.date,
    lead_member: User | None = None,
    lead_member_name: str = "",
    lead_member_approved_on: datetime.date,
) -> SelfAssessment:
    sa = _locked_sa(self_assessment)
    require(actor, "peer_challenge.sign_off_selfassessment", sa)
    if sa.status == SelfAssessmentStatus.SIGNED_OFF:
        raise ValidationError("This self-assessment has already been signed off.")
    if sa.status != SelfAssessmentStatus.MODERATED:
        raise ValidationError("A self-assessment is signed off after moderation.")
    today = timezone.localdate()
    for label, day in (
        ("chief executive", chief_executive_approved_on),
        ("lead member", lead_member_approved_on),
    ):
        if day is None:
            raise ValidationError(f"Enter the date the {label} approved it.")
        if day > today:
            raise ValidationError(f"The {label}'s approval date cannot be in the future.")
    sa.chief_executive, sa.chief_executive_name = _signatory(
        sa.local_authority_id,
        Position.CHIEF_EXECUTIVE,
        chief_executive,
        chief_executive_name,
        "chief executive",
    )
    sa.lead_member, sa.lead_member_name = _signatory(
        sa.local_authority_id, Position.LEAD_MEMBER, lead_member, lead_member_name, "lead member"
    )
    sa.chief_executive_approved_on = chief_executive_approved_on
    sa.lead_member_approved_on = lead_member_approved_on
    sa.status = SelfAssessmentStatus.SIGNED_OFF
    sa.signed_off_at = timezone.now()
    sa.signed_off_by = _person(actor)
    sa._history_user = sa.signed_off_by  # type: ignore[attr-defined]
    sa.save()
    return sa
