"""Self-assessments: writing, evidence, submission, sign-off, versions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from peer_challenge.models import SelfAssessment
from peer_challenge.selectors.self_assessments import (
    self_assessment_sections,
    self_assessment_versions,
)
from peer_challenge.services.self_assessments import (
    evidence_attach,
    evidence_remove,
    self_assessment_save,
    self_assessment_sign_off,
    self_assessment_submit,
)
from regions.models import Position, Role
from tests.peer_challenge import factories as f
from tests.regions.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_submit_needs_every_narrative_and_double_submit_is_refused(world):
    cycle = f.annual_cycle(world)
    sa = f.sa_of(cycle, world.home_la)
    with pytest.raises(ValidationError, match=r"Missing: 1\. Leadership; 2\. Help and protection"):
        self_assessment_submit(actor=world.users["dcs"], self_assessment=sa)
    f.write(sa, world.users["dcs"])
    self_assessment_submit(actor=world.users["dcs"], self_assessment=sa)
    with pytest.raises(ValidationError, match="already been submitted"):
        self_assessment_submit(actor=world.users["dcs"], self_assessment=sa)


def test_performance_lead_writes_but_only_the_dcs_submits(world):
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    f.write(sa, world.users["performance_lead"])
    with pytest.raises(PermissionDenied):
        self_assessment_submit(actor=world.users["performance_lead"], self_assessment=sa)
    with pytest.raises(PermissionDenied):
        f.write(sa, world.users["peer_dcs"])


def test_submitted_self_assessment_cannot_be_edited(world):
    sa = f.submitted(world)
    with pytest.raises(ValidationError, match="can no longer be edited"):
        f.write(sa, world.users["dcs"], text="Changed")


def test_bad_evidence_link_names_section_and_line_and_saves_nothing(world):
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    sections = list(sa.sections.order_by("question__position"))
    with pytest.raises(
        ValidationError, match=r"Section 2 \(Help and protection\), evidence line 2"
    ):
        self_assessment_save(
            actor=world.users["dcs"],
            self_assessment=sa,
            sections={
                sections[0].pk: {"narrative": "Good"},
                sections[1].pk: {"evidence_links": "https://ok.example\njavascript:alert(1)"},
            },
        )
    sections[0].refresh_from_db()
    assert sections[0].narrative == ""


def test_every_version_is_kept_with_who_and_what(world):
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    f.write(sa, world.users["performance_lead"], text="First")
    f.write(sa, world.users["dcs"], text="Second")
    self_assessment_submit(actor=world.users["dcs"], self_assessment=sa)
    versions = self_assessment_versions(sa)
    whats = [v.what for v in versions]
    assert "Status: Draft → Submitted" in whats
    assert sum("Edited" in w for w in whats) == 4  # two sections, two saves each
    assert {v.who for v in versions if "Edited" in v.what} == {"Pat Lewis", "Dan Clarke"}


def test_sign_off_records_chief_executive_user_and_typed_lead_member(world):
    ceo = MembershipFactory(
        local_authority=world.home_la, role=Role.MEMBER, position=Position.CHIEF_EXECUTIVE
    ).user
    sa, _ = f.commented(world)
    today = timezone.localdate()
    self_assessment_sign_off(
        actor=world.users["dcs"],
        self_assessment=sa,
        chief_executive=ceo,
        chief_executive_approved_on=today,
        lead_member_name="Cllr Jo Smith",
        lead_member_approved_on=today,
    )
    sa.refresh_from_db()
    assert sa.status == "signed_off"
    assert sa.chief_executive == ceo
    assert sa.chief_executive_name == ceo.full_name
    assert sa.lead_member is None
    assert sa.lead_member_name == "Cllr Jo Smith"


def test_sign_off_refuses_wrong_people_future_dates_and_unmoderated(world):
    today = timezone.localdate()
    submitted = f.submitted(world)
    with pytest.raises(ValidationError, match="after moderation"):
        self_assessment_sign_off(
            actor=world.users["dcs"],
            self_assessment=submitted,
            chief_executive_name="A",
            chief_executive_approved_on=today,
            lead_member_name="B",
            lead_member_approved_on=today,
        )
    sa, _ = f.commented(world, sa=submitted)
    with pytest.raises(ValidationError, match="is not recorded as the LA's chief executive"):
        self_assessment_sign_off(
            actor=world.users["dcs"],
            self_assessment=sa,
            chief_executive=world.users["member"],
            chief_executive_approved_on=today,
            lead_member_name="B",
            lead_member_approved_on=today,
        )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        self_assessment_sign_off(
            actor=world.users["dcs"],
            self_assessment=sa,
            chief_executive_name="A",
            chief_executive_approved_on=today + datetime.timedelta(days=1),
            lead_member_name="B",
            lead_member_approved_on=today,
        )
    with pytest.raises(PermissionDenied):
        self_assessment_sign_off(
            actor=world.users["performance_lead"],
            self_assessment=sa,
            chief_executive_name="A",
            chief_executive_approved_on=today,
            lead_member_name="B",
            lead_member_approved_on=today,
        )


def test_sign_off_without_approvals_is_refused_by_database(world):
    sa, _ = f.commented(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessment.objects.filter(pk=sa.pk).update(status="signed_off")


def test_evidence_files_are_checked_and_removal_keeps_them_in_the_versions(world):
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    section = sa.sections.order_by("question__position").first()
    dcs = world.users["dcs"]
    with pytest.raises(ValidationError, match=r"notes\.docx is not a real DOCX file"):
        evidence_attach(
            actor=dcs,
            self_assessment=sa,
            section=section,
            upload=SimpleUploadedFile("notes.docx", b"plain text pretending"),
        )
    with pytest.raises(ValidationError, match=r"run\.sh: upload one of PDF, DOCX"):
        evidence_attach(
            actor=dcs,
            self_assessment=sa,
            section=section,
            upload=SimpleUploadedFile("run.sh", b"#!"),
        )
    evidence = evidence_attach(
        actor=dcs,
        self_assessment=sa,
        section=section,
        upload=SimpleUploadedFile("audit.pdf", b"%PDF-1.7 audit"),
    )
    evidence_remove(actor=world.users["performance_lead"], evidence=evidence)
    whats = [v.what for v in self_assessment_versions(sa)]
    assert "Attached “audit.pdf” to “Leadership”" in whats
    assert "Removed “audit.pdf” from “Leadership” (the file is kept)" in whats
    shown = self_assessment_sections(user=dcs, sa=sa)[0].current_files
    assert shown == []


def test_evidence_cannot_be_attached_after_submission_or_by_another_la(world):
    sa = f.submitted(world)
    section = sa.sections.first()
    upload = SimpleUploadedFile("late.pdf", b"%PDF-1.4")
    with pytest.raises(PermissionDenied):
        evidence_attach(
            actor=world.users["dcs"], self_assessment=sa, section=section, upload=upload
        )
    draft = f.sa_of(sa.cycle, world.peer_la)
    with pytest.raises(PermissionDenied):
        evidence_attach(
            actor=world.users["dcs"],
            self_assessment=draft,
            section=draft.sections.first(),
            upload=upload,
        )


def test_removing_evidence_asks_first_and_going_back_keeps_the_file(world, client_for):
    from django.urls import reverse

    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    evidence = evidence_attach(
        actor=world.users["dcs"],
        self_assessment=sa,
        section=sa.sections.first(),
        upload=SimpleUploadedFile("audit.pdf", b"%PDF-1.7 audit"),
    )
    client = client_for(world.users["dcs"])
    url = reverse("peer_challenge:evidence_remove", kwargs={"pk": sa.pk, "file_pk": evidence.pk})
    page = client.get(url).content.decode()
    assert "Remove audit.pdf?" in page
    assert "Yes, remove the file" in page
    assert f'href="{sa.get_absolute_url()}">No, go back</a>' in page
    evidence.refresh_from_db()
    assert evidence.removed_at is None, "looking at the question removes nothing"
    assert client.post(url).status_code == 302
    evidence.refresh_from_db()
    assert evidence.removed_at is not None
