"""Scheduled jobs: each takes ids (or nothing), calls one service as the portal itself."""

from celery import shared_task

from sli_portal.access import SYSTEM

from .services.delegates import delegate_needs_erase
from .services.sweep import events_sweep as sweep_events


@shared_task(name="events.tasks.events_sweep")
def events_sweep() -> int:
    """Periodic: release due pools, warn on quorum, ask for feedback, record due reminders, and
    send every event email still to send (including any left while the broker was down)."""
    return sweep_events(actor=SYSTEM)


@shared_task(name="events.tasks.erase_expired_needs")
def erase_expired_needs() -> int:
    """Periodic: erase dietary and access needs a set time after each event."""
    return delegate_needs_erase(actor=SYSTEM)
