"""Reminders to performance leads whose returns are not in yet (a daily job)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority
from sli_portal import outbox
from sli_portal.access import System, require

from ..models import ChaseEmail, ChaseOccasion, Return, ReturnWindow, Source
from ..models.chasing import OPEN_STATUSES

CHASE_DAYS_BEFORE_DUE = 7


def _occasion(window: ReturnWindow, today: datetime.date) -> str | None:
    if today > window.due_on:
        return ChaseOccasion.AFTER_DUE
    if today >= window.due_on - datetime.timedelta(days=CHASE_DAYS_BEFORE_DUE):
        return ChaseOccasion.BEFORE_DUE
    return None


@transaction.atomic
def chases_record_due(*, actor: User | System, today: datetime.date | None = None) -> list[int]:
    """Record a chase for every LA whose return is not yet submitted: one in the week before the
    due date, one after it (until the lock date), sent through the outbox after commit. Returns
    the ids of chases not yet sent.

    The unique (LA, quarter, occasion) row makes this idempotent: rerunning records nothing new.
    """
    require(actor, "benchmarking.run_jobs")
    today = today or timezone.localdate()
    windows = ReturnWindow.objects.filter(opens_on__lte=today, locks_on__gte=today).select_related(
        "period"
    )
    wanted = []
    for window in windows:
        occasion = _occasion(window, today)
        if occasion is None:
            continue
        done = set(
            Return.objects.filter(period=window.period, source=Source.RETURN)
            .exclude(status__in=OPEN_STATUSES)
            .values_list("local_authority_id", flat=True)
        )
        for la_id in LocalAuthority.objects.filter(
            region_id=window.region_id, is_active=True
        ).values_list("pk", flat=True):
            if la_id not in done:
                wanted.append(
                    ChaseEmail(local_authority_id=la_id, period=window.period, occasion=occasion)
                )
    outbox.record_many(ChaseEmail, wanted)
    unsent = [outbox.OutboxStatus.PENDING, outbox.OutboxStatus.SENDING]
    return list(ChaseEmail.objects.filter(status__in=unsent).values_list("pk", flat=True))
