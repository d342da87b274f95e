"""Cycles: create one (with its framework and, for annual cycles, a draft self-assessment per
LA), change its timetable and challenge day (kept as an event of the events app), close it."""

import datetime
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from events.models import Event, EventKind, EventStatus
from events.services.events import event_cancel, event_create, event_update
from regions.models import LocalAuthority, Region
from sli_portal.access import System, require, user_of

from ..domain import triads as triad_engine
from ..domain.cycles import (
    CHALLENGE_DAY_ENDS,
    CHALLENGE_DAY_STARTS,
    DEFAULT_ANNUAL_FRAMEWORK,
    at_london,
    moved_to,
)
from ..models import (
    Cycle,
    CycleKind,
    CycleStatus,
    FrameworkQuestion,
    SelfAssessment,
    SelfAssessmentSection,
)
from ._common import _locked, _person
from .notices import _owe_due_reminders


def _check_timetable(
    self_assessment_due: datetime.date | None, moderation_due: datetime.date | None
) -> None:
    if self_assessment_due and moderation_due and moderation_due < self_assessment_due:
        raise ValidationError(
            {"moderation_due": "Moderation cannot be due before the self-assessments."}
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


def _sync_challenge_day(
    *, actor: User | System, cycle: Cycle, day: datetime.date | None, venue: str
) -> None:
    """Make the cycle's challenge-day event say what the programme manager entered, through the
    events services (so delegates hear of a move and calendars update): create it, move it,
    change its venue, or, when the date is cleared, cancel it if it is still ahead."""
    venue = (venue or "").strip()
    event = cycle.challenge_event
    if event is not None and event.status == EventStatus.CANCELLED:
        event = None  # called off in the events app: a new date makes a new event
    if day is None:
        if event is not None and event.starts_at > timezone.now():
            event_cancel(actor=actor, event=event)
        cycle.challenge_event = None
    elif event is None:
        cycle.challenge_event = event_create(
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
        changes: dict[str, Any] = {}
        shift = (day - timezone.localtime(event.starts_at).date()).days
        if shift:
            changes["starts_at"] = moved_to(event.starts_at, shift)
            changes["ends_at"] = moved_to(event.ends_at, shift)
        if venue != event.venue:
            changes["venue"] = venue
        if changes:
            event = event_update(actor=actor, event=event, **changes)
        cycle.challenge_event = event
    cycle.save(update_fields=["challenge_event"])


def _framework(kind: str, questions: list[str], theme: str) -> list[str]:
    """The cycle's framework sections, checked: the standard one for an annual cycle left
    empty; a thematic cycle needs a theme and its key lines of enquiry."""
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
    return questions


def _create_self_assessments(
    cycle: Cycle, questions: list[FrameworkQuestion], actor: User | System
) -> None:
    """A draft self-assessment, with every framework section, for each active LA."""
    las = LocalAuthority.objects.filter(region_id=cycle.region_id, is_active=True).order_by("name")
    # bulk_create skips simple-history's signals: its helper records each first version.
    assessments = bulk_create_with_history(
        [SelfAssessment(cycle=cycle, local_authority=la) for la in las],
        SelfAssessment,
        default_user=user_of(actor),
    )
    bulk_create_with_history(
        [
            SelfAssessmentSection(self_assessment=sa, question=q)
            for sa in assessments
            for q in questions
        ],
        SelfAssessmentSection,
        default_user=user_of(actor),
    )


@transaction.atomic
def cycle_create(
    *,
    actor: User | System,
    region: Region,
    kind: str,
    year: int,
    title: str,
    questions: list[str],
    theme: str = "",
    self_assessment_due: datetime.date | None = None,
    moderation_due: datetime.date | None = None,
    challenge_day: datetime.date | None = None,
    challenge_venue: str = "",
    challenge_event: Event | None = None,
    findings_due: datetime.date | None = None,
    remainder: str = triad_engine.LARGER,
    moderators_avoid_triad_partners: bool = True,
) -> Cycle:
    """Create a cycle. A challenge day (date and venue) becomes a published `challenge_day`
    event of the region; or pass `challenge_event` to adopt one the region already has."""
    require(actor, "peer_challenge.manage_region", region)
    questions = _framework(kind, questions, theme)
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
        created_by=_person(actor),
    )
    if challenge_event is None and challenge_day is not None:
        _sync_challenge_day(actor=actor, cycle=cycle, day=challenge_day, venue=challenge_venue)
    saved = FrameworkQuestion.objects.bulk_create(
        FrameworkQuestion(cycle=cycle, position=i, title=q) for i, q in enumerate(questions, 1)
    )
    if kind == CycleKind.ANNUAL_TRIAD:
        _create_self_assessments(cycle, saved, actor)
        _owe_due_reminders(cycle_ids=[cycle.pk])
    return cycle


@transaction.atomic
def cycle_update(
    *,
    actor: User | System,
    cycle: Cycle,
    title: str,
    self_assessment_due: datetime.date | None = None,
    moderation_due: datetime.date | None = None,
    challenge_day: datetime.date | None = None,
    challenge_venue: str = "",
    findings_due: datetime.date | None = None,
) -> Cycle:
    """Change an open cycle's title and timetable. A new challenge-day date moves its event
    (delegates are told), a cleared one cancels it, a first one creates it."""
    require(actor, "peer_challenge.manage_cycle", cycle)
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
        _owe_due_reminders(cycle_ids=[cycle.pk])
    return cycle


@transaction.atomic
def cycle_close(*, actor: User | System, cycle: Cycle) -> Cycle:
    """Close the cycle; a challenge day still ahead is cancelled (its delegates are told)."""
    require(actor, "peer_challenge.manage_cycle", cycle)
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
        event_cancel(actor=actor, event=event)
    return cycle
