from celery import shared_task

from sli_portal.access import SYSTEM

from .services import digests_record


@shared_task(name="notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    """Daily (beat): yesterday's digest notifications, one email per person."""
    return digests_record(actor=SYSTEM)
