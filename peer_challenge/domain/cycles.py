"""Pure facts of a cycle (no ORM): the standard annual framework and the challenge day's hours,
shared by the cycle services and the seeding."""

import datetime

from django.utils import timezone

DEFAULT_ANNUAL_FRAMEWORK = [
    "Leadership, governance and management",
    "Early help, and help and protection",
    "Children in care and care leavers",
    "Workforce and quality of practice",
    "Performance, outcomes and priorities for next year",
]

CHALLENGE_DAY_STARTS = datetime.time(9, 30)
CHALLENGE_DAY_ENDS = datetime.time(16, 30)


def at_london(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def moved_to(moment: datetime.datetime, days: int) -> datetime.datetime:
    """The same London wall-clock time, `days` later (so a move across the clock change keeps
    09:30 at 09:30)."""
    local = timezone.localtime(moment)
    return timezone.make_aware(
        datetime.datetime.combine(local.date() + datetime.timedelta(days=days), local.time())
    )
