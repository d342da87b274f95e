"""The one periodic pass over everything time-driven."""

from datetime import datetime

from django.utils import timezone

from accounts.models import User
from sli_portal import outbox
from sli_portal.access import System, require

from ..models.notices import Notice
from .feedback import feedback_requests_record
from .meetings import quorum_check
from .notices import reminders_record_due
from .places import pools_release_due


def events_sweep(*, actor: User | System, now: datetime | None = None) -> int:
    """Everything periodic, in one idempotent pass: release pools that are due, warn about
    meetings below quorum, ask for feedback after events, record due reminders, then send every
    event email still to send. Returns how many emails this run sent."""
    require(actor, "events.run_jobs")
    at = now or timezone.now()
    pools_release_due(actor=actor, now=at)
    quorum_check(actor=actor, now=at)
    feedback_requests_record(actor=actor, now=at)
    reminders_record_due(actor=actor, now=at)
    # Outside any transaction: the outbox claims and commits each row before it sends it. The
    # clock is passed on only when the caller set it: otherwise the sweep reads it now, after
    # the rows above were recorded (it sends rows recorded up to its `now`).
    return outbox.sweep(Notice, now=now)
