from celery import shared_task

from sli_portal.access import SYSTEM

from .services.notices import due_notices_announce


@shared_task(name="regions.tasks.notify_due")
def notify_due() -> dict[str, int]:
    """Daily (beat): votes closing, actions overdue, progress and group accounts due."""
    return due_notices_announce(actor=SYSTEM)
