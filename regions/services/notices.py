"""The daily look at what is due in the regions: votes closing, actions overdue, progress
updates due, groups' annual accounts owed. Each is announced by its named signal
(`regions.signals`); the receivers record notifications once per person and occasion, so
running this twice (also at the same moment) tells nobody twice."""

import datetime as dt

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from sli_portal.access import System, require

from .. import signals
from ..models import (
    OPEN_ACTION_STATUSES,
    Action,
    Ballot,
    GroupAnnualAccount,
    LocalAuthority,
    Priority,
    PriorityStatus,
    RegionalGroup,
    Vote,
)

VOTE_CLOSING_WITHIN = dt.timedelta(days=2)
# The annual account for financial year Y (April Y to March Y+1) is asked for from March to
# June of Y+1.
GROUP_ACCOUNT_MONTHS = (3, 4, 5, 6)


def _quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _announce_votes_closing(actor: User | System, now: dt.datetime) -> int:
    votes = Vote.objects.filter(
        closed_at__isnull=True, closes_at__gt=now, closes_at__lte=now + VOTE_CLOSING_WITHIN
    ).select_related("region")
    for vote in votes:
        waiting = list(
            LocalAuthority.objects.filter(region_id=vote.region_id, is_active=True)
            .exclude(Exists(Ballot.objects.filter(vote=vote, local_authority=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        if waiting:
            signals.vote_closing.send(sender=Vote, vote=vote, actor=actor, la_ids=waiting)
    return len(votes)


def _announce_actions_overdue(actor: User | System, today: dt.date) -> int:
    actions = Action.objects.filter(
        owner__isnull=False, status__in=OPEN_ACTION_STATUSES, due_date__lt=today
    ).select_related("priority__plan")
    for action in actions:
        signals.action_overdue.send(sender=Action, action=action, actor=actor)
    return len(actions)


def _announce_progress_due(actor: User | System, today: dt.date) -> int:
    priorities = (
        Priority.objects.filter(
            plan__is_current=True, status=PriorityStatus.ACTIVE, sponsor__isnull=False
        )
        .annotate(last_update=Max("updates__date"))
        .filter(Q(last_update__isnull=True) | Q(last_update__lt=_quarter_start(today)))
        .select_related("plan")
    )
    period = _quarter_of(today)
    for priority in priorities:
        signals.progress_due.send(sender=Priority, priority=priority, actor=actor, period=period)
    return len(priorities)


def _announce_group_accounts_due(actor: User | System, today: dt.date) -> int:
    if today.month not in GROUP_ACCOUNT_MONTHS:
        return 0
    year = today.year - 1
    groups = RegionalGroup.objects.filter(sponsor__isnull=False).exclude(
        Exists(GroupAnnualAccount.objects.filter(group=OuterRef("pk"), year=year))
    )
    for group in groups:
        signals.group_account_due.send(sender=RegionalGroup, group=group, actor=actor, year=year)
    return len(groups)


def due_notices_announce(*, actor: User | System, now: dt.datetime | None = None) -> dict[str, int]:
    """Announce everything due today. Returns how many objects each kind looked at."""
    require(actor, "regions.run_jobs")
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        "vote_closing": _announce_votes_closing(actor, now),
        "action_overdue": _announce_actions_overdue(actor, today),
        "progress_due": _announce_progress_due(actor, today),
        "group_account_due": _announce_group_accounts_due(actor, today),
    }
