"""Reads for the reporting-rate page: a region's windows, LAs and when each return was
submitted."""

import datetime

from django.utils import timezone

from regions.models import LocalAuthority, Region

from ..domain.reporting import Quarter, ReportingRate, reporting_rate
from ..models import Return, ReturnWindow, Source

QUARTERS_SHOWN = 8


def region_reporting_rate(
    *, region: Region, today: datetime.date | None = None, quarters: int = QUARTERS_SHOWN
) -> ReportingRate:
    """Each active LA of the region across its last `quarters` return windows. Three queries."""
    today = today or timezone.localdate()
    windows = list(
        ReturnWindow.objects.filter(region=region)
        .select_related("period")
        .order_by("-period__end")[:quarters]
    )[::-1]
    las = list(
        LocalAuthority.objects.filter(region=region, is_active=True)
        .order_by("name")
        .values_list("gss_code", "name")
    )
    submitted = {}
    rows = Return.objects.filter(
        source=Source.RETURN,
        local_authority__region=region,
        period__in=[w.period for w in windows],
        submitted_at__isnull=False,
    ).values_list(
        "local_authority__gss_code", "period__fiscal_year", "period__quarter", "submitted_at"
    )
    labels = {(w.period.fiscal_year, w.period.quarter): w.period.label for w in windows}
    for code, year, quarter, submitted_at in rows:
        submitted[(code, labels[(year, quarter)])] = timezone.localtime(submitted_at).date()
    return reporting_rate(
        region=region.name,
        quarters=[Quarter(w.period.label, w.due_on) for w in windows],
        las=las,
        submitted=submitted,
        today=today,
    )
