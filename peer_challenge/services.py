"""Writes for peer challenge. Each takes the acting user, checks the rules, and is atomic."""

import datetime
import random
from urllib.parse import urlparse

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from events.models import Event, EventKind, EventStatus
from events.services import events as event_services
from regions.models import LocalAuthority, Membership, Position, Role
from regions.selectors import candidates as candidate_reads
from regions.services import candidates as plan_candidates
from sli_portal.queueing import enqueue_on_commit

from . import triads as triad_engine
from .models import (
    Challenge,
    ChallengeStatus,
    ConstraintKind,
    Cycle,
    CycleKind,
    CycleStatus,
    EvidenceFile,
    Finding,
    FindingKind,
    FindingStatus,
    FrameworkQuestion,
    ModerationComment,
    ModeratorAssignment,
    Notice,
    NoticeOccasion,
    PairingConstraint,
    SelfAssessment,
    SelfAssessmentSection,
    SelfAssessmentStatus,
    Triad,
    TriadMember,
)
from .rules import can

DEFAULT_ANNUAL_FRAMEWORK = [
    "Leadership, governance and management",
    "Early help, and help and protection",
    "Children in care and care leavers",
    "Workforce and quality of practice",
    "Performance, outcomes and priorities for next year",
]
REMINDER_WINDOW = datetime.timedelta(days=14)
MAX_TEXT = 10_000
REPORT_MAX_BYTES = 10 * 1024 * 1024
ZIP = (b"PK\x03\x04",)
REPORT_SIGNATURES = {".pdf": (b"%PDF",), ".docx": ZIP, ".odt": ZIP}
EVIDENCE_SIGNATURES = {**REPORT_SIGNATURES, ".xlsx": ZIP, ".pptx": ZIP, ".ods": ZIP}
EVIDENCE_MAX_FILES = 20


def _require(actor, perm: str, obj) -> None:
    if not can(actor, perm, obj):
        raise PermissionDenied


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --- cycles ---------------------------------------------------------------------------------


CHALLENGE_DAY_STARTS = datetime.time(9, 30)
CHALLENGE_DAY_ENDS = datetime.time(16, 30)


def _check_timetable(self_assessment_due, moderation_due) -> None:
    if self_assessment_due and moderation_due and moderation_due < self_assessment_due:
        raise ValidationError(
            {"moderation_due": "Moderation cannot be due before the self-assessments."}
        )


def at_london(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _moved_to(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same London wall-clock time, `days` later (so a move across the clock change keeps
    09:30 at 09:30)."""
    local = timezone.localtime(moment)
    return timezone.make_aware(
        datetime.datetime.combine(local.date() + datetime.timedelta(days=days), local.time())
    )


def _check_linkable(cycle_region_id: int, event: Event) -> None:
    if (
        event.region_id != cycle_region_id
        or event.kind != EventKind.CHALLENGE_DAY
        or event.status == EventStatus.CANCELLED
    ):
        raise ValidationError(
            {"challenge_event": "Choose a peer-challenge day of this region that is not cancelled."}
        )
    if Cycle.objects.filter(challenge_event=event).exists():
        raise ValidationError(
            {"challenge_event": f"“{event.title}” is already the challenge day of another cycle."}
        )


def _sync_challenge_day(*, actor, cycle: Cycle, day, venue: str) -> None:
    """Make the cycle's challenge-day event say what the programme manager entered, through the
    events services (so delegates hear of a move and calendars update): create it, move it,
    change its venue, or, when the date is cleared, cancel it if it is still ahead."""
    venue = (venue or "").strip()
    event = cycle.challenge_event
    if event is not None and event.status == EventStatus.CANCELLED:
        event = None  # called off in the events app: a new date makes a new event
    if day is None:
        if event is not None and event.starts_at > timezone.now():
            event_services.event_cancel(actor=actor, event=event)
        cycle.challenge_event = None
    elif event is None:
        cycle.challenge_event = event_services.event_create(
            actor=actor,
            region=cycle.region,
            kind=EventKind.CHALLENGE_DAY,
            title=f"{cycle.title}: challenge day",
            focus=f"Peer challenge in {cycle.region.name}",
            venue=venue,
            starts_at=at_london(day, CHALLENGE_DAY_STARTS),
            ends_at=at_london(day, CHALLENGE_DAY_ENDS),
            status=EventStatus.PUBLISHED,
        )
    else:
        changes = {}
        shift = (day - timezone.localtime(event.starts_at).date()).days
        if shift:
            changes["starts_at"] = _moved_to(event.starts_at, shift)
            changes["ends_at"] = _moved_to(event.ends_at, shift)
        if venue != event.venue:
            changes["venue"] = venue
        if changes:
            event = event_services.event_update(actor=actor, event=event, **changes)
        cycle.challenge_event = event
    cycle.save(update_fields=["challenge_event"])


@transaction.atomic
def cycle_create(
    *,
    actor,
    region,
    kind: str,
    year: int,
    title: str,
    questions: list[str],
    theme: str = "",
    self_assessment_due=None,
    moderation_due=None,
    challenge_day=None,
    challenge_venue: str = "",
    challenge_event: Event | None = None,
    findings_due=None,
    remainder: str = triad_engine.LARGER,
    moderators_avoid_triad_partners: bool = True,
) -> Cycle:
    """Create a cycle. A challenge day (date and venue) becomes a published `challenge_day`
    event of the region; or pass `challenge_event` to adopt one the region already has."""
    _require(actor, "peer_challenge.manage_region", region)
    if kind not in CycleKind.values:
        raise ValidationError({"kind": f"Unknown kind of cycle {kind!r}."})
    questions = [q.strip() for q in questions if q.strip()]
    if kind == CycleKind.ANNUAL_TRIAD and not questions:
        questions = list(DEFAULT_ANNUAL_FRAMEWORK)
    if kind == CycleKind.THEMATIC:
        if not theme.strip():
            raise ValidationError({"theme": "A thematic challenge needs a theme (e.g. Neglect)."})
        if not questions:
            raise ValidationError(
                {"questions": "Enter the key lines of enquiry, one question per line."}
            )
    if len(questions) > 30:
        raise ValidationError({"questions": "A framework has at most 30 sections."})
    too_long = [i for i, q in enumerate(questions, 1) if len(q) > 300]
    if too_long:
        raise ValidationError(
            {"questions": f"Line {too_long[0]} is longer than 300 characters: shorten it."}
        )
    _check_timetable(self_assessment_due, moderation_due)
    if challenge_event is not None:
        if challenge_day is not None:
            raise ValidationError(
                {
                    "challenge_day": "Either enter a challenge day or choose an existing "
                    "challenge-day event, not both."
                }
            )
        _check_linkable(region.pk, challenge_event)
    if (
        kind == CycleKind.ANNUAL_TRIAD
        and Cycle.objects.filter(region=region, year=year, kind=kind).exists()
    ):
        raise ValidationError(
            {"year": f"{region} already has an annual self-assessment cycle for {year}."}
        )
    cycle = Cycle.objects.create(
        region=region,
        kind=kind,
        year=year,
        title=title.strip(),
        theme=theme.strip(),
        self_assessment_due=self_assessment_due,
        moderation_due=moderation_due,
        challenge_event=challenge_event,
        findings_due=findings_due,
        remainder=remainder,
        moderators_avoid_triad_partners=moderators_avoid_triad_partners,
        triad_seed=random.SystemRandom().randrange(1, 10**6),
        created_by=actor,
    )
    if challenge_event is None and challenge_day is not None:
        _sync_challenge_day(actor=actor, cycle=cycle, day=challenge_day, venue=challenge_venue)
    saved = FrameworkQuestion.objects.bulk_create(
        FrameworkQuestion(cycle=cycle, position=i, title=q) for i, q in enumerate(questions, 1)
    )
    if kind == CycleKind.ANNUAL_TRIAD:
        las = LocalAuthority.objects.filter(region=region, is_active=True).order_by("name")
        # bulk_create skips simple-history's signals: its helper records each first version.
        assessments = bulk_create_with_history(
            [SelfAssessment(cycle=cycle, local_authority=la) for la in las],
            SelfAssessment,
            default_user=actor,
        )
        bulk_create_with_history(
            [
                SelfAssessmentSection(self_assessment=sa, question=q)
                for sa in assessments
                for q in saved
            ],
            SelfAssessmentSection,
            default_user=actor,
        )
        _queue_due_reminders(cycle_ids=[cycle.pk])
    return cycle


@transaction.atomic
def cycle_update(
    *,
    actor,
    cycle: Cycle,
    title: str,
    self_assessment_due=None,
    moderation_due=None,
    challenge_day=None,
    challenge_venue: str = "",
    findings_due=None,
) -> Cycle:
    """Change an open cycle's title and timetable. A new challenge-day date moves its event
    (delegates are told), a cleared one cancels it, a first one creates it."""
    _require(actor, "peer_challenge.manage_cycle", cycle)
    # Lock the cycle alone: joined rows are not re-read after waiting for the lock, so a
    # challenge-day event made by whoever held it would look missing (and be made twice).
    cycle = _locked(Cycle, cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise ValidationError("This cycle is closed: its timetable can no longer be changed.")
    if not title.strip():
        raise ValidationError({"title": "Enter a title."})
    _check_timetable(self_assessment_due, moderation_due)
    cycle.title = title.strip()
    cycle.self_assessment_due = self_assessment_due
    cycle.moderation_due = moderation_due
    cycle.findings_due = findings_due
    cycle.save(update_fields=["title", "self_assessment_due", "moderation_due", "findings_due"])
    _sync_challenge_day(actor=actor, cycle=cycle, day=challenge_day, venue=challenge_venue)
    if cycle.is_annual:
        _queue_due_reminders(cycle_ids=[cycle.pk])
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle: Cycle) -> Cycle:
    """Close the cycle; a challenge day still ahead is cancelled (its delegates are told)."""
    _require(actor, "peer_challenge.manage_cycle", cycle)
    cycle = _locked(Cycle, cycle.pk)
    if cycle.status == CycleStatus.CLOSED:
        return cycle
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    event = cycle.challenge_event
    if (
        event is not None
        and event.status != EventStatus.CANCELLED
        and event.starts_at > timezone.now()
    ):
        event_services.event_cancel(actor=actor, event=event)
    return cycle


# --- triads ---------------------------------------------------------------------------------


def _pair_history(cycle: Cycle) -> dict[tuple, list[int]]:
    """Who met whom before this cycle: earlier confirmed triads and challenges in the region."""
    groups_by_year: dict[int, list[list[int]]] = {}
    rows = TriadMember.objects.filter(
        cycle__region_id=cycle.region_id,
        cycle__year__lt=cycle.year,
        cycle__triads_confirmed_at__isnull=False,
    ).values_list("cycle__year", "triad_id", "local_authority_id")
    by_triad: dict[tuple, list[int]] = {}
    for year, triad_id, la_id in rows:
        by_triad.setdefault((year, triad_id), []).append(la_id)
    for (year, _), members in by_triad.items():
        groups_by_year.setdefault(year, []).append(members)
    challenges = Challenge.objects.filter(
        cycle__region_id=cycle.region_id, cycle__year__lt=cycle.year
    ).exclude(status=ChallengeStatus.CANCELLED)
    for year, home_id, challenger_id in challenges.values_list(
        "cycle__year", "home_la_id", "challenging_las"
    ):
        if challenger_id:
            groups_by_year.setdefault(year, []).append([home_id, challenger_id])
    return triad_engine.history_from_groups(groups_by_year)


def _constraints(cycle: Cycle):
    apart, together = [], []
    for kind, first, second in cycle.pairing_constraints.values_list(
        "kind", "first_id", "second_id"
    ):
        (apart if kind == ConstraintKind.KEEP_APART else together).append((first, second))
    return apart, together


def _explain(cycle: Cycle, groups: list[list[int]], history, proposal=None) -> dict:
    names = dict(LocalAuthority.objects.filter(region=cycle.region).values_list("pk", "name"))
    repeats = []
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                years = history.get(triad_engine.pair(a, b))
                if years:
                    repeats.append({"las": sorted([names[a], names[b]]), "years": years})
    explanation = {
        "repeat_count": len(repeats),
        "repeats": sorted(repeats, key=lambda r: r["las"]),
        "group_sizes": sorted(len(g) for g in groups),
        "history_years": sorted({y for years in history.values() for y in years}),
        "edited": proposal is None,
    }
    if proposal is not None:
        explanation["seed"] = proposal.seed
        explanation["zero_repeats_possible"] = proposal.zero_repeats_possible
    return explanation


def _write_groups(cycle: Cycle, groups: list[list[int]]) -> None:
    cycle.triads.all().delete()
    for number, group in enumerate(groups, 1):
        triad = Triad.objects.create(cycle=cycle, number=number)
        TriadMember.objects.bulk_create(
            TriadMember(triad=triad, cycle=cycle, local_authority_id=la_id) for la_id in group
        )


def _participant_ids(cycle: Cycle) -> list[int]:
    return sorted(cycle.self_assessments.values_list("local_authority_id", flat=True))


@transaction.atomic
def triads_propose(*, actor, cycle: Cycle, seed: int | None = None) -> dict:
    _require(actor, "peer_challenge.manage_cycle", cycle)
    cycle = _locked(Cycle, cycle.pk)
    if not cycle.is_annual:
        raise ValidationError("Only annual self-assessment cycles are organised in triads.")
    if cycle.triads_confirmed:
        raise ValidationError("The triads are already confirmed and cannot be regenerated.")
    history = _pair_history(cycle)
    apart, together = _constraints(cycle)
    seed = cycle.triad_seed if seed is None else seed
    try:
        proposal = triad_engine.propose(
            _participant_ids(cycle),
            history=history,
            year=cycle.year,
            seed=seed,
            remainder=cycle.remainder,
            keep_apart=apart,
            keep_together=together,
        )
    except triad_engine.TriadError as error:
        raise ValidationError(str(error)) from error
    _write_groups(cycle, proposal.groups)
    cycle.triad_seed = seed
    cycle.triads_explanation = _explain(cycle, proposal.groups, history, proposal)
    cycle.save(update_fields=["triad_seed", "triads_explanation"])
    return cycle.triads_explanation


@transaction.atomic
def triads_update(*, actor, cycle: Cycle, assignment: dict[int, int]) -> dict:
    """The programme manager's edit: la_id -> triad number for every participating LA."""
    _require(actor, "peer_challenge.manage_cycle", cycle)
    cycle = _locked(Cycle, cycle.pk)
    if cycle.triads_confirmed:
        raise ValidationError("The triads are already confirmed.")
    participants = set(_participant_ids(cycle))
    if set(assignment) != participants:
        raise ValidationError("Put every participating local authority in a triad.")
    groups: dict[int, list[int]] = {}
    for la_id, number in assignment.items():
        groups.setdefault(number, []).append(la_id)
    names = dict(LocalAuthority.objects.filter(pk__in=participants).values_list("pk", "name"))
    for number, members in sorted(groups.items()):
        if len(members) < 2:
            raise ValidationError(
                f"Triad {number} would have only {names[members[0]]}: a group needs at least two."
            )
        if len(members) > 4:
            raise ValidationError(f"Triad {number} would have {len(members)} LAs: at most four.")
    apart, together = _constraints(cycle)
    where = {la: number for number, members in groups.items() for la in members}
    for a, b in apart:
        if where.get(a) == where.get(b):
            raise ValidationError(f"{names[a]} and {names[b]} must be kept apart.")
    for a, b in together:
        if where.get(a) != where.get(b):
            raise ValidationError(f"{names[a]} and {names[b]} must be kept together.")
    ordered = [sorted(members) for _, members in sorted(groups.items())]
    _write_groups(cycle, ordered)
    cycle.triads_explanation = _explain(cycle, ordered, _pair_history(cycle))
    cycle.save(update_fields=["triads_explanation"])
    return cycle.triads_explanation


@transaction.atomic
def triads_confirm(*, actor, cycle: Cycle) -> Cycle:
    _require(actor, "peer_challenge.manage_cycle", cycle)
    cycle = _locked(Cycle, cycle.pk)
    if cycle.triads_confirmed:
        raise ValidationError("The triads are already confirmed.")
    if not cycle.triads.exists():
        raise ValidationError("Generate the triads before confirming them.")
    cycle.triads_confirmed_at = timezone.now()
    cycle.save(update_fields=["triads_confirmed_at"])
    return cycle


@transaction.atomic
def pairing_constraint_add(
    *, actor, cycle: Cycle, kind: str, first, second, reason: str = ""
) -> PairingConstraint:
    _require(actor, "peer_challenge.manage_cycle", cycle)
    if cycle.triads_confirmed:
        raise ValidationError("The triads are already confirmed.")
    if kind not in ConstraintKind.values:
        raise ValidationError({"kind": "Choose keep apart or keep together."})
    if first.pk == second.pk:
        raise ValidationError({"second": "Choose two different local authorities."})
    if first.region_id != cycle.region_id or second.region_id != cycle.region_id:
        raise ValidationError("Both local authorities must be in the cycle's region.")
    first, second = sorted([first, second], key=lambda la: la.pk)
    existing = PairingConstraint.objects.filter(cycle=cycle, first=first, second=second).first()
    if existing:
        raise ValidationError(
            f"{first} and {second} already have a rule: {existing.get_kind_display().lower()}."
        )
    return PairingConstraint.objects.create(
        cycle=cycle, kind=kind, first=first, second=second, reason=reason.strip()[:200]
    )


# --- self-assessments -----------------------------------------------------------------------


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


@transaction.atomic
def self_assessment_save(*, actor, self_assessment: SelfAssessment, sections: dict) -> None:
    """sections: section_id -> {narrative, strengths, areas_for_development, evidence_links}."""
    sa = _locked(SelfAssessment, self_assessment.pk)
    sa.cycle = self_assessment.cycle
    if not can(actor, "peer_challenge.edit_selfassessment", sa):
        if sa.status != SelfAssessmentStatus.DRAFT and can(
            actor, "peer_challenge.view_selfassessment", sa
        ):
            raise ValidationError(
                "This self-assessment has been submitted and can no longer be edited."
            )
        raise PermissionDenied
    existing = {s.pk: s for s in sa.sections.select_related("question")}
    unknown = set(sections) - set(existing)
    if unknown:
        raise ValidationError("The form names a section that is not in this self-assessment.")
    fields = ("narrative", "strengths", "areas_for_development", "evidence_links")
    for section_id, values in sections.items():
        section = existing[section_id]
        label = f"Section {section.question.position} ({section.question.title})"
        for name in fields:
            if len(values.get(name, "")) > MAX_TEXT:
                raise ValidationError(
                    f"{label}: {name.replace('_', ' ')} is over {MAX_TEXT} characters."
                )
        _check_links(values.get("evidence_links", ""), label)
        changed = [n for n in fields if n in values and getattr(section, n) != values[n]]
        if changed:
            for name in changed:
                setattr(section, name, values[name])
            section._history_user = actor
            section.save(update_fields=changed)


@transaction.atomic
def evidence_attach(
    *, actor, self_assessment: SelfAssessment, section: SelfAssessmentSection, upload
) -> EvidenceFile:
    sa = _locked(SelfAssessment, self_assessment.pk)
    sa.cycle = self_assessment.cycle
    if not can(actor, "peer_challenge.edit_selfassessment", sa):
        raise PermissionDenied
    if section.self_assessment_id != sa.pk:
        raise ValidationError("That section belongs to another self-assessment.")
    _check_upload(upload, field="file", signatures=EVIDENCE_SIGNATURES)
    if section.files.filter(removed_at__isnull=True).count() >= EVIDENCE_MAX_FILES:
        raise ValidationError({"file": f"A section has at most {EVIDENCE_MAX_FILES} files."})
    return EvidenceFile.objects.create(
        section=section,
        file=upload,
        name=upload.name.rsplit("/", 1)[-1][:200],
        size=upload.size,
        uploaded_by=actor,
    )


@transaction.atomic
def evidence_remove(*, actor, evidence: EvidenceFile) -> None:
    evidence = EvidenceFile.objects.select_related("section__self_assessment__cycle").get(
        pk=evidence.pk
    )
    sa = _locked(SelfAssessment, evidence.section.self_assessment_id)
    sa.cycle = evidence.section.self_assessment.cycle
    if not can(actor, "peer_challenge.edit_selfassessment", sa):
        raise PermissionDenied
    if evidence.removed_at is None:
        evidence.removed_at = timezone.now()
        evidence.removed_by = actor
        evidence.save(update_fields=["removed_at", "removed_by"])


@transaction.atomic
def self_assessment_submit(*, actor, self_assessment: SelfAssessment) -> SelfAssessment:
    sa = _locked(SelfAssessment, self_assessment.pk)
    sa.cycle = self_assessment.cycle
    _require(actor, "peer_challenge.submit_selfassessment", sa)
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
    sa.submitted_by = actor
    sa._history_user = actor
    sa.save()
    return sa


def sign_off_people(la_id: int, position: str) -> list:
    """Users who hold `position` (chief executive / lead member) in the LA."""
    return [
        m.user
        for m in Membership.objects.filter(
            local_authority_id=la_id, position=position
        ).select_related("user")
    ]


def _signatory(la_id, position, user, name, label):
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
    actor,
    self_assessment: SelfAssessment,
    chief_executive=None,
    chief_executive_name: str = "",
    chief_executive_approved_on: datetime.date,
    lead_member=None,
    lead_member_name: str = "",
    lead_member_approved_on: datetime.date,
) -> SelfAssessment:
    sa = _locked(SelfAssessment, self_assessment.pk)
    sa.cycle = self_assessment.cycle
    _require(actor, "peer_challenge.sign_off_selfassessment", sa)
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
    sa.signed_off_by = actor
    sa._history_user = actor
    sa.save()
    return sa


# --- moderation -----------------------------------------------------------------------------


def moderator_candidates(sa: SelfAssessment):
    """Memberships in the region's other LAs whose holders may moderate this self-assessment."""
    from .selectors import triad_partner_la_ids

    excluded = {sa.local_authority_id}
    if sa.cycle.moderators_avoid_triad_partners:
        excluded |= triad_partner_la_ids(sa)
    return (
        Membership.objects.filter(
            local_authority__region_id=sa.cycle.region_id,
            local_authority__is_active=True,
            role__in=(Role.DCS, Role.PERFORMANCE_LEAD, Role.MEMBER),
        )
        .exclude(local_authority_id__in=excluded)
        .select_related("user", "local_authority")
        .order_by("local_authority__name", "user__full_name")
    )


def _notice(occasion: str, sa: SelfAssessment, recipients) -> list[int]:
    ids = []
    for user in {u.pk: u for u in recipients}.values():
        notice, _ = Notice.objects.get_or_create(
            occasion=occasion, self_assessment=sa, recipient=user
        )
        if notice.sent_at is None:
            ids.append(notice.pk)
    from .tasks import send_notice

    for notice_id in ids:
        enqueue_on_commit(send_notice, notice_id)
    return ids


@transaction.atomic
def moderator_assign(
    *, actor, self_assessment: SelfAssessment, moderator, moderator_la
) -> ModeratorAssignment:
    sa = _locked(SelfAssessment, self_assessment.pk)
    sa.cycle = self_assessment.cycle
    _require(actor, "peer_challenge.assign_moderators", sa)
    if moderator_la.pk == sa.local_authority_id:
        raise ValidationError(
            {"moderator": "A moderator must come from a different local authority."}
        )
    if not Membership.objects.filter(user=moderator, local_authority=moderator_la).exists():
        raise ValidationError(
            {"moderator": f"{moderator.full_name} has no role in {moderator_la}."}
        )
    if moderator_la.region_id != sa.cycle.region_id:
        raise ValidationError({"moderator": "Moderators come from the region's own LAs."})
    from .selectors import triad_partner_la_ids

    if sa.cycle.moderators_avoid_triad_partners and moderator_la.pk in triad_partner_la_ids(sa):
        raise ValidationError(
            {"moderator": f"{moderator_la} is in the same triad; this cycle avoids that."}
        )
    if sa.status == SelfAssessmentStatus.DRAFT:
        raise ValidationError("Moderators are assigned once the self-assessment is submitted.")
    if sa.status == SelfAssessmentStatus.SIGNED_OFF:
        raise ValidationError("This self-assessment is already signed off.")
    if ModeratorAssignment.objects.filter(self_assessment=sa, moderator=moderator).exists():
        raise ValidationError({"moderator": f"{moderator.full_name} is already a moderator."})
    try:
        with transaction.atomic():
            assignment = ModeratorAssignment.objects.create(
                self_assessment=sa,
                moderator=moderator,
                moderator_la=moderator_la,
                assessed_la_id=sa.local_authority_id,
                assigned_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError({"moderator": "This moderator cannot be assigned."}) from error
    _notice(NoticeOccasion.MODERATION_ASSIGNED, sa, [moderator])
    return assignment


def _assignment_for(actor, sa) -> ModeratorAssignment:
    assignment = ModeratorAssignment.objects.filter(self_assessment=sa, moderator=actor).first()
    if assignment is None:
        raise PermissionDenied
    return assignment


@transaction.atomic
def moderation_comment(
    *, actor, self_assessment: SelfAssessment, section: SelfAssessmentSection, body: str
) -> ModerationComment:
    sa = _locked(SelfAssessment, self_assessment.pk)
    assignment = _assignment_for(actor, sa)
    if section.self_assessment_id != sa.pk:
        raise ValidationError("That section belongs to another self-assessment.")
    if assignment.comments_released_at:
        raise ValidationError("You have already released your comments.")
    if sa.status not in (SelfAssessmentStatus.SUBMITTED, SelfAssessmentStatus.MODERATED):
        raise ValidationError("Comments are made on a submitted self-assessment.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a comment."})
    if len(body) > MAX_TEXT:
        raise ValidationError({"body": f"A comment is at most {MAX_TEXT} characters."})
    return ModerationComment.objects.create(assignment=assignment, section=section, body=body)


@transaction.atomic
def moderation_release(*, actor, self_assessment: SelfAssessment) -> ModeratorAssignment:
    """The moderator's comments are ready: the LA sees them and is told by email."""
    sa = _locked(SelfAssessment, self_assessment.pk)
    assignment = _assignment_for(actor, sa)
    if assignment.comments_released_at:
        raise ValidationError("You have already released your comments.")
    if not assignment.comments.exists():
        raise ValidationError("Comment on at least one section before releasing your comments.")
    assignment.comments_released_at = timezone.now()
    assignment.save(update_fields=["comments_released_at"])
    if sa.status == SelfAssessmentStatus.SUBMITTED:
        sa.status = SelfAssessmentStatus.MODERATED
        sa.moderated_at = timezone.now()
        sa._history_user = actor
        sa.save()
    recipients = [
        m.user
        for m in Membership.objects.filter(
            local_authority_id=sa.local_authority_id, role__in=(Role.DCS, Role.PERFORMANCE_LEAD)
        ).select_related("user")
    ]
    _notice(NoticeOccasion.COMMENTS_READY, sa, recipients)
    return assignment


@transaction.atomic
def comment_respond(*, actor, comment: ModerationComment, response: str) -> ModerationComment:
    comment = (
        ModerationComment.objects.select_for_update()
        .select_related("assignment__self_assessment__cycle")
        .get(pk=comment.pk)
    )
    sa = comment.assignment.self_assessment
    _require(actor, "peer_challenge.respond_selfassessment", sa)
    if not comment.assignment.comments_released_at:
        raise PermissionDenied
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": "Write a response."})
    if len(response) > MAX_TEXT:
        raise ValidationError({"response": f"A response is at most {MAX_TEXT} characters."})
    comment.response = response
    comment.responded_by = actor
    comment.responded_at = timezone.now()
    comment.save(update_fields=["response", "responded_by", "responded_at"])
    return comment


# --- findings -------------------------------------------------------------------------------


@transaction.atomic
def finding_create(
    *, actor, cycle: Cycle, kind: str, text: str, triad=None, local_authority=None
) -> Finding:
    _require(actor, "peer_challenge.manage_cycle", cycle)
    if kind not in FindingKind.values:
        raise ValidationError({"kind": "Choose what kind of finding this is."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the finding."})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"A finding is at most {MAX_TEXT} characters."})
    if triad is not None and triad.cycle_id != cycle.pk:
        raise ValidationError({"triad": "That triad belongs to another cycle."})
    if local_authority is not None and local_authority.region_id != cycle.region_id:
        raise ValidationError({"local_authority": "That LA is not in the cycle's region."})
    return Finding.objects.create(
        cycle=cycle,
        kind=kind,
        text=text,
        triad=triad,
        local_authority=local_authority,
        created_by=actor,
    )


def _candidate_title(text: str, limit: int = 120) -> str:
    """A short title from a finding's text: its first line, cut at a word if too long."""
    first = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if len(first) <= limit:
        return first.rstrip(".")
    return first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


@transaction.atomic
def finding_promote(*, actor, finding: Finding) -> Finding:
    """Propose a regional theme as a candidate priority for the region's next plan.

    The candidate goes on the region's list through the regions service (which checks the actor
    manages the region's plans); the finding keeps the link. Promoting twice is refused here and
    by regions' one-candidate-per-source constraint.
    """
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("cycle__region")
        .get(pk=finding.pk)
    )
    _require(actor, "peer_challenge.manage_cycle", finding.cycle)
    if finding.kind != FindingKind.REGIONAL_THEME:
        raise ValidationError("Only regional themes can be proposed for the next plan.")
    if finding.status == FindingStatus.PROPOSED:
        raise ValidationError("This theme is already proposed for the next plan.")
    cycle = finding.cycle
    candidate = plan_candidates.candidate_priority_propose(
        actor=actor,
        region=cycle.region,
        title=_candidate_title(finding.text),
        description=finding.text,
        source_label=f"Regional theme from {cycle.title}",
        source_url=f"{cycle.get_absolute_url()}#finding-{finding.pk}",
        source_key=candidate_reads.candidate_priority_source_key(
            "peer_challenge", "finding", finding.pk
        ),
    )
    finding.status = FindingStatus.PROPOSED
    finding.promoted_by = actor
    finding.promoted_at = timezone.now()
    finding.candidate_priority = candidate
    finding.save(update_fields=["status", "promoted_by", "promoted_at", "candidate_priority"])
    return finding


# --- thematic and bilateral challenges ------------------------------------------------------


@transaction.atomic
def challenge_create(*, actor, cycle: Cycle, home_la, challenging_las, date=None) -> Challenge:
    _require(actor, "peer_challenge.manage_cycle", cycle)
    if cycle.kind == CycleKind.ANNUAL_TRIAD:
        raise ValidationError("Annual cycles use triads, not separate challenges.")
    challenging_las = list(challenging_las)
    if not challenging_las:
        raise ValidationError({"challenging_las": "Choose at least one challenging LA."})
    if cycle.kind == CycleKind.BILATERAL and len(challenging_las) != 1:
        raise ValidationError({"challenging_las": "A bilateral challenge has one challenging LA."})
    if home_la in challenging_las:
        raise ValidationError({"challenging_las": "An LA cannot challenge itself."})
    if any(la.region_id != cycle.region_id for la in [home_la, *challenging_las]):
        raise ValidationError("Every LA must be in the cycle's region.")
    if Challenge.objects.filter(cycle=cycle, home_la=home_la).exists():
        raise ValidationError({"home_la": f"{home_la} already has a challenge in this cycle."})
    challenge = Challenge.objects.create(cycle=cycle, home_la=home_la, date=date, created_by=actor)
    challenge.challenging_las.set(challenging_las)
    return challenge


def _check_upload(upload, *, field: str, signatures: dict) -> None:
    """Refuse a file by its name, size and first bytes, naming the file and what is wrong."""
    name = (upload.name or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in signatures:
        kinds = ", ".join(s[1:].upper() for s in signatures)
        raise ValidationError({field: f"{upload.name}: upload one of {kinds}."})
    if upload.size > REPORT_MAX_BYTES:
        raise ValidationError({field: f"{upload.name} is over 10 MB."})
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures[suffix]):
        raise ValidationError({field: f"{upload.name} is not a real {suffix[1:].upper()} file."})


def _check_report(upload) -> None:
    _check_upload(upload, field="report", signatures=REPORT_SIGNATURES)


@transaction.atomic
def challenge_update(
    *, actor, challenge: Challenge, status: str, date=None, evaluation: str = "", report=None
) -> Challenge:
    challenge = Challenge.objects.select_for_update().select_related("cycle").get(pk=challenge.pk)
    _require(actor, "peer_challenge.manage_challenge", challenge)
    if status not in ChallengeStatus.values:
        raise ValidationError({"status": "Choose a status."})
    if status == ChallengeStatus.COMPLETED and not date:
        raise ValidationError({"date": "Enter the date of a completed challenge."})
    if len(evaluation or "") > MAX_TEXT:
        raise ValidationError({"evaluation": f"At most {MAX_TEXT} characters."})
    if report is not None:
        _check_report(report)
        challenge.report = report
    challenge.status = status
    challenge.date = date
    challenge.evaluation = (evaluation or "").strip()
    challenge._history_user = actor
    challenge.save()
    return challenge


# --- emails ---------------------------------------------------------------------------------


def _queue_due_reminders(*, cycle_ids=None, today=None) -> list[int]:
    today = today or timezone.localdate()
    assessments = SelfAssessment.objects.filter(
        status=SelfAssessmentStatus.DRAFT,
        cycle__status=CycleStatus.OPEN,
        cycle__self_assessment_due__gte=today,
        cycle__self_assessment_due__lte=today + REMINDER_WINDOW,
    )
    if cycle_ids is not None:
        assessments = assessments.filter(cycle_id__in=cycle_ids)
    assessments = list(assessments)
    dcs_by_la: dict[int, list] = {}
    for membership in Membership.objects.filter(
        role=Role.DCS, local_authority_id__in={sa.local_authority_id for sa in assessments}
    ).select_related("user"):
        dcs_by_la.setdefault(membership.local_authority_id, []).append(membership.user)
    ids = []
    for sa in assessments:
        ids += _notice(
            NoticeOccasion.SELF_ASSESSMENT_DUE, sa, dcs_by_la.get(sa.local_authority_id, [])
        )
    return ids


@transaction.atomic
def due_reminders_queue(*, today=None) -> int:
    """Periodic: owe a 'self-assessment due' email to each DCS whose draft is due within 14 days."""
    return len(_queue_due_reminders(today=today))


def notice_send(*, notice_id: int) -> bool:
    """Send one owed email; True if this call sent it. Safe to run twice or concurrently."""
    from django.urls import reverse

    from sli_portal.emails import send_email

    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related(
                "recipient", "self_assessment__cycle", "self_assessment__local_authority"
            )
            .filter(pk=notice_id, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            return False
        sa = notice.self_assessment
        send_email(
            f"peer_{notice.occasion}",
            [notice.recipient.email],
            {
                "recipient": notice.recipient,
                "self_assessment": sa,
                "cycle": sa.cycle,
                "path": reverse("peer_challenge:self_assessment_detail", kwargs={"pk": sa.pk}),
            },
        )
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return True


def unsent_notice_ids(older_than: datetime.timedelta = datetime.timedelta(minutes=2)) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Notice.objects.filter(Q(sent_at__isnull=True), created_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
