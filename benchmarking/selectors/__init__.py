"""Reads for benchmarking pages. Each selector returns only what its user may see."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from regions.models import LocalAuthority, Role
from regions.scope import user_scope
from sli_portal.dashboard import Item, Section

from ..models import (
    VISIBLE_TO_REGION_STATUSES,
    Indicator,
    Period,
    PeriodKind,
    Return,
    ReturnWindow,
    Source,
    Status,
    Upload,
    Value,
)
from ..rules import region_staff_ids
from ..services import return_indicators


def values_visible_to(user):
    """Every Value the user may see: published figures for all; quarterly values of their own
    LAs, of regions they manage or analyse, and of their region's LAs once approved.

    Reports build on this so permission logic lives in one place."""
    scope = user_scope(user)
    values = Value.objects.all()
    if scope.is_admin:
        return values
    if not user.is_authenticated:
        return values.none()
    return values.filter(
        Q(return_obj__source=Source.PUBLISHED)
        | Q(return_obj__local_authority_id__in=scope.la_ids)
        | Q(return_obj__local_authority__region_id__in=region_staff_ids(user))
        | Q(
            return_obj__local_authority__region_id__in=scope.region_ids,
            return_obj__status__in=VISIBLE_TO_REGION_STATUSES,
        )
    )


def quarters_recent(limit: int = 8) -> list[Period]:
    return list(Period.objects.filter(kind=PeriodKind.QUARTER).order_by("-start")[:limit])


def period_by_slug(slug: str) -> Period:
    """'2025-q1' -> the quarter; '2024' -> the year. Raises Period.DoesNotExist."""
    year, _, quarter = slug.partition("-q")
    try:
        if quarter:
            return Period.objects.get(
                kind=PeriodKind.QUARTER, fiscal_year=int(year), quarter=int(quarter)
            )
        return Period.objects.get(kind=PeriodKind.YEAR, fiscal_year=int(year))
    except ValueError:
        raise Period.DoesNotExist from None


@dataclass
class GridRow:
    la: LocalAuthority
    ret: Return | None
    state: str  # not_started / draft / submitted / approved / locked
    label: str
    timeliness: str  # "on time" / "late" / ""


def completeness_grid(*, region, period) -> tuple[ReturnWindow | None, list[GridRow], dict]:
    """Every LA of the region with its return's status for the quarter. Three queries."""
    window = ReturnWindow.objects.filter(region=region, period=period).first()
    las = list(LocalAuthority.objects.filter(region=region, is_active=True).order_by("name"))
    returns = {
        r.local_authority_id: r
        for r in Return.objects.filter(
            period=period, source=Source.RETURN, local_authority__region=region
        ).annotate(value_count=Count("values"))
    }
    today = timezone.localdate()
    rows, totals = [], {"not_started": 0, "draft": 0, "submitted": 0, "approved": 0, "late": 0}
    for la in las:
        ret = returns.get(la.pk)
        state = ret.status if ret else "not_started"
        label = ret.get_status_display() if ret else "Not started"
        timeliness = ""
        if window:
            if ret and ret.submitted_at:
                late = timezone.localtime(ret.submitted_at).date() > window.due_on
                timeliness = "late" if late else "on time"
            elif today > window.due_on:
                timeliness = "late"
        if timeliness == "late":
            totals["late"] += 1
        totals["approved" if state == Status.LOCKED else state] += 1
        rows.append(GridRow(la=la, ret=ret, state=state, label=label, timeliness=timeliness))
    return window, rows, totals


def return_for(*, la, period) -> Return | None:
    return (
        Return.objects.filter(local_authority=la, period=period, source=Source.RETURN)
        .select_related("submitted_by", "approved_by", "local_authority__region", "period")
        .first()
    )


def return_values(*, ret: Return | None, region) -> list[tuple[Indicator, Value | None]]:
    """Each indicator of the region's return with this return's value (or None)."""
    indicators = sorted(return_indicators(region).values(), key=lambda i: i.sort_key)
    values = {}
    if ret is not None:
        values = {v.indicator_id: v for v in ret.values.select_related("updated_by")}
    return [(indicator, values.get(indicator.pk)) for indicator in indicators]


def return_status_history(ret: Return):
    return ret.history.select_related("history_user").order_by("-history_date", "-history_id")


def return_value_history(ret: Return):
    return (
        Value.history.filter(return_obj_id=ret.pk)
        .select_related("history_user", "indicator")
        .order_by("-history_date", "-history_id")
    )


def return_uploads(*, la, period):
    return Upload.objects.filter(local_authority=la, period=period).select_related("uploaded_by")[
        :10
    ]


def template_rows(*, las, period, region) -> list[list[str]]:
    """Rows of the return template, pre-filled with the current values."""
    from ..validation import COLUMNS

    indicators = sorted(return_indicators(region).values(), key=lambda i: i.sort_key)
    current = {
        (v.return_obj.local_authority_id, v.indicator_id): v
        for v in Value.objects.filter(
            return_obj__local_authority__in=las,
            return_obj__period=period,
            return_obj__source=Source.RETURN,
        ).select_related("return_obj")
    }
    rows = [COLUMNS]
    for la in las:
        for indicator in indicators:
            value = current.get((la.pk, indicator.pk))

            def text(number):
                return "" if number is None else format(number.normalize(), "f")

            rows.append(
                [
                    la.gss_code,
                    la.name,
                    period.label,
                    indicator.code,
                    indicator.name,
                    indicator.get_unit_display(),
                    text(value.value) if value else "",
                    text(value.numerator) if value else "",
                    text(value.denominator) if value else "",
                    value.suppression if value else "",
                    value.suppression_reason if value else "",
                    value.comment if value else "",
                ]
            )
    return rows


def indicator_list(*, user):
    scope = user_scope(user)
    indicators = Indicator.objects.select_related("region")
    if scope.is_admin:
        return indicators
    return indicators.filter(Q(region__isnull=True) | Q(region_id__in=scope.region_ids))


def published_values(*, indicator, period):
    """Every LA's published value of an indicator for a year (visible to all signed-in users)."""
    return (
        Value.objects.filter(
            indicator=indicator, return_obj__period=period, return_obj__source=Source.PUBLISHED
        )
        .select_related("return_obj__local_authority__region")
        .order_by("return_obj__local_authority__region__name", "return_obj__local_authority__name")
    )


def published_years(*, indicator) -> list[Period]:
    return list(
        Period.objects.filter(
            kind=PeriodKind.YEAR,
            returns__source=Source.PUBLISHED,
            returns__values__indicator=indicator,
        )
        .distinct()
        .order_by("-fiscal_year")
    )


def dashboard_sections(user) -> list[Section]:
    """Performance leads: their returns still open; region staff: returns awaiting approval."""
    scope = user_scope(user)
    staff = region_staff_ids(user)
    lead_las = scope.las_with_role(Role.PERFORMANCE_LEAD)
    if not lead_las and not staff:
        return []
    today = timezone.localdate()
    windows = list(
        ReturnWindow.objects.filter(
            opens_on__lte=today,
            locks_on__gte=today,
            region_id__in=set(staff) | {scope.la_region_ids[la] for la in lead_las},
        ).select_related("period", "region")
    )
    if not windows:
        return []
    returns = {
        (r.local_authority_id, r.period_id): r
        for r in Return.objects.filter(
            source=Source.RETURN, period__in=[w.period_id for w in windows]
        ).filter(Q(local_authority_id__in=lead_las) | Q(local_authority__region_id__in=staff))
    }
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
        waiting = sum(
            1
            for (la_id, period_id), r in returns.items()
            if period_id == window.period_id and r.status == Status.SUBMITTED
        )
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
