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
    now = now or timezone.now()
    pools_release_due(actor=actor, now=now)
    quorum_check(actor=actor, now=now)
    feedback_requests_record(actor=actor, now=now)
    reminders_record_due(actor=actor, now=now)
    # Outside any transaction: the outbox claims and commits each row before it sends it.
    return outbox.sweep(Notice, now=now)
