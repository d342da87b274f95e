"""What cancelling would do, and what can still be undone: a cancellation's emails are held
for EVENTS_UNDO_MINUTES (events.services.notices.undo_deadline), and undoing it is possible
until any of them has gone."""

from django.conf import settings
from django.db.models import Count, Min, Q

from sli_portal.outbox import OutboxStatus

from ..models.delegates import Delegate, DelegateStatus
from ..models.events import Event, EventStatus
from ..models.notices import Notice, NoticeKind

_GONE = Q(status__in=[OutboxStatus.SENT, OutboxStatus.SENDING])


def cancellation_preview(event: Event) -> dict:
    """For the "Are you sure?" page: who will be told (registered delegates, their LAs)."""
    counts = Delegate.objects.filter(event=event, status=DelegateStatus.REGISTERED).aggregate(
        delegates=Count("pk"), las=Count("local_authority", distinct=True)
    )
    return {
        "delegates": counts["delegates"],
        "las": counts["las"],
        "emails_delegates": event.status != EventStatus.DRAFT and counts["delegates"] > 0,
        "undo_minutes": settings.EVENTS_UNDO_MINUTES,
    }


def _held(notices) -> dict:
    summary = notices.aggregate(
        gone=Count("pk", filter=_GONE),
        waiting=Count("pk", filter=Q(status=OutboxStatus.PENDING)),
        send_after=Min("send_after", filter=Q(status=OutboxStatus.PENDING)),
    )
    return {**summary, "undoable": summary["gone"] == 0}


def event_cancellation(event: Event) -> dict | None:
    """For a cancelled event: whether the cancellation can still be undone, and when the
    delegates will be emailed (None for an event that is not cancelled)."""
    if event.status != EventStatus.CANCELLED:
        return None
    return _held(
        Notice.objects.filter(
            event=event, kind=NoticeKind.EVENT_CANCELLED, occasion=f"cancelled:{event.sequence}"
        )
    )


def undoable_place_cancellations(event: Event, la_ids: list[int]) -> dict[int, list[Delegate]]:
    """Cancelled places of these LAs whose cancellation email has not gone, by LA id (empty
    once the event is cancelled, has started or its pool was released)."""
    if event.status == EventStatus.CANCELLED or event.pool_released_at is not None or not la_ids:
        return {}
    if getattr(event, "held_place_cancellations", True) is False:
        return {}  # known from the event's own query (selectors.events.events_with_programme)
    held = Notice.objects.filter(
        event=event, kind=NoticeKind.DELEGATE_CANCELLED, status=OutboxStatus.PENDING
    )
    delegates = (
        Delegate.objects.filter(
            event=event,
            local_authority_id__in=la_ids,
            status=DelegateStatus.CANCELLED,
            notices__in=held,
        )
        .annotate(send_after=Min("notices__send_after"))
        .order_by("full_name", "pk")
    )
    by_la: dict[int, list[Delegate]] = {}
    for delegate in delegates:
        by_la.setdefault(delegate.local_authority_id, []).append(delegate)
    return by_la
