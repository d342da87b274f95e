from celery import shared_task

from . import selectors, services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int) -> bool:
    return services.invitation_send_email(invitation_id=invitation_id)


@shared_task
def send_pending_invitation_emails() -> int:
    """Periodic sweep: queue any invitation email that was never sent (e.g. Redis was down)."""
    pending = selectors.invitations_unsent_ids()
    for invitation_id in pending:
        send_invitation_email.delay(invitation_id)
    return len(pending)
