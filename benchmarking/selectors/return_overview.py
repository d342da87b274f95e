"""The returns page for an LA's people: each quarter's status, due date and next step."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from regions.models import LocalAuthority

from ..models import Period, Return, ReturnWindow, Source, Status
from .completeness import return_timeliness


@dataclass
class QuarterReturn:
    period: Period
    status: str  # what the tag says
    colour: str  # govuk-tag modifier
    due_on: date | None
    next_step: str  # the link's words ("" for no link)
    finished: bool = False
    late: bool = False


def _row(period: Period, ret: Return | None, window: ReturnWindow | None, today: date):
    late = return_timeliness(ret, window, today) == "late"
    due = window.due_on if window else None
    status = ret.status if ret else ""
    if status in (Status.APPROVED, Status.LOCKED):
        label = "Approved" if status == Status.APPROVED else "Approved and locked"
        return QuarterReturn(period, label, "green", due, "View", finished=True, late=late)
    if status == Status.SUBMITTED:
        return QuarterReturn(period, "Sent: waiting for approval", "blue", due, "View", late=late)
    if window is None:
        return QuarterReturn(period, "No return asked for", "grey", None, "")
    if today < window.opens_on:
        opens = f"Opens {window.opens_on.day} {window.opens_on:%b %Y}"
        return QuarterReturn(period, opens, "grey", due, "")
    step = "Continue your return" if ret else "Start your return"
    if late:
        return QuarterReturn(period, "Late", "red", due, step, late=True)
    label = "In progress" if ret else "Not started"
    return QuarterReturn(period, label, "yellow" if ret else "grey", due, step)


def returns_by_la(
    las: list[LocalAuthority], quarters: list[Period], today: date | None = None
) -> list[tuple[LocalAuthority, list[QuarterReturn]]]:
    """For each LA, each quarter (newest first) with its status, due date and next step.
    Two queries, whatever the number of LAs and quarters."""
    today = today or timezone.localdate()
    returns = {
        (r.local_authority_id, r.period_id): r
        for r in Return.objects.filter(
            local_authority__in=las, period__in=quarters, source=Source.RETURN
        )
    }
    windows = {
        (w.region_id, w.period_id): w
        for w in ReturnWindow.objects.filter(
            region_id__in={la.region_id for la in las}, period__in=quarters
        )
    }
    return [
        (
            la,
            [
                _row(q, returns.get((la.pk, q.pk)), windows.get((la.region_id, q.pk)), today)
                for q in quarters
            ],
        )
        for la in las
    ]
