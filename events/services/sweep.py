"""The one periodic pass over everything time-driven."""

from datetime import datetime

from django.utils import timezone

from .feedback import feedback_requests_record
from .meetings import quorum_check
from .notices import send_due_reminders
from .places import pools_release_due


def events_sweep(*, now: datetime | None = None) -> int:
    """Everything periodic, in one idempotent pass: release pools that are due, warn about
    meetings below quorum, ask for feedback after events, record due reminders, then send every
    email still to send. Returns how many emails this run sent."""
    now = now or timezone.now()
    pools_release_due(now=now)
    quorum_check(now=now)
    feedback_requests_record(now=now)
    return send_due_reminders(now=now)
