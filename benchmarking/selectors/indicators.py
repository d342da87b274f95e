"""Reads of indicators and their published values (visible to every signed-in user)."""

from django.db.models import Q, QuerySet

from accounts.models import User

from ..models import Indicator, Period, PeriodKind, Source, Value
from ..rules import local_indicator_region_ids


def indicator_list(*, user: User) -> QuerySet[Indicator]:
    """The shipped indicators and the local ones the user may see (`benchmarking.read_indicator`)."""
    indicators = Indicator.objects.select_related("region")
    region_ids = local_indicator_region_ids(user)
    if region_ids is None:
        return indicators
    return indicators.filter(Q(region__isnull=True) | Q(region_id__in=region_ids))


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
