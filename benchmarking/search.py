"""What benchmarking offers the header's search: quarterly returns by LA and quarter ("Somerset
Q1", "Devon 2026-27 Q2"), only those the searcher may open. Registered in
BenchmarkingConfig.ready()."""

import re

from django.db.models import Q

from regions.scope import user_scope
from sli_portal.reversing import cached_reverse
from sli_portal.search import Hit
from sli_portal.search.kinds import OVERSAMPLE, visible
from sli_portal.search.text import matching

from .models import Period, Return, Source

_QUARTER = re.compile(r"\bq([1-4])\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d\d)(?:[-/](\d\d))?\b")


def _period_filter(query: str) -> tuple[str, Q]:
    """Take "Q1" and "2026" / "2026-27" out of the query as a period filter; the rest names
    the LA."""
    where = Q()
    if match := _QUARTER.search(query):
        where &= Q(period__quarter=int(match.group(1)))
        query = _QUARTER.sub(" ", query)
    if match := _YEAR.search(query):
        where &= Q(period__fiscal_year=int(match.group(1)))
        query = _YEAR.sub(" ", query)
    return " ".join(query.split()), where


def _returns(user):
    scope = user_scope(user)
    returns = Return.objects.filter(source=Source.RETURN)
    if not scope.is_admin:
        returns = returns.filter(local_authority__region_id__in=scope.region_ids)
    return returns


def _reads(user):
    from regions.models import LocalAuthority, Region

    return [
        _returns(user),
        Period.objects.all(),
        LocalAuthority.objects.all(),
        Region.objects.all(),
    ]


def find_returns(user, query: str, limit: int) -> list[Hit]:
    la_name, period = _period_filter(query)
    if len(la_name) < 2:
        return []
    returns = _returns(user).filter(period).select_related("local_authority__region", "period")
    rows = matching(returns, la_name, names=("local_authority__name",)).order_by(
        "-rank", "-period__start", "pk"
    )[: limit * OVERSAMPLE]
    return [
        Hit(
            f"{r.local_authority.name} {r.period.label}",
            cached_reverse(
                "benchmarking:return_detail",
                la_slug=r.local_authority.slug,
                period_slug=r.period.slug,
            ),
            f"Return · {r.get_status_display()}",
        )
        for r in visible(user, rows, "benchmarking.view_return", limit)
    ]


def register() -> None:
    from sli_portal import search

    search.register("Returns", find_returns, order=70, reads=_reads)
