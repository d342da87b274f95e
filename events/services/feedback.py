"""The short survey sent to delegates after an event."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import (
    Delegate,
    DelegateStatus,
    Event,
    EventStatus,
    FeedbackResponse,
    Notice,
    NoticeKind,
)

_FEEDBACK_SALT = "events.feedback"


FEEDBACK_WINDOW = timedelta(days=14)


def feedback_token(delegate: Delegate) -> str:
    from django.core import signing

    return signing.Signer(salt=_FEEDBACK_SALT).sign(str(delegate.pk))


def delegate_from_feedback_token(token: str) -> Delegate | None:
    from django.core import signing

    try:
        pk = signing.Signer(salt=_FEEDBACK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        Delegate.objects.select_related("event", "local_authority")
        .filter(pk=pk, status=DelegateStatus.REGISTERED)
        .first()
    )


def feedback_requests_record(*, now: datetime | None = None) -> int:
    """After an event ends, ask its delegates (those checked in, or everyone if nobody was
    checked in) for feedback: one request each."""
    now = now or timezone.now()
    rows = []
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
    return len(Notice.objects.bulk_create(rows, ignore_conflicts=True))


@transaction.atomic
def feedback_submit(
    *, delegate: Delegate, rating: int, most_useful: str = "", improve: str = "", now=None
) -> FeedbackResponse:
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
