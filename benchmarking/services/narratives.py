"""Exception narratives owed: each figure the exception report flags (top or bottom 20%) that
its LA has not explained yet is announced once by ``benchmarking.signals.narrative_owed``; the
receiver (``benchmarking.receivers``) tells who must write it, once per person and figure.

When: after an approval changes a region's approved data for a quarter (queued once per region
and quarter after commit by ``narratives_owed_on_approval``), and daily (beat) over every
quarter whose approved data changed in the last ``RECENT`` days, which also catches a queued
run that was lost while the broker was down. Running it twice, also at the same moment, tells
nobody twice: the notification is unique per person, kind and occasion.

Which figures: those the exception report flags for the core indicators, against the region or
against England (the report's two scopes; a figure flagged in both is owed once, as its
narrative is). Narratives have no due date of their own, so there is no "overdue" reminder.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.utils import timezone

from benchmarking.domain.reports import exception_flags
from benchmarking.models import (
    VISIBLE_TO_REGION_STATUSES,
    ExceptionNarrative,
    IndicatorSet,
    Period,
    PeriodKind,
    ReportScope,
    Return,
    Source,
)
from benchmarking.selectors import reports as selectors
from regions.models import Region
from sli_portal.access import System, require
from sli_portal.queueing import enqueue_once_on_commit

from .. import signals

if TYPE_CHECKING:
    from accounts.models import User

ANNOUNCE_TASK = "benchmarking.tasks.announce_narratives_owed"
RECENT = dt.timedelta(days=30)
SCOPES = (ReportScope.REGION, ReportScope.ENGLAND)
INDICATOR_SET = IndicatorSet.CORE


def narratives_owed_announce(*, actor: User | System, region_id: int, period_id: int) -> int:
    """Announce every flagged figure of the region's quarter that has no narrative yet.
    Returns how many figures are owed."""
    require(actor, "benchmarking.run_jobs")
    region = Region.objects.get(pk=region_id)
    period = Period.objects.get(pk=period_id)
    if period.kind != PeriodKind.QUARTER:
        return 0  # annual reports are DfE's published figures, not the LAs' returns
    # Written or announced already in this look: each figure once.
    done = set(
        ExceptionNarrative.objects.filter(
            period=period, local_authority__region=region
        ).values_list("local_authority_id", "indicator_id")
    )
    owed = 0
    for scope in SCOPES:
        inputs = selectors.load_inputs(region, period, scope=scope, indicator_set=INDICATOR_SET)
        flags = exception_flags(
            inputs.indicator_data(period),
            columns=inputs.las,
            scope=scope,
            neighbours=inputs.neighbours,
        )
        by_code = {i.code: i for i in inputs.indicators}
        slug_of = {pk: slug for slug, pk in inputs.la_ids_by_slug.items()}
        for flag in flags:
            indicator = by_code[flag.indicator.code]
            la_id = cast(int, flag.la_key)  # the report's LA columns are keyed by LA id
            if (la_id, indicator.pk) in done:
                continue
            done.add((la_id, indicator.pk))
            owed += 1
            signals.narrative_owed.send(
                sender=ExceptionNarrative,
                region=region,
                local_authority_id=la_id,
                la_name=flag.la_name,
                la_slug=slug_of[la_id],
                period=period,
                indicator=indicator,
                flag=flag.flag,
                scope=scope,
                actor=actor,
            )
    return owed


def narratives_owed_sweep(*, actor: User | System, now: dt.datetime | None = None) -> int:
    """Daily: announce for every region's quarter whose approved data changed lately."""
    require(actor, "benchmarking.run_jobs")
    since = (now or timezone.now()) - RECENT
    pairs = (
        Return.objects.filter(
            source=Source.RETURN,
            status__in=VISIBLE_TO_REGION_STATUSES,
            approved_at__gte=since,
            period__kind=PeriodKind.QUARTER,
        )
        .values_list("local_authority__region_id", "period_id")
        .distinct()
        .order_by("local_authority__region_id", "period_id")
    )
    return sum(
        narratives_owed_announce(actor=actor, region_id=region_id, period_id=period_id)
        for region_id, period_id in pairs
    )


def narratives_owed_on_approval(
    sender: type[Return], *, return_obj: Return, actor: User | System, **kwargs: Any
) -> None:
    """Receiver of ``return_approved``: the region's flags may have changed; look once per
    region and quarter after commit (however many returns the transaction approves)."""
    require(actor, "benchmarking.approve_return", return_obj)
    enqueue_once_on_commit(
        ANNOUNCE_TASK, return_obj.local_authority.region_id, return_obj.period_id
    )
