"""Benchmarking's part of the dashboard: returns that need the user."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority, Role
from regions.scope import user_scope
from sli_portal.dashboard import Item, Section

from ..models import Period, Return, ReturnWindow, Source, Status
from ..rules import region_staff_ids


def dashboard_sections(user: User) -> list[Section]:
    """Performance leads: their returns still open; region staff: returns awaiting approval."""
    scope = user_scope(user)
    staff = region_staff_ids(user)
    lead_las = scope.las_with_role(Role.PERFORMANCE_LEAD)
    if not lead_las and not staff:
        return []
    today = timezone.localdate()
    windows = _open_windows(today, staff, {scope.la_region_ids[la] for la in lead_las})
    if not windows:
        return []
    returns = (
        {
            (r.local_authority_id, r.period_id): r
            for r in Return.objects.filter(
                source=Source.RETURN,
                period__in=[w.period_id for w in windows],
                local_authority_id__in=lead_las,
            )
        }
        if lead_las
        else {}
    )
    items = []
    if lead_las:
        las = LocalAuthority.objects.filter(pk__in=lead_las).order_by("name")
        for la in las:
            for window in windows:
                if window.region_id != la.region_id:
                    continue
                ret = returns.get((la.pk, window.period_id))
                if ret and ret.status != Status.DRAFT:
                    continue
                late = today > window.due_on
                items.append(
                    Item(
                        text=f"{la.name}: {window.period.label} return",
                        url=reverse(
                            "benchmarking:return_detail",
                            kwargs={"la_slug": la.slug, "period_slug": window.period.slug},
                        ),
                        detail=f"Due {window.due_on:%-d %B %Y}"
                        + (" (draft started)" if ret else " (not started)"),
                        level="danger" if late else "warning",
                        badge="Overdue" if late else "Due",
                    )
                )
    for window in windows:
        if window.region_id not in staff:
            continue
        waiting = window.waiting  # type: ignore[attr-defined]
        if waiting:
            items.append(
                Item(
                    text=f"{window.region.name} {window.period.label}: {waiting} returns to approve",
                    url=reverse(
                        "benchmarking:completeness",
                        kwargs={
                            "region_slug": window.region.slug,
                            "period_slug": window.period.slug,
                        },
                    ),
                    badge="To approve",
                    level="info",
                )
            )
    return [Section(title="Quarterly data returns", items=items, empty_text="No returns need you.")]


def _open_windows(today, staff, lead_region_ids: set[int]) -> list[ReturnWindow]:
    """Windows open today in the user's regions; for region staff each carries `waiting`, its
    region's returns awaiting approval, counted in the same query."""
    windows = ReturnWindow.objects.filter(
        opens_on__lte=today, locks_on__gte=today, region_id__in=set(staff) | lead_region_ids
    ).select_related("period", "region")
    if staff:
        waiting_returns = (
            Return.objects.filter(
                source=Source.RETURN,
                status=Status.SUBMITTED,
                period_id=OuterRef("period_id"),
                local_authority__region_id=OuterRef("region_id"),
            )
            .order_by()
            .values("period_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        windows = windows.annotate(waiting=Coalesce(Subquery(waiting_returns), 0))
    return list(windows)


def dashboard_rows(user: User) -> list:
    """What dashboard_sections reads (sli_portal.dashboard): the return windows of the user's
    regions, the returns of their periods in those regions, and the periods."""
    scope = user_scope(user)
    regions = set(region_staff_ids(user)) | {
        scope.la_region_ids[la] for la in scope.las_with_role(Role.PERFORMANCE_LEAD)
    }
    windows = ReturnWindow.objects.filter(region_id__in=regions)
    # Returns are read for the windows open today only (which those are: the windows' rows, and
    # the day, in the fragment's key).
    today = timezone.localdate()
    open_periods = windows.filter(opens_on__lte=today, locks_on__gte=today).values("period_id")
    return [
        windows,
        Return.objects.filter(local_authority__region_id__in=regions, period_id__in=open_periods),
        Period.objects.filter(pk__in=windows.values("period_id")),
    ]
