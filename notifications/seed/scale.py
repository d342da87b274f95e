"""England-scale notifications for `make bench`: every DCS and performance lead with 60, a
third unread, in bulk (no emails: recorded as already sent)."""

import datetime as dt

from django.utils import timezone

from sli_portal.scale import ScaleContext

from ..models import Notification

PER_PERSON = 60


def seed_notifications(ctx: ScaleContext) -> None:
    now = timezone.now()
    rows = []
    people = {
        user.pk
        for roles in ctx.la_users.values()
        for role in ("dcs", "performance_lead")
        for user in roles.get(role, [])
    }
    for pk in sorted(people):
        for n in range(PER_PERSON * ctx.factor):
            rows.append(
                Notification(
                    recipient_id=pk,
                    kind="action_assigned",
                    occasion=f"scale:{n}",
                    text=f"You own the action “Scale action {n}”.",
                    url="/",
                    status="sent",
                    read_at=None if n % 3 == 0 else now - dt.timedelta(hours=n),
                )
            )
    Notification.objects.bulk_create(rows, batch_size=5000)
