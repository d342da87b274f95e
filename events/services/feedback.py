"""The short survey sent to delegates after an event."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require

from ..models.delegates import Delegate
from ..models.events import Event, EventStatus
from ..models.feedback import FeedbackResponse
from ..models.notices import Notice, NoticeKind

# Delegates are asked for feedback while their event ended less than this long ago.
FEEDBACK_WINDOW = timedelta(days=14)


def feedback_requests_record(*, actor: User | System, now: datetime | None = None) -> int:
    """After an event ends, ask its delegates (those checked in, or everyone if nobody was
    checked in) for feedback: one request each."""
    require(actor, "events.run_jobs")
    now = now or timezone.now()
    rows: list[Notice] = []
    for event in Event.objects.filter(
        status=EventStatus.PUBLISHED, ends_at__lte=now, ends_at__gt=now - FEEDBACK_WINDOW
    ).prefetch_related("delegates"):
        delegates = [d for d in event.delegates.all() if d.is_active]
        if any(d.checked_in_at for d in delegates):
            delegates = [d for d in delegates if d.checked_in_at]
        rows.extend(
            Notice(
                event=event,
                delegate=d,
                kind=NoticeKind.FEEDBACK_REQUEST,
                occasion="feedback",
                email=d.email,
                name=d.full_name,
            )
            for d in delegates
        )
    return outbox.record_many(Notice, rows, sweep_after_commit=False)


@transaction.atomic
def feedback_submit(
    *,
    actor: User | System,
    delegate: Delegate,
    rating: int,
    most_useful: str = "",
    improve: str = "",
    now: datetime | None = None,
) -> FeedbackResponse:
    """Record a delegate's answers. The feedback link is their credential: the view checks it
    and passes SYSTEM (see the `events.record_feedback` rule)."""
    require(actor, "events.record_feedback", delegate)
    now = now or timezone.now()
    if delegate.event.ends_at > now:
        raise ValidationError("Feedback opens when the event ends.")
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": "Choose a rating from 1 to 5."})
    if FeedbackResponse.objects.filter(delegate=delegate).exists():
        raise ValidationError("You have already given feedback on this event. Thank you.")
    try:
        with transaction.atomic():
            return FeedbackResponse.objects.create(
                event=delegate.event,
                delegate=delegate,
                rating=int(rating),
                most_useful=most_useful.strip(),
                improve=improve.strip(),
            )
    except IntegrityError:
        raise ValidationError("You have already given feedback on this event. Thank you.") from None
