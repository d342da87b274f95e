"""Events and their programme."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority, Region
from sli_portal.access import System, require, user_of
from sli_portal.outbox import OutboxStatus

from .. import signals
from ..models.delegates import Delegate, DelegateStatus, WorkshopChoice
from ..models.events import Event, EventKind, EventStatus, ExternalDate, Session, Speaker
from ..models.guests import guests_registered
from ..models.notices import Notice, NoticeKind
from ..models.places import Allocation
from .notices import _notify_delegates, _undo_deadline, _withdraw_unsent

# Dates to avoid for every region (no region) are the administrators' to mark.
_DATES_PERMISSION = "events.manage_national_dates"
_CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "venue", "address", "online_url", "status"}


EVENT_EDITABLE_FIELDS = (
    "kind",
    "title",
    "focus",
    "description",
    "venue",
    "address",
    "online_url",
    "starts_at",
    "ends_at",
    "status",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "places_per_la",
    "members_may_self_register",
    "workshop_mode",
    "pool_release_at",
    "quorum",
    "quorum_warning_days",
    "is_public",
    "audience",
    "how_to_book",
)


def _validate_event(event: Event) -> None:
    if event.kind not in EventKind.values:
        raise ValidationError({"kind": f"Unknown kind of event {event.kind!r}."})
    if event.status not in EventStatus.values:
        raise ValidationError({"status": f"Unknown status {event.status!r}."})
    if not (event.title or "").strip():
        raise ValidationError({"title": "Enter a title."})
    if event.starts_at is None or event.ends_at is None:
        raise ValidationError({"starts_at": "Enter when the event starts and ends."})
    if event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": "The event must end after it starts."})
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        raise ValidationError({"registration_closes_at": "Registration must close after it opens."})
    if closes and closes > event.ends_at:
        raise ValidationError(
            {"registration_closes_at": "Registration must close before the event ends."}
        )


@transaction.atomic
def event_create(
    *,
    actor: User | System,
    region: Region,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    status: str = EventStatus.DRAFT,
    places_per_la: int = 4,
    **details: Any,
) -> Event:
    """Create an event of the region, with the default number of places for each of its LAs.

    `details` are any other editable fields (focus, venue, capacity, registration dates, ...).
    """
    require(actor, "events.manage_event", region)
    unknown = set(details) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_create() got unknown fields {sorted(unknown)}")
    event = Event(
        region=region,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        places_per_la=places_per_la,
        created_by=user_of(actor),
        **details,
    )
    _validate_event(event)
    event.save()
    Allocation.objects.bulk_create(
        Allocation(event=event, local_authority=la, places=places_per_la)
        for la in LocalAuthority.objects.filter(region=region, is_active=True)
    )
    return event


def _places_used(event_id: int) -> dict[int, int]:
    return dict(
        Delegate.objects.filter(event_id=event_id, status=DelegateStatus.REGISTERED)
        .values("local_authority_id")
        .annotate(n=Count("pk"))
        .values_list("local_authority_id", "n")
    )


@transaction.atomic
def event_update(*, actor: User | System, event: Event, **changes: Any) -> Event:
    """Change an event. Moving it reschedules reminders and tells delegates; lowering places
    below what an LA already uses is refused, naming the LA."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "events.manage_event", event)
    unknown = set(changes) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_update() got unknown fields {sorted(unknown)}")
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event has been cancelled and can no longer be changed.")
    if changes.get("status") == EventStatus.CANCELLED:
        raise ValidationError({"status": "Use “Cancel event” to cancel it, so delegates are told."})
    before = {name: getattr(event, name) for name in EVENT_EDITABLE_FIELDS}
    for name, value in changes.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    changed = {name for name in EVENT_EDITABLE_FIELDS if getattr(event, name) != before[name]}
    if not changed:
        return event
    _validate_event(event)

    used = _places_used(event.pk)
    if "capacity" in changed and event.capacity is not None:
        total = sum(used.values()) + guests_registered(event)
        if event.capacity < total:
            raise ValidationError(
                {
                    "capacity": f"{total} delegates are already registered: the capacity cannot be lower."
                }
            )
    if "places_per_la" in changed:
        defaults = Allocation.objects.filter(event=event, is_override=False).select_related(
            "local_authority"
        )
        over = [
            f"{a.local_authority.name} ({used[a.local_authority_id]})"
            for a in defaults
            if used.get(a.local_authority_id, 0) > event.places_per_la
        ]
        if over:
            raise ValidationError(
                {
                    "places_per_la": "These LAs already have more delegates than that: "
                    + ", ".join(over)
                    + "."
                }
            )
        defaults.update(places=event.places_per_la)
    moved = bool({"starts_at", "ends_at"} & changed)
    if changed & _CALENDAR_FIELDS:
        event.sequence += 1
    event.save()
    _tell_delegates_of_a_change(event, before_status=before["status"], moved=moved)
    return event


def _tell_delegates_of_a_change(event: Event, *, before_status: str, moved: bool) -> None:
    """Postponing tells delegates once; a new date (or the event back on) tells them again.
    Each change bumps the event's sequence, so each is its own occasion."""
    if before_status == EventStatus.DRAFT:
        return
    if event.status == EventStatus.POSTPONED and before_status != EventStatus.POSTPONED:
        _notify_delegates(event, NoticeKind.EVENT_POSTPONED, f"postponed:{event.sequence}")
    elif event.status == EventStatus.PUBLISHED and (
        moved or before_status == EventStatus.POSTPONED
    ):
        _notify_delegates(event, NoticeKind.EVENT_MOVED, f"moved:{event.sequence}")


@transaction.atomic
def event_cancel(*, actor: User | System, event: Event, now: datetime | None = None) -> Event:
    """Cancel the event: calendars get STATUS:CANCELLED, reminders stop, and delegates an email,
    held for EVENTS_UNDO_MINUTES so that `event_cancel_undo` can still take it back."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "events.manage_event", event)
    if event.status == EventStatus.CANCELLED:
        return event
    was_draft = event.status == EventStatus.DRAFT
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event._change_reason = "Cancelled"  # type: ignore[attr-defined]
    event.save(update_fields=["status", "sequence", "updated_at"])
    if not was_draft:
        _notify_delegates(
            event,
            NoticeKind.EVENT_CANCELLED,
            f"cancelled:{event.sequence}",
            send_after=_undo_deadline(now or timezone.now()),
        )
    return event


def _cancellation_notices(event: Event):
    return Notice.objects.filter(
        event=event, kind=NoticeKind.EVENT_CANCELLED, occasion=f"cancelled:{event.sequence}"
    )


@transaction.atomic
def event_cancel_undo(*, actor: User | System, event: Event) -> Event:
    """Put a cancelled event back as it was, while no delegate has been emailed about the
    cancellation (its held emails are withdrawn). Refused once any has gone."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "events.manage_event", event)
    if event.status != EventStatus.CANCELLED:
        raise ValidationError(f"{event.title} is not cancelled.")
    _withdraw_unsent(
        _cancellation_notices(event),
        f"Delegates have already been emailed that {event.title} is cancelled, so it can no "
        "longer be undone.",
    )
    before = (
        event.history.exclude(status=EventStatus.CANCELLED)
        .order_by("-history_date")
        .values_list("status", flat=True)
        .first()
    )
    event.status = before or EventStatus.DRAFT
    event.sequence += 1  # calendars that saw the cancellation take the event back
    event._change_reason = "Cancellation undone"  # type: ignore[attr-defined]
    event.save(update_fields=["status", "sequence", "updated_at"])
    # Emails passed over only because the event was cancelled apply again.
    Notice.objects.filter(
        event=event, status=OutboxStatus.SKIPPED, skipped_reason="The event was cancelled."
    ).update(status=OutboxStatus.PENDING, skipped_reason="")
    return event


@transaction.atomic
def session_create(
    *,
    actor: User | System,
    event: Event,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    location: str = "",
    is_workshop: bool = False,
    capacity: int | None = None,
    speakers: Sequence[tuple[str, str, str]] = (),
) -> Session:
    """Add a programme item; `speakers` are (name, role, organisation)."""
    require(actor, "events.manage_event", event)
    if not title.strip():
        raise ValidationError({"title": "Enter a title."})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The session must end after it starts."})
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError(
            {
                "starts_at": f"The session must fall within the event "
                f"({timezone.localtime(event.starts_at):%d %b %Y %H:%M} to {timezone.localtime(event.ends_at):%H:%M})."
            }
        )
    if not is_workshop:
        capacity = None
    session = Session.objects.create(
        event=event,
        title=title.strip(),
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        is_workshop=is_workshop,
        capacity=capacity,
    )
    Speaker.objects.bulk_create(
        Speaker(session=session, name=name, role=role, organisation=organisation, order=order)
        for order, (name, role, organisation) in enumerate(speakers)
    )
    return session


@transaction.atomic
def session_delete(*, actor: User | System, session: Session) -> None:
    event = Event.objects.select_for_update().get(pk=session.event_id)
    require(actor, "events.manage_event", event)
    booked = WorkshopChoice.objects.filter(
        session=session, delegate__status=DelegateStatus.REGISTERED
    ).count()
    if booked:
        raise ValidationError(
            f"{booked} delegates have chosen “{session.title}”: it cannot be removed."
        )
    session.delete()


@transaction.atomic
def external_date_add(
    *, actor: User | System, region: Region | None, title: str, date: date
) -> ExternalDate:
    """Mark a date events should avoid (a national conference, another body's meeting).
    region=None marks it for every region (administrators only)."""
    require(actor, _DATES_PERMISSION if region is None else "events.manage_event", region)
    if not (title or "").strip():
        raise ValidationError({"title": "Say what happens on that date."})
    external = ExternalDate.objects.create(region=region, title=title.strip(), date=date)
    booked = Event.objects.filter(starts_at__date__lte=date, ends_at__date__gte=date).exclude(
        status=EventStatus.CANCELLED
    )
    if region is not None:
        booked = booked.filter(region=region)
    clashing = list(booked.order_by("starts_at", "pk"))
    if clashing:
        signals.clash_marked.send(
            sender=ExternalDate, external_date=external, actor=actor, events=clashing
        )
    return external


@transaction.atomic
def external_date_delete(*, actor: User | System, external_date: ExternalDate) -> None:
    region = external_date.region
    require(actor, _DATES_PERMISSION if region is None else "events.manage_event", region)
    external_date.delete()
