from celery import shared_task

from sli_portal.queueing import enqueue_on_commit

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_return_chase(chase_id: int) -> bool:
    return services.chase_send(chase_id=chase_id)


@shared_task
def chase_returns() -> int:
    """Daily: record due chases (once per LA, quarter and occasion) and queue unsent ones."""
    pending = services.chases_record_due()
    for chase_id in pending:
        enqueue_on_commit(send_return_chase, chase_id)
    return len(pending)


@shared_task
def lock_due_returns() -> int:
    """Daily: lock approved returns past their window's lock date."""
    return services.returns_lock_due()
