"""Scheduled peer challenge work. Tasks take ids (or nothing) and call one service as SYSTEM;
the emails themselves go through the outbox (sli_portal/outbox.py), swept by `outbox-sweep`."""

from celery import shared_task

from sli_portal.access import SYSTEM

from .services.notices import due_reminders_queue


@shared_task
def queue_due_reminders() -> int:
    """Daily: owe a 'self-assessment due' email to the DCS of every draft due within 14 days."""
    return due_reminders_queue(actor=SYSTEM)
