"""Daily jobs: each calls one service as the portal itself (chase emails go out through the
outbox, `sli_portal.outbox`)."""

from celery import shared_task

from sli_portal.access import SYSTEM

from .services.chasing import chases_record_due
from .services.returns import returns_lock_due


@shared_task
def chase_returns() -> int:
    """Daily: record due chases (once per LA, quarter and occasion); the outbox sends them."""
    return len(chases_record_due(actor=SYSTEM))


@shared_task
def lock_due_returns() -> int:
    """Daily: lock approved returns past their window's lock date."""
    return returns_lock_due(actor=SYSTEM)
