from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notice(notice_id: int) -> bool:
    return services.notice_send(notice_id=notice_id)


@shared_task
def events_sweep() -> int:
    """Periodic: release due pools, warn on quorum, ask for feedback, record due reminders, and
    send every event email still to send (including any left while the broker was down)."""
    return services.events_sweep()


@shared_task
def erase_expired_needs() -> int:
    """Periodic: erase dietary and access needs a set time after each event."""
    return services.delegate_needs_erase()
