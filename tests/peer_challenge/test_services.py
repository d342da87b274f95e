import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from peer_challenge import selectors, services, tasks
from peer_challenge.models import (
    ChallengeStatus,
    Cycle,
    CycleKind,
    Finding,
    FindingKind,
    FindingStatus,
    ModeratorAssignment,
    Notice,
    SelfAssessment,
    TriadMember,
)
from regions.models import CandidatePriority, Membership, Position, Role
from tests.accounts.factories import UserFactory
from tests.peer_challenge import factories as f
from tests.regions.factories import LocalAuthorityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_annual_cycle_creates_a_draft_self_assessment_per_la_with_framework_sections(world):
    cycle = f.annual_cycle(world)
    assessments = SelfAssessment.objects.filter(cycle=cycle)
    assert {sa.local_authority for sa in assessments} == {world.home_la, world.peer_la}
    assert all(sa.status == "draft" for sa in assessments)
    assert [s.question.title for s in assessments[0].sections.order_by("question__position")] == (
        f.QUESTIONS
    )
    # The first version of each is kept.
    assert SelfAssessment.history.filter(cycle_id=cycle.pk).count() == 2


def test_only_the_regions_programme_manager_creates_cycles(world):
    with pytest.raises(PermissionDenied):
        services.cycle_create(
            actor=world.users["dcs"],
            region=world.region,
            kind=CycleKind.ANNUAL_TRIAD,
            year=2026,
            title="x",
            questions=[],
        )
    with pytest.raises(PermissionDenied):
        services.cycle_create(
            actor=world.users["programme_manager"],
            region=world.other_region,
            kind=CycleKind.ANNUAL_TRIAD,
            year=2026,
            title="x",
            questions=[],
        )


def test_second_annual_cycle_for_a_year_is_refused_by_service_and_database(world):
    cycle = f.annual_cycle(world)
    with pytest.raises(ValidationError, match="already has an annual"):
        f.annual_cycle(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            region=world.region,
            kind=CycleKind.ANNUAL_TRIAD,
            year=cycle.year,
            title="dup",
            created_by=world.users["programme_manager"],
        )


def test_thematic_cycle_needs_theme_and_lines_of_enquiry(world):
    pm = world.users["programme_manager"]
    with pytest.raises(ValidationError, match="theme"):
        services.cycle_create(
            actor=pm, region=world.region, kind="thematic", year=2018, title="t", questions=["q"]
        )
    with pytest.raises(ValidationError, match="key lines of enquiry"):
        services.cycle_create(
            actor=pm,
            region=world.region,
            kind="thematic",
            year=2018,
            title="t",
            theme="Neglect",
            questions=[],
        )


def test_moderation_due_before_self_assessments_is_refused(world):
    with pytest.raises(ValidationError, match="Moderation cannot be due before"):
        f.annual_cycle(
            world,
            self_assessment_due=datetime.date(2026, 5, 1),
            moderation_due=datetime.date(2026, 4, 1),
        )


def test_triads_propose_uses_previous_cycles_and_explains_repeats(world, third_la):
    pm = world.users["programme_manager"]
    old = f.annual_cycle(world, year=2025)
    services.triads_propose(actor=pm, cycle=old, seed=3)
    services.triads_confirm(actor=pm, cycle=old)
    cycle = f.annual_cycle(world, year=2026)
    explanation = services.triads_propose(actor=pm, cycle=cycle, seed=3)
    # Three LAs: one triad, so all three pairs meet again, and the note says when.
    assert explanation["repeat_count"] == 3
    assert explanation["history_years"] == [2025]
    assert explanation["zero_repeats_possible"] is False
    assert {tuple(r["years"]) for r in explanation["repeats"]} == {(2025,)}


def test_triads_edit_respects_keep_apart_and_confirm_locks_them(world, third_la):
    pm = world.users["programme_manager"]
    fourth = LocalAuthorityFactory(region=world.region, name="Dorset")
    cycle = f.annual_cycle(world)
    services.pairing_constraint_add(
        actor=pm, cycle=cycle, kind="apart", first=world.home_la, second=world.peer_la
    )
    with pytest.raises(ValidationError, match="must be kept apart"):
        services.triads_update(
            actor=pm,
            cycle=cycle,
            assignment={world.home_la.pk: 1, world.peer_la.pk: 1, third_la.pk: 2, fourth.pk: 2},
        )
    with pytest.raises(ValidationError, match="Generate the triads"):
        services.triads_confirm(actor=pm, cycle=cycle)
    with pytest.raises(ValidationError, match="a group needs at least two"):
        services.triads_update(
            actor=pm,
            cycle=cycle,
            assignment={world.home_la.pk: 1, world.peer_la.pk: 2, third_la.pk: 2, fourth.pk: 2},
        )
    services.triads_update(
        actor=pm,
        cycle=cycle,
        assignment={world.home_la.pk: 1, third_la.pk: 1, world.peer_la.pk: 2, fourth.pk: 2},
    )
    services.triads_confirm(actor=pm, cycle=cycle)
    with pytest.raises(ValidationError, match="already confirmed"):
        services.triads_propose(actor=pm, cycle=cycle)


def test_an_la_is_in_one_triad_per_cycle_by_database_constraint(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    services.triads_propose(actor=pm, cycle=cycle, seed=1)
    triad = cycle.triads.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        TriadMember.objects.create(triad=triad, cycle=cycle, local_authority=world.home_la)


def test_submit_needs_every_narrative_and_double_submit_is_refused(world):
    cycle = f.annual_cycle(world)
    sa = f.sa_of(cycle, world.home_la)
    with pytest.raises(ValidationError, match=r"Missing: 1\. Leadership; 2\. Help and protection"):
        services.self_assessment_submit(actor=world.users["dcs"], self_assessment=sa)
    f.write(sa, world.users["dcs"])
    services.self_assessment_submit(actor=world.users["dcs"], self_assessment=sa)
    with pytest.raises(ValidationError, match="already been submitted"):
        services.self_assessment_submit(actor=world.users["dcs"], self_assessment=sa)


def test_performance_lead_writes_but_only_the_dcs_submits(world):
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    f.write(sa, world.users["performance_lead"])
    with pytest.raises(PermissionDenied):
        services.self_assessment_submit(actor=world.users["performance_lead"], self_assessment=sa)
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
        services.self_assessment_save(
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
    services.self_assessment_submit(actor=world.users["dcs"], self_assessment=sa)
    versions = selectors.self_assessment_versions(sa)
    whats = [v.what for v in versions]
    assert "Status: Draft → Submitted" in whats
    assert sum("Edited" in w for w in whats) == 4  # two sections, two saves each
    assert {v.who for v in versions if "Edited" in v.what} == {"Pat Lewis", "Dan Clarke"}


def test_moderator_from_the_same_la_is_refused_by_service_and_database(world):
    sa = f.submitted(world)
    pm = world.users["programme_manager"]
    with pytest.raises(ValidationError, match="different local authority"):
        services.moderator_assign(
            actor=pm,
            self_assessment=sa,
            moderator=world.users["member"],
            moderator_la=world.home_la,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ModeratorAssignment.objects.create(
            self_assessment=sa,
            moderator=world.users["member"],
            moderator_la=world.home_la,
            assessed_la=world.home_la,
            assigned_by=pm,
        )


def test_moderator_must_hold_a_role_in_their_la_and_be_in_the_region(world):
    sa = f.submitted(world)
    pm = world.users["programme_manager"]
    with pytest.raises(ValidationError, match="has no role in Devon"):
        services.moderator_assign(
            actor=pm,
            self_assessment=sa,
            moderator=world.users["outsider"],
            moderator_la=world.peer_la,
        )
    with pytest.raises(ValidationError, match="region's own LAs"):
        services.moderator_assign(
            actor=pm,
            self_assessment=sa,
            moderator=world.users["outsider"],
            moderator_la=world.other_la,
        )


def test_moderators_avoid_triad_partners_when_configured(world, third_la):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    services.triads_propose(actor=pm, cycle=cycle, seed=1)  # three LAs: one triad
    sa = f.submitted(world, cycle=cycle)
    with pytest.raises(ValidationError, match="same triad"):
        services.moderator_assign(
            actor=pm,
            self_assessment=sa,
            moderator=world.users["peer_dcs"],
            moderator_la=world.peer_la,
        )
    assert not services.moderator_candidates(sa).exists()


def test_draft_cannot_be_moderated_and_comments_stay_private_until_released(world):
    pm = world.users["programme_manager"]
    draft = f.sa_of(f.annual_cycle(world), world.home_la)
    with pytest.raises(ValidationError, match="once the self-assessment is submitted"):
        services.moderator_assign(
            actor=pm,
            self_assessment=draft,
            moderator=world.users["peer_dcs"],
            moderator_la=world.peer_la,
        )
    sa, comment = f.commented(world, sa=f.submitted(world, cycle=draft.cycle), release=False)
    la_view = selectors.self_assessment_sections(user=world.users["dcs"], sa=sa)
    assert all(not s.visible_comments for s in la_view)
    moderator_view = selectors.self_assessment_sections(user=world.users["peer_dcs"], sa=sa)
    assert [c.body for s in moderator_view for c in s.visible_comments] == ["Say more."]
    services.moderation_release(actor=world.users["peer_dcs"], self_assessment=sa)
    sa.refresh_from_db()
    assert sa.status == "moderated"
    la_view = selectors.self_assessment_sections(user=world.users["dcs"], sa=sa)
    assert [c.body for s in la_view for c in s.visible_comments] == ["Say more."]
    with pytest.raises(ValidationError, match="already released"):
        services.moderation_comment(
            actor=world.users["peer_dcs"], self_assessment=sa, section=comment.section, body="More"
        )


def test_release_without_comments_is_refused(world):
    sa = f.with_moderator(world)
    with pytest.raises(ValidationError, match="at least one section"):
        services.moderation_release(actor=world.users["peer_dcs"], self_assessment=sa)


def test_la_responds_to_released_comment(world):
    _sa, comment = f.commented(world)
    services.comment_respond(
        actor=world.users["performance_lead"], comment=comment, response="Agreed"
    )
    comment.refresh_from_db()
    assert comment.response == "Agreed"
    assert comment.responded_by == world.users["performance_lead"]
    with pytest.raises(PermissionDenied):
        services.comment_respond(actor=world.users["peer_dcs"], comment=comment, response="x")


def test_sign_off_records_chief_executive_user_and_typed_lead_member(world):
    ceo = MembershipFactory(
        local_authority=world.home_la, role=Role.MEMBER, position=Position.CHIEF_EXECUTIVE
    ).user
    sa, _ = f.commented(world)
    today = timezone.localdate()
    services.self_assessment_sign_off(
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
        services.self_assessment_sign_off(
            actor=world.users["dcs"],
            self_assessment=submitted,
            chief_executive_name="A",
            chief_executive_approved_on=today,
            lead_member_name="B",
            lead_member_approved_on=today,
        )
    sa, _ = f.commented(world, sa=submitted)
    with pytest.raises(ValidationError, match="is not recorded as the LA's chief executive"):
        services.self_assessment_sign_off(
            actor=world.users["dcs"],
            self_assessment=sa,
            chief_executive=world.users["member"],
            chief_executive_approved_on=today,
            lead_member_name="B",
            lead_member_approved_on=today,
        )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.self_assessment_sign_off(
            actor=world.users["dcs"],
            self_assessment=sa,
            chief_executive_name="A",
            chief_executive_approved_on=today + datetime.timedelta(days=1),
            lead_member_name="B",
            lead_member_approved_on=today,
        )
    with pytest.raises(PermissionDenied):
        services.self_assessment_sign_off(
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


def test_only_regional_themes_are_promoted_for_the_next_plan(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    strength = services.finding_create(actor=pm, cycle=cycle, kind=FindingKind.STRENGTH, text="s")
    with pytest.raises(ValidationError, match="Only regional themes"):
        services.finding_promote(actor=pm, finding=strength)
    theme = services.finding_create(
        actor=pm, cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="Placement sufficiency"
    )
    services.finding_promote(actor=pm, finding=theme)
    theme.refresh_from_db()
    assert theme.status == FindingStatus.PROPOSED
    assert theme.promoted_by == pm
    with pytest.raises(ValidationError, match="already proposed"):
        services.finding_promote(actor=pm, finding=theme)
    with pytest.raises(PermissionDenied):
        services.finding_create(
            actor=world.users["dcs"], cycle=cycle, kind=FindingKind.STRENGTH, text="s"
        )


def test_promoting_a_theme_puts_a_candidate_on_the_regions_list_with_its_source(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    theme = services.finding_create(
        actor=pm,
        cycle=cycle,
        kind=FindingKind.REGIONAL_THEME,
        text="Sufficiency of placements for children with complex needs.\nEvery triad said so.",
    )
    services.finding_promote(actor=pm, finding=theme)
    theme.refresh_from_db()
    candidate = theme.candidate_priority
    assert candidate.region == world.region
    assert candidate.title == "Sufficiency of placements for children with complex needs"
    assert candidate.description.endswith("Every triad said so.")
    assert candidate.source_label == f"Regional theme from {cycle.title}"
    assert candidate.source_url == f"{cycle.get_absolute_url()}#finding-{theme.pk}"
    assert candidate.proposed_by == pm
    assert CandidatePriority.objects.count() == 1


def test_a_theme_proposed_twice_even_past_the_status_check_makes_one_candidate(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    theme = services.finding_create(
        actor=pm, cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="Placement sufficiency"
    )
    services.finding_promote(actor=pm, finding=theme)
    # As if the finding's status had been lost: the regions list still refuses the same source.
    Finding.objects.filter(pk=theme.pk).update(status="recorded", candidate_priority=None)
    with pytest.raises(ValidationError, match="already a candidate priority"):
        services.finding_promote(actor=pm, finding=theme)
    assert CandidatePriority.objects.count() == 1


def test_dcs_and_other_regions_programme_manager_cannot_promote_a_theme(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    theme = services.finding_create(
        actor=pm, cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="Placement sufficiency"
    )
    other_pm = UserFactory(email="pm-se@example.org")
    Membership.objects.create(user=other_pm, region=world.other_region, role=Role.PROGRAMME_MANAGER)
    for actor in (world.users["dcs"], other_pm):
        with pytest.raises(PermissionDenied):
            services.finding_promote(actor=actor, finding=theme)
    theme.refresh_from_db()
    assert theme.status == FindingStatus.RECORDED
    assert not CandidatePriority.objects.exists()


def test_database_links_a_candidate_only_to_a_proposed_theme(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    theme = services.finding_create(
        actor=pm, cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="Placement sufficiency"
    )
    services.finding_promote(actor=pm, finding=theme)
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=theme.pk).update(status="recorded")


def test_bilateral_challenge_has_one_challenger_and_report_must_be_a_real_pdf(world, third_la):
    pm = world.users["programme_manager"]
    cycle = services.cycle_create(
        actor=pm, region=world.region, kind="bilateral", year=2016, title="Bilateral", questions=[]
    )
    with pytest.raises(ValidationError, match="one challenging LA"):
        services.challenge_create(
            actor=pm, cycle=cycle, home_la=world.home_la, challenging_las=[world.peer_la, third_la]
        )
    challenge = services.challenge_create(
        actor=pm, cycle=cycle, home_la=world.home_la, challenging_las=[world.peer_la]
    )
    fake = SimpleUploadedFile("report.pdf", b"=cmd|' /C calc'!A0", content_type="application/pdf")
    with pytest.raises(ValidationError, match=r"report\.pdf is not a real PDF file"):
        services.challenge_update(
            actor=pm,
            challenge=challenge,
            status="completed",
            date=datetime.date(2016, 5, 1),
            report=fake,
        )
    with pytest.raises(ValidationError, match=r"report\.exe: upload one of PDF, DOCX, ODT"):
        services.challenge_update(
            actor=pm,
            challenge=challenge,
            status="planned",
            report=SimpleUploadedFile("report.exe", b"MZ"),
        )
    with pytest.raises(ValidationError, match="date of a completed"):
        services.challenge_update(actor=pm, challenge=challenge, status="completed")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PLANNED
    assert not challenge.report


def test_take_up_counts_signed_off_and_completed_home_las_per_year(world, third_la):
    pm = world.users["programme_manager"]
    cycle = services.cycle_create(
        actor=pm, region=world.region, kind="bilateral", year=2015, title="2015", questions=[]
    )
    for home, challenger in ((world.home_la, world.peer_la), (world.peer_la, third_la)):
        challenge = services.challenge_create(
            actor=pm, cycle=cycle, home_la=home, challenging_las=[challenger]
        )
        services.challenge_update(
            actor=pm, challenge=challenge, status="completed", date=datetime.date(2015, 6, 1)
        )
    sa, _ = f.commented(world)
    services.self_assessment_sign_off(
        actor=world.users["dcs"],
        self_assessment=sa,
        chief_executive_name="A",
        chief_executive_approved_on=timezone.localdate(),
        lead_member_name="B",
        lead_member_approved_on=timezone.localdate(),
    )
    years = {y.year: y for y in selectors.take_up(world.region)}
    assert (years[2015].count, years[2015].total) == (2, 3)
    assert years[2015].by_la == {
        "Devon": ["Bilateral challenges"],
        "Somerset": ["Bilateral challenges"],
    }
    assert (years[2026].count, years[2026].total) == (1, 3)


def test_emails_are_sent_once_per_recipient_and_occasion(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sa = f.with_moderator(world)
    assigned = [m for m in mail.outbox if "Please moderate" in m.subject]
    assert [m.to for m in assigned] == [["peer@example.org"]]
    notice = Notice.objects.get(occasion="moderation_assigned")
    assert tasks.send_notice(notice.pk) is False  # already sent: nothing twice
    assert tasks.send_unsent_notices() == 0
    with django_capture_on_commit_callbacks(execute=True):
        f.commented(world, sa=sa, assign=False)
    ready = [m for m in mail.outbox if "comments on Somerset" in m.subject]
    assert sorted(m.to[0] for m in ready) == ["dcs@example.org", "lead@example.org"]
    assert len([m for m in mail.outbox if "due" not in m.subject]) == 3


def test_due_reminder_goes_to_the_dcs_once_even_when_the_sweep_runs_twice(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        f.annual_cycle(world)  # due in 7 days: reminders owed at once
    due = [m for m in mail.outbox if "self-assessment due" in m.subject]
    assert sorted(m.to[0] for m in due) == ["dcs@example.org", "peer@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_due_reminders()
        tasks.queue_due_reminders()
    assert len([m for m in mail.outbox if "self-assessment due" in m.subject]) == 2
    notice = Notice.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            occasion=notice.occasion,
            self_assessment=notice.self_assessment,
            recipient=notice.recipient,
        )


def test_unsent_notice_is_sent_by_the_sweep(world):
    cycle = f.annual_cycle(world, self_assessment_due=None, moderation_due=None)
    sa = f.submitted(world, cycle=cycle)
    mail.outbox.clear()
    notice = Notice.objects.create(
        occasion="moderation_assigned", self_assessment=sa, recipient=world.users["peer_dcs"]
    )
    Notice.objects.filter(pk=notice.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert tasks.send_unsent_notices() == 1
    assert [m.to for m in mail.outbox] == [["peer@example.org"]]


def test_evidence_files_are_checked_and_removal_keeps_them_in_the_versions(world):
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    section = sa.sections.order_by("question__position").first()
    dcs = world.users["dcs"]
    with pytest.raises(ValidationError, match=r"notes\.docx is not a real DOCX file"):
        services.evidence_attach(
            actor=dcs,
            self_assessment=sa,
            section=section,
            upload=SimpleUploadedFile("notes.docx", b"plain text pretending"),
        )
    with pytest.raises(ValidationError, match=r"run\.sh: upload one of PDF, DOCX"):
        services.evidence_attach(
            actor=dcs,
            self_assessment=sa,
            section=section,
            upload=SimpleUploadedFile("run.sh", b"#!"),
        )
    evidence = services.evidence_attach(
        actor=dcs,
        self_assessment=sa,
        section=section,
        upload=SimpleUploadedFile("audit.pdf", b"%PDF-1.7 audit"),
    )
    services.evidence_remove(actor=world.users["performance_lead"], evidence=evidence)
    whats = [v.what for v in selectors.self_assessment_versions(sa)]
    assert "Attached “audit.pdf” to “Leadership”" in whats
    assert "Removed “audit.pdf” from “Leadership” (the file is kept)" in whats
    shown = selectors.self_assessment_sections(user=dcs, sa=sa)[0].current_files
    assert shown == []


def test_evidence_cannot_be_attached_after_submission_or_by_another_la(world):
    sa = f.submitted(world)
    section = sa.sections.first()
    upload = SimpleUploadedFile("late.pdf", b"%PDF-1.4")
    with pytest.raises(PermissionDenied):
        services.evidence_attach(
            actor=world.users["dcs"], self_assessment=sa, section=section, upload=upload
        )
    draft = f.sa_of(sa.cycle, world.peer_la)
    with pytest.raises(PermissionDenied):
        services.evidence_attach(
            actor=world.users["dcs"],
            self_assessment=draft,
            section=draft.sections.first(),
            upload=upload,
        )


def test_earlier_bilateral_challenges_count_as_having_met(world, third_la):
    pm = world.users["programme_manager"]
    old = services.cycle_create(
        actor=pm, region=world.region, kind="bilateral", year=2025, title="b", questions=[]
    )
    services.challenge_create(
        actor=pm, cycle=old, home_la=world.home_la, challenging_las=[world.peer_la]
    )
    cycle = f.annual_cycle(world, year=2026)
    explanation = services.triads_propose(actor=pm, cycle=cycle, seed=5)
    assert explanation["repeats"] == [{"las": ["Devon", "Somerset"], "years": [2025]}]
