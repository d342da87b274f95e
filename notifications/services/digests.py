"""The daily digest: a day's notifications for those who asked for one email a day."""

import datetime as dt

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require

from ..models import Delivery, Notification, NotificationDigest


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@transaction.atomic
def digests_record(*, actor: User | System, day: dt.date | None = None) -> int:
    """Gather every digest notification recorded up to the end of `day` (default: yesterday)
    and not yet in a digest into one email per person for that day, sent after commit.

    Idempotent, also when two runs overlap: the digest row is unique per person and day (the
    second insert waits for the first and is skipped), and a notification joins a digest only
    while it has none (the second run's update finds nothing left). Returns how many
    notifications joined a digest."""
    require(actor, "notifications.run_jobs")
    day = day or timezone.localdate() - dt.timedelta(days=1)
    owed = Notification.objects.filter(
        delivery=Delivery.DAILY_DIGEST,
        digest__isnull=True,
        created_at__lt=_start_of(day + dt.timedelta(days=1)),
    )
    recipient_ids = list(owed.values_list("recipient_id", flat=True).distinct())
    if not recipient_ids:
        return 0
    outbox.record_many(
        NotificationDigest,
        [NotificationDigest(recipient_id=pk, day=day) for pk in recipient_ids],
    )
    return owed.update(
        digest_id=Subquery(
            NotificationDigest.objects.filter(
                recipient_id=OuterRef("recipient_id"), day=day
            ).values("pk")[:1]
        )
    )
