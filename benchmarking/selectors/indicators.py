"""Reads of indicators and their published values (visible to every signed-in user)."""

from django.db.models import Q, QuerySet

from accounts.models import User
from regions.scope import user_scope

from ..models import Indicator, Period, PeriodKind, Source, Value


def indicator_list(*, user: User) -> QuerySet[Indicator]:
    scope = user_scope(user)
    indicators = Indicator.objects.select_related("region")
    if scope.is_admin:
        return indicators
    return indicators.filter(Q(region__isnull=True) | Q(region_id__in=scope.region_ids))


def published_values(*, indicator: Indicator, period: Period) -> QuerySet[Value]:
    """Every LA's published value of an indicator for a year (visible to all signed-in users)."""
    return (
        Value.objects.filter(
            indicator=indicator, return_obj__period=period, return_obj__source=Source.PUBLISHED
        )
        .select_related("return_obj__local_authority__region")
        .order_by("return_obj__local_authority__region__name", "return_obj__local_authority__name")
    )


def published_years(*, indicator: Indicator) -> list[Period]:
    return list(
        Period.objects.filter(
            kind=PeriodKind.YEAR,
            returns__source=Source.PUBLISHED,
            returns__values__indicator=indicator,
        )
        .distinct()
        .order_by("-fiscal_year")
    )
