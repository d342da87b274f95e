"""Emails about events, recorded in the outbox (sli_portal/outbox.py): once per recipient and
occasion, in the caller's transaction, delivered after commit, swept if the broker was down."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require
from sli_portal.outbox import OutboxStatus

from ..models.delegates import Delegate, DelegateStatus
from ..models.events import Event, EventStatus
from ..models.guests import GuestDelegate
from ..models.notices import Notice, NoticeKind


def _notify(
    event: Event,
    kind: str,
    occasion: str,
    delegate: Delegate | None = None,
    *,
    email: str | None = None,
    name: str | None = None,
    send_after: datetime | None = None,
) -> Notice:
    """Record an email to a delegate (or to `email`), once per recipient and occasion. Callers
    are services that have checked access already."""
    if delegate is not None:
        email = email or delegate.email
        name = name if name is not None else delegate.full_name
    notice, _created = outbox.send_once(
        Notice,
        event=event,
        email=email,
        occasion=occasion,
        defaults={
            "kind": kind,
            "delegate": delegate,
            "name": name or "",
            "send_after": send_after,
        },
    )
    return notice


def _notify_delegates(
    event: Event, kind: str, occasion: str, *, send_after: datetime | None = None
) -> None:
    for delegate in event.delegates.filter(status=DelegateStatus.REGISTERED):
        _notify(event, kind, occasion, delegate, send_after=send_after)
    # Partners on guest places are told the same (moved, postponed, cancelled).
    guests = GuestDelegate.objects.filter(
        guest_place__event=event, status=DelegateStatus.REGISTERED
    ).values_list("email", "full_name")
    for email, name in guests:
        _notify(event, kind, occasion, email=email, name=name, send_after=send_after)


def _undo_deadline(now: datetime) -> datetime:
    """Until when an action's emails wait, so the action can be undone before anyone is told."""
    return now + timedelta(minutes=settings.EVENTS_UNDO_MINUTES)


def _withdraw_unsent(notices: "QuerySet[Notice]", refusal: str) -> None:
    """Delete the emails an action recorded, as the action is undone; refused (with `refusal`)
    if any has gone or is going. The rows are locked, so a worker cannot claim one meanwhile."""
    rows = list(notices.select_for_update())
    if any(row.status in (OutboxStatus.SENT, OutboxStatus.SENDING) for row in rows):
        raise ValidationError(refusal)
    notices.filter(pk__in=[row.pk for row in rows]).delete()


def _reminder_offsets() -> list[int]:
    return sorted(set(getattr(settings, "EVENTS_REMINDER_DAYS", (7, 1))))


def reminders_record_due(*, actor: User | System, now: datetime | None = None) -> int:
    """Record the reminders now due: for each published event ahead, the nearest offset
    (e.g. 7 or 1 days before) that has passed, one row per registered delegate and per partner
    on a guest place (each address once per occasion)."""
    require(actor, "events.run_jobs")
    now = now or timezone.now()
    offsets = _reminder_offsets()
    if not offsets:
        return 0
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=max(offsets)),
    )
    rows: list[Notice] = []
    # Partners on guest places are reminded too (one query for every event's guests).
    guests: dict[int, list[tuple[str, str]]] = {}
    for event_id, email, name in GuestDelegate.objects.filter(
        guest_place__event__in=events, status=DelegateStatus.REGISTERED
    ).values_list("guest_place__event_id", "email", "full_name"):
        guests.setdefault(event_id, []).append((email, name))
    for event in events.prefetch_related("delegates"):
        days = min(days for days in offsets if event.starts_at - timedelta(days=days) <= now)
        occasion = f"reminder:{days}d:{event.start_key}"
        rows.extend(
            Notice(
                event=event,
                delegate=delegate,
                kind=NoticeKind.REMINDER,
                occasion=occasion,
                email=delegate.email,
                name=delegate.full_name,
            )
            for delegate in event.delegates.all()
            if delegate.is_active
        )
        # Once per address and occasion: a partner who also holds an LA place gets one.
        rows.extend(
            Notice(
                event=event,
                kind=NoticeKind.REMINDER,
                occasion=occasion,
                email=email,
                name=name,
            )
            for email, name in guests.get(event.pk, [])
        )
    # `events_sweep` delivers these straight after, as one sweep, so it can count what it sent;
    # rows recorded by the job run on its own go with the next outbox sweep (every minute).
    return outbox.record_many(Notice, rows, sweep_after_commit=False)
