"""Reads of quarterly returns: what a user may see, a return's values and history, templates."""

from django.db.models import Q, QuerySet

from accounts.models import User
from regions.models import LocalAuthority, Region
from regions.scope import user_scope

from ..domain.validation import COLUMNS
from ..models import (
    VISIBLE_TO_REGION_STATUSES,
    ApprovalSetting,
    Indicator,
    Period,
    PeriodKind,
    Return,
    Source,
    Upload,
    Value,
)
from ..rules import region_staff_ids


def return_indicators(
    region: Region | None, among: list[Indicator] | None = None
) -> dict[str, Indicator]:
    """What a region's quarterly return asks for: the core set plus its local indicators
    (picked from `among`, every indicator already read, if given: no query)."""
    if among is not None:
        region_id = region.pk if region is not None else None
        return {
            i.code: i
            for i in among
            # as the query below: `region=None` matches indicators of no region
            if i.is_active and (i.is_core or i.region_id == region_id)
        }
    return {
        i.code: i
        for i in Indicator.objects.filter(is_active=True).filter(Q(is_core=True) | Q(region=region))
    }


def dcs_approval_required(region_id: int) -> bool:
    """Whether the region's returns are approved by the LA's DCS before the region."""
    return ApprovalSetting.objects.filter(region_id=region_id, dcs_approval=True).exists()


def return_missing(ret: Return) -> list[str]:
    """Required indicators with neither a value nor a suppression code."""
    required = [i for i in return_indicators(ret.local_authority.region).values() if i.is_required]
    given = set(ret.values.values_list("indicator_id", flat=True))
    return [i.code for i in required if i.pk not in given]


def values_visible_to(user: User) -> QuerySet[Value]:
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


def return_for(*, la: LocalAuthority, period: Period) -> Return | None:
    return (
        Return.objects.filter(local_authority=la, period=period, source=Source.RETURN)
        .select_related("submitted_by", "approved_by", "local_authority__region", "period")
        .first()
    )


def return_values(*, ret: Return | None, region: Region) -> list[tuple[Indicator, Value | None]]:
    """Each indicator of the region's return with this return's value (or None)."""
    indicators = sorted(return_indicators(region).values(), key=lambda i: i.sort_key)
    values = {}
    if ret is not None:
        values = {v.indicator_id: v for v in ret.values.select_related("updated_by")}
    return [(indicator, values.get(indicator.pk)) for indicator in indicators]


def return_status_history(ret: Return) -> QuerySet:
    return ret.history.select_related("history_user").order_by("-history_date", "-history_id")


def return_value_history(ret: Return) -> QuerySet:
    return (
        Value.history.filter(return_obj_id=ret.pk)
        .select_related("history_user", "indicator")
        .order_by("-history_date", "-history_id")
    )


def return_uploads(*, la: LocalAuthority, period: Period) -> QuerySet[Upload]:
    return Upload.objects.filter(local_authority=la, period=period).select_related("uploaded_by")[
        :10
    ]


def template_rows(*, las: list[LocalAuthority], period: Period, region: Region) -> list[list[str]]:
    """Rows of the return template, pre-filled with the current values."""
    indicators = sorted(return_indicators(region).values(), key=lambda i: i.sort_key)
    current = {
        (v.return_obj.local_authority_id, v.indicator_id): v
        for v in Value.objects.filter(
            return_obj__local_authority__in=las,
            return_obj__period=period,
            return_obj__source=Source.RETURN,
        ).select_related("return_obj")
    }
    rows = [list(COLUMNS)]
    for la in las:
        for indicator in indicators:
            rows.append(template_row(la, period, indicator, current.get((la.pk, indicator.pk))))
    return rows


def _text(number) -> str:
    return "" if number is None else format(number.normalize(), "f")


def template_row(la: LocalAuthority, period: Period, indicator: Indicator, value) -> list[str]:
    """One row of the return template (in COLUMNS order) holding `value` (or blank): what a
    file gives for it, and what the entry form checks a typed value as."""
    cells = {
        "la_code": la.gss_code,
        "la_name": la.name,
        "period": period.label,
        "indicator_code": indicator.code,
        "indicator_name": indicator.name,
        "numerator_means": indicator.numerator_label or "(not needed: give the value)",
        "numerator": _text(value.numerator) if value else "",
        "denominator_means": indicator.denominator_label or "",
        "denominator": _text(value.denominator) if value else "",
        "unit": indicator.get_unit_display(),
        "value": _text(value.value) if value else "",
        "suppression": value.suppression if value else "",
        "suppression_reason": value.suppression_reason if value else "",
        "comment": value.comment if value else "",
        "definition": indicator.definition,
    }
    return [cells[name] for name in COLUMNS]


def performance_lead_count(*, la: LocalAuthority) -> int:
    """The LA's performance leads: who is told when its return is reopened
    (``receivers.return_reopened_notify``)."""
    from regions.models import Membership, Role

    return Membership.objects.filter(local_authority=la, role=Role.PERFORMANCE_LEAD).count()


def upload_check_for(*, user, pk: int):
    """One of the user's own background file checks (None for anyone else's: 404)."""
    from ..models import UploadCheck

    return (
        UploadCheck.objects.filter(pk=pk, uploaded_by_id=getattr(user, "pk", None))
        .select_related("region", "period", "upload")
        .defer("data")
        .first()
    )
