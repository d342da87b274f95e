from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notice(notice_id: int) -> bool:
    return services.notice_send(notice_id=notice_id)


@shared_task
def send_unsent_notices() -> int:
    """Periodic sweep: queue any owed email that was never sent (e.g. Redis was down)."""
    pending = services.unsent_notice_ids()
    for notice_id in pending:
        send_notice.delay(notice_id)
    return len(pending)


@shared_task
def queue_due_reminders() -> int:
    """Daily: owe a 'self-assessment due' email to the DCS of every draft due within 14 days."""
    return services.due_reminders_queue()
