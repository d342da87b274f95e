"""Reminders to performance leads whose returns are not in yet."""

import datetime

from django.db import transaction
from django.utils import timezone

from regions.models import LocalAuthority

from ..models import (
    ChaseEmail,
    ChaseOccasion,
    Return,
    ReturnWindow,
    Source,
    Status,
)

# --- chasing returns --------------------------------------------------------------------------

CHASE_DAYS_BEFORE_DUE = 7
OPEN_STATUSES = (Status.DRAFT,)


def chases_record_due(*, today: datetime.date | None = None) -> list[int]:
    """Record a chase for every LA whose return is not yet submitted: one in the week before the
    due date, one after it (until the lock date). Returns the ids of chases not yet sent.

    The unique (LA, quarter, occasion) row makes this idempotent: rerunning records nothing new.
    """
    today = today or timezone.localdate()
    windows = ReturnWindow.objects.filter(opens_on__lte=today, locks_on__gte=today).select_related(
        "period"
    )
    wanted = []
    for window in windows:
        if today > window.due_on:
            occasion = ChaseOccasion.AFTER_DUE
        elif today >= window.due_on - datetime.timedelta(days=CHASE_DAYS_BEFORE_DUE):
            occasion = ChaseOccasion.BEFORE_DUE
        else:
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
    ChaseEmail.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(ChaseEmail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))


def chase_send(*, chase_id: int) -> bool:
    """Email the LA's performance leads once; True if this call sent it."""
    from django.urls import reverse

    from regions.models import Membership, Role
    from sli_portal.emails import send_email

    with transaction.atomic():
        chase = (
            ChaseEmail.objects.select_for_update()
            .select_related("local_authority__region", "period")
            .filter(pk=chase_id, sent_at__isnull=True)
            .first()
        )
        if chase is None:
            return False
        ret = Return.objects.filter(
            local_authority=chase.local_authority, period=chase.period, source=Source.RETURN
        ).first()
        window = ReturnWindow.objects.filter(
            region=chase.local_authority.region, period=chase.period
        ).first()
        recipients = sorted(
            Membership.objects.filter(
                local_authority=chase.local_authority, role=Role.PERFORMANCE_LEAD
            ).values_list("user__email", flat=True)
        )
        if recipients and (ret is None or ret.status in OPEN_STATUSES):
            send_email(
                "return_chase",
                recipients,
                {
                    "chase": chase,
                    "la": chase.local_authority,
                    "period": chase.period,
                    "window": window,
                    "ret": ret,
                    "overdue": chase.occasion == ChaseOccasion.AFTER_DUE,
                    "return_path": reverse(
                        "benchmarking:return_detail",
                        kwargs={
                            "la_slug": chase.local_authority.slug,
                            "period_slug": chase.period.slug,
                        },
                    ),
                },
            )
        chase.recipients = "\n".join(recipients)
        chase.sent_at = timezone.now()
        chase.save(update_fields=["recipients", "sent_at"])
    return bool(recipients)
