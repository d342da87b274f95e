"""The completeness grid: every LA of a region with its return's status for a quarter."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from regions.models import LocalAuthority, Region

from ..models import Period, Return, ReturnWindow, Source, Status


@dataclass
class GridRow:
    la: LocalAuthority
    ret: Return | None
    state: str  # not_started / draft / submitted / approved / locked
    label: str
    timeliness: str  # "on time" / "late" / ""


def return_timeliness(ret: Return | None, window: ReturnWindow | None, today: date) -> str:
    """The one lateness rule: "late" if sent after the due date, or not sent (none, or a
    draft) once the due date has passed; "on time" if sent by it; "" when nothing can be said
    (no window, not yet due, or approved with no record of when it was sent)."""
    if window is None:
        return ""
    if ret is not None and ret.submitted_at:
        late = timezone.localtime(ret.submitted_at).date() > window.due_on
        return "late" if late else "on time"
    if (ret is None or ret.status == Status.DRAFT) and today > window.due_on:
        return "late"
    return ""


def completeness_grid(
    *, region: Region, period: Period
) -> tuple[ReturnWindow | None, list[GridRow], dict[str, int]]:
    """Every LA of the region with its return's status for the quarter. Three queries."""
    window = ReturnWindow.objects.filter(region=region, period=period).first()
    las = list(LocalAuthority.objects.filter(region=region, is_active=True).order_by("name"))
    returns = {
        r.local_authority_id: r
        for r in Return.objects.filter(
            period=period, source=Source.RETURN, local_authority__region=region
        )
    }
    today = timezone.localdate()
    rows, totals = [], {"not_started": 0, "draft": 0, "submitted": 0, "approved": 0, "late": 0}
    for la in las:
        ret = returns.get(la.pk)
        state = ret.status if ret else "not_started"
        label = ret.get_status_display() if ret else "Not started"
        timeliness = return_timeliness(ret, window, today)
        if timeliness == "late":
            totals["late"] += 1
        totals["approved" if state == Status.LOCKED else state] += 1
        rows.append(GridRow(la=la, ret=ret, state=state, label=label, timeliness=timeliness))
    return window, rows, totals


def completeness_page_rows(*, region: Region, period: Period) -> list[QuerySet]:
    """Every row the completeness page's body reads (sli_portal.fragments: its stamp),
    unevaluated: the region and quarter, the window, the region's LAs and their returns."""
    return [
        Region.objects.filter(pk=region.pk),
        Period.objects.filter(pk=period.pk),
        ReturnWindow.objects.filter(region=region, period=period),
        LocalAuthority.objects.filter(region=region),
        Return.objects.filter(period=period, source=Source.RETURN, local_authority__region=region),
    ]
