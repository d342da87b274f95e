"""Emails about events: recorded once per recipient and occasion, sent after commit, swept
periodically so nothing is lost while the broker is down and nothing is sent twice."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sli_portal.queueing import enqueue_on_commit

from ..models import (
    DelegateStatus,
    Event,
    EventStatus,
    FeedbackResponse,
    Notice,
    NoticeKind,
)
from ._common import start_key


def _notify(event, kind, occasion, delegate=None, *, email=None, name=None) -> Notice:
    """Record an email to send (once: the row is unique per recipient and occasion) and queue
    it after commit. If the broker is down the periodic sweep sends it later."""
    notice, created = Notice.objects.get_or_create(
        event=event,
        email=email or delegate.email,
        occasion=occasion,
        defaults={
            "kind": kind,
            "delegate": delegate,
            "name": name if name is not None else delegate.full_name,
        },
    )
    if created:
        from ..tasks import send_notice

        enqueue_on_commit(send_notice, notice.pk)
    return notice


def _notify_delegates(event: Event, kind: str, occasion: str) -> None:
    for delegate in event.delegates.filter(status=DelegateStatus.REGISTERED):
        _notify(event, kind, occasion, delegate)


def _stale_reason(notice: Notice, now: datetime) -> str:
    event, delegate = notice.event, notice.delegate
    if notice.kind == NoticeKind.EVENT_CANCELLED:
        return ""
    if event.status == EventStatus.CANCELLED:
        return "The event was cancelled."
    if notice.kind in (NoticeKind.SUBSTITUTED_OUT, NoticeKind.DELEGATE_CANCELLED):
        return ""
    if notice.kind == NoticeKind.FEEDBACK_REQUEST:
        if delegate is None or not delegate.is_active or delegate.email != notice.email:
            return "The person no longer holds the place."
        if FeedbackResponse.objects.filter(delegate=delegate).exists():
            return "Feedback was already given."
        return ""
    if event.starts_at <= now:
        return "The event had already started."
    if notice.kind in (
        NoticeKind.MEETING_INVITATION,
        NoticeKind.QUORUM_WARNING,
        NoticeKind.PLACE_GRANTED,
    ):
        return ""
    if delegate is not None and (not delegate.is_active or delegate.email != notice.email):
        return "The person no longer holds the place."
    if notice.kind == NoticeKind.REMINDER and not notice.occasion.endswith(start_key(event)):
        return "The event moved after this reminder was due."
    return ""


def notice_send(*, notice_id: int, now: datetime | None = None) -> bool:
    """Send one recorded email unless it was sent already, is being sent by another worker
    (its row is locked), or no longer applies. True if this call sent it."""
    from sli_portal.emails import send_email

    now = now or timezone.now()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event__region", "delegate__local_authority")
            .filter(pk=notice_id, sent_at__isnull=True, skipped_reason="")
            .first()
        )
        if notice is None:
            return False
        reason = _stale_reason(notice, now)
        if reason:
            notice.skipped_reason = reason
            notice.save(update_fields=["skipped_reason"])
            return False
        choices = []
        if notice.delegate_id and notice.kind in (
            NoticeKind.CONFIRMATION,
            NoticeKind.REMINDER,
            NoticeKind.SUBSTITUTED_IN,
            NoticeKind.EVENT_MOVED,
        ):
            choices = list(
                notice.delegate.choices.select_related("session").order_by("session__starts_at")
            )
        context = {
            "notice": notice,
            "event": notice.event,
            "delegate": notice.delegate,
            "choices": choices,
        }
        if notice.kind == NoticeKind.FEEDBACK_REQUEST:
            from django.urls import reverse

            from .feedback import feedback_token

            context["feedback_path"] = reverse(
                "events:feedback", kwargs={"token": feedback_token(notice.delegate)}
            )
        if notice.kind == NoticeKind.QUORUM_WARNING:
            from .meetings import meeting_expected_count

            context["expected"] = meeting_expected_count(notice.event)
        send_email("event_notice", [notice.email], context)
        notice.sent_at = now
        notice.save(update_fields=["sent_at"])
    return True


def reminder_offsets() -> list[int]:
    return sorted(set(getattr(settings, "EVENTS_REMINDER_DAYS", (7, 1))))


def reminders_record_due(*, now: datetime | None = None) -> int:
    """Record the reminders now due: for each published event ahead, the nearest offset
    (e.g. 7 or 1 days before) that has passed, one row per registered delegate."""
    now = now or timezone.now()
    offsets = reminder_offsets()
    if not offsets:
        return 0
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=max(offsets)),
    )
    rows = []
    for event in events.prefetch_related(
        "delegates",
    ):
        due = [days for days in offsets if event.starts_at - timedelta(days=days) <= now]
        days = min(due)
        occasion = f"reminder:{days}d:{start_key(event)}"
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
    created = Notice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def unsent_notice_ids() -> list[int]:
    return list(
        Notice.objects.filter(sent_at__isnull=True, skipped_reason="")
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def send_due_reminders(*, now: datetime | None = None) -> int:
    """The periodic sweep: record due reminders, then send every email still to send
    (including any left behind while the broker was down). Returns how many this run sent."""
    now = now or timezone.now()
    reminders_record_due(now=now)
    return sum(notice_send(notice_id=pk, now=now) for pk in unsent_notice_ids())
