"""Reads around a report page: the periods it offers a user, its LA columns and pinned LA, who
may see it, its stored builds, and the data stamp its cached fragments are keyed by. The report
itself is read in ``selectors/reports.py``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import Combinable

from benchmarking.models import (
    VISIBLE_TO_REGION_STATUSES,
    Indicator,
    IndicatorSet,
    Period,
    PeriodKind,
    PublishedFigure,
    ReportBuild,
    Return,
    Source,
    Value,
)
from benchmarking.rules import ReportTarget
from regions.models import LocalAuthority, OfstedInspection, Region, StatisticalNeighbour
from regions.scope import user_scope
from sli_portal.access import can
from sli_portal.memo import ProcessMemo

from .reports import TREND_YEARS

# --- periods -----------------------------------------------------------------------------------


def _offered_periods(region: Region, with_quarters: bool) -> Q | Combinable:
    """Which periods a report offers: published years with data, and `with_quarters` (for the
    region's own people and administrators) its quarters with approved returns."""
    # EXISTS per period (an index probe each) rather than DISTINCT over a join of every return.
    published = Q(kind=PeriodKind.YEAR) & Exists(
        Return.objects.filter(period=OuterRef("pk"), source=Source.PUBLISHED)
    )
    condition: Q | Combinable = published
    if with_quarters:
        quarterly = Q(kind=PeriodKind.QUARTER) & Exists(
            Return.objects.filter(
                period=OuterRef("pk"),
                source=Source.RETURN,
                status__in=VISIBLE_TO_REGION_STATUSES,
                local_authority__region=region,
            )
        )
        condition = published | quarterly
    return condition


def _with_quarters(user, region: Region) -> bool:
    scope = user_scope(user)
    return scope.is_admin or scope.in_region(region.pk)


def report_periods(user, region: Region) -> list[Period]:
    """Periods with data in the region's reports that ``user`` may see, newest first."""
    condition = _offered_periods(region, _with_quarters(user, region))
    return list(Period.objects.filter(condition).order_by("-end", "kind"))


# (region id, with quarters, fiscal year, quarter) -> the probe's SQL and parameters, this
# process's copy (building the query costs more than running it).
_probes = ProcessMemo(max_items=4096)
# (the same, the data stamp of a report page's tables) -> the probe's answer (a period's id and
# fields, or None): never stale, as any write to the periods, returns or LAs changes the stamp.
_offered = ProcessMemo(max_items=4096)
_NOT_OFFERED = "not offered"


def offered_period(user, region: Region, slug: str, *, stamp: str | None = None) -> Period | None:
    """The period of ``slug`` if it is among ``report_periods(user, region)``, else None: one
    probe of that period, not the list (a page asked for a period reads only this). With
    `stamp`, the data stamp of a report page's body (``REPORT_PAGE_MODELS``, which covers what
    the probe reads), the answer is kept in this process under it: a warm page asks nothing."""
    fiscal, _, quarter = slug.partition("-q")
    try:
        lookup = {"fiscal_year": int(fiscal), "quarter": int(quarter) if quarter else None}
    except ValueError:
        return None
    with_quarters = _with_quarters(user, region)
    key = (region.pk, with_quarters, lookup["fiscal_year"], lookup["quarter"])
    if stamp is not None:
        found = _offered.get((key, stamp))
        if found is not None:
            # A copy each time: no request shares (or changes) another's instance.
            return None if found == _NOT_OFFERED else Period(**found)
    probe = _probes.get(key)
    if probe is None:
        query = Period.objects.filter(_offered_periods(region, with_quarters), **lookup)
        probe = query.order_by("pk")[:1].query.sql_with_params()
        _probes.set(key, probe)
    period = next(iter(Period.objects.raw(*probe)), None)
    if stamp is not None:
        fields = (
            {
                field.attname: getattr(period, field.attname)
                for field in Period._meta.concrete_fields
            }
            if period is not None
            else _NOT_OFFERED
        )
        _offered.set((key, stamp), fields)
    return period


def pick_period(
    periods: list[Period], slug: str | None, region: Region | None = None
) -> Period | None:
    """The period asked for; by default the latest well-filled quarter, else year.

    A quarter is "well filled" when at least half as many of the region's returns are approved
    or locked as in its fullest quarter: the newest quarter is usually still being returned,
    and defaulting to it would show a nearly empty rug. A year: the newest published one (each
    indicator then shows the newest year that has data for it).
    """
    if slug:
        return next((p for p in periods if p.slug == slug), None)
    if not periods:
        return None
    quarters = [p for p in periods if p.kind == PeriodKind.QUARTER]
    if quarters:
        if region is None:
            return quarters[0]
        approved = dict(
            Return.objects.filter(
                source=Source.RETURN,
                status__in=VISIBLE_TO_REGION_STATUSES,
                local_authority__region=region,
                period__in=[p.pk for p in quarters],
            )
            .values("period_id")
            .annotate(n=Count("pk"))
            .values_list("period_id", "n")
        )
        fullest = max(approved.values(), default=0)
        return next((p for p in quarters if approved.get(p.pk, 0) * 2 >= fullest), quarters[0])
    # The newest published year: an indicator with no value in it (the newest year often holds
    # only the workforce census of 30 September) shows its own newest year, labelled as DfE does.
    return periods[0]


# --- LAs, access, builds and the data stamp ----------------------------------------------------


def may_view(user, region: Region, period: Period, indicator_set: str = IndicatorSet.CORE) -> bool:
    return can(user, "benchmarking.view_report", ReportTarget(region, period, indicator_set))


def report_las(region: Region) -> list[tuple[int, str, str]]:
    """(pk, name, slug) of the region's LAs in the order the reports show them (one query)."""
    return list(
        LocalAuthority.objects.filter(region=region, is_active=True)
        .order_by("name")
        .values_list("pk", "name", "slug")
    )


def focus_la_for(user, las: list[tuple[int, str, str]], slug: str | None) -> int | None:
    """Whose neighbours the rug's pinned column averages: chosen, else the user's own LA."""
    by_slug = {la_slug: pk for pk, _, la_slug in las}
    if slug and slug in by_slug:
        return by_slug[slug]
    own = sorted(user_scope(user).la_ids & set(by_slug.values()))
    if own:
        return own[0]
    return las[0][0] if las else None


def own_la_for(user, las: list[tuple[int, str, str]]) -> int | None:
    """The viewer's own LA among the report's (pinned first on the rug), if any."""
    own = sorted(user_scope(user).la_ids & {pk for pk, _, _ in las})
    return own[0] if own else None


def data_stamp(region: Region, period: Period, *, indicator_set: str) -> str | None:
    """A fingerprint of everything ``load_inputs`` reads for the region and period, in one
    query of a few milliseconds: the rows of the region, the indicators, the LAs, the region's neighbour
    links, the periods in the trend span and every return the report reads (status and
    ``updated_at``; every service that changes a value also touches its return, and the
    database trigger of migration 0004 touches it for a value written any other way: that
    trigger is only this safety net against stale cached pages, it starts no rebuild). Any
    committed change gives a new stamp, whatever order transactions commit in, so a report
    cached under a stamp is never stale. None off PostgreSQL (the SQLite demo computes every
    time).
    The stamp also covers DfE's England/region figures and the region's Ofsted inspections.
    """
    if connection.vendor != "postgresql":
        return None
    span = TREND_YEARS + 1
    tables = {
        "indicator": Indicator._meta.db_table,
        "la": LocalAuthority._meta.db_table,
        "neighbour": StatisticalNeighbour._meta.db_table,
        "period": Period._meta.db_table,
        "return": Return._meta.db_table,
        "region": Region._meta.db_table,
        "figure": PublishedFigure._meta.db_table,
        "ofsted": OfstedInspection._meta.db_table,
    }
    sql = """
        SELECT md5(concat_ws('|',
          (SELECT g::text FROM {region} g WHERE g.id = %(region)s),
          (SELECT string_agg(i::text, ';' ORDER BY i.id) FROM {indicator} i),
          (SELECT string_agg(concat_ws(',', l.id, l.name, l.slug, l.region_id, l.is_active,
                                       l.existed_from, l.existed_until), ';'
                             ORDER BY l.id) FROM {la} l),
          (SELECT concat_ws(',', count(*), max(f.updated_at)) FROM {figure} f
            WHERE f.period_id IN (SELECT p.id FROM {period} p
                                   WHERE p.fiscal_year > %(first)s AND p.fiscal_year <= %(last)s)),
          (SELECT string_agg(o::text, ';' ORDER BY o.id) FROM {ofsted} o
             JOIN {la} l ON l.id = o.local_authority_id WHERE l.region_id = %(region)s),
          (SELECT string_agg(n::text, ';' ORDER BY n.id) FROM {neighbour} n
             JOIN {la} l ON l.id = n.local_authority_id WHERE l.region_id = %(region)s),
          (SELECT string_agg(p::text, ';' ORDER BY p.id) FROM {period} p
            WHERE p.fiscal_year > %(first)s AND p.fiscal_year <= %(last)s),
          (SELECT string_agg(concat_ws(',', r.id, r.status, r.updated_at), ';' ORDER BY r.id)
             FROM {return} r
            WHERE (r.source = %(published)s AND r.period_id IN (
                     SELECT p.id FROM {period} p WHERE p.kind = %(year)s
                        AND p.fiscal_year > %(first)s AND p.fiscal_year <= %(last)s))
               OR (r.source = %(return)s AND r.period_id IN (
                     SELECT p.id FROM {period} p
                      WHERE p.fiscal_year > %(first)s AND p.fiscal_year <= %(last)s)
                   AND r.local_authority_id IN (
                     SELECT l.id FROM {la} l WHERE l.region_id = %(region)s)))
        ))
    """.format(**tables)
    params: dict[str, str | int] = {
        "region": region.pk,
        "first": period.fiscal_year - span,
        "last": period.fiscal_year,
        "published": Source.PUBLISHED,
        "return": Source.RETURN,
        "year": PeriodKind.YEAR,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (digest,) = cursor.fetchone()
    return f"{period.pk}:{indicator_set}:{digest}"


def latest_builds(
    region: Region, period: Period, *, local_authority_id: int | None = None
) -> list[ReportBuild]:
    """The newest build of each kind for the page's download panel (one query)."""
    qs = ReportBuild.objects.filter(region=region, period=period)
    qs = (
        qs.filter(local_authority_id=local_authority_id)
        if local_authority_id
        else qs.filter(local_authority__isnull=True)
    )
    seen, out = set(), []
    for build in qs.order_by("-created_at")[:30]:
        marker = (build.kind, build.scope, build.indicator_set)
        if marker not in seen:
            seen.add(marker)
            out.append(build)
    return out


# Every table a report page's body (the rug's, the datapack's) reads: its stamp
# (sli_portal.fragments). What ``data_stamp`` covers (so what ``load_inputs`` reads: the region,
# indicators, LAs, neighbour links, periods, DfE's figures, Ofsted inspections, the returns and
# their values), the periods and returns that decide which are offered (the options: so the
# stamp covers ``offered_period``'s probe too), and the builds of the download panel.
REPORT_PAGE_MODELS = (
    Region,
    Indicator,
    LocalAuthority,
    StatisticalNeighbour,
    Period,
    PublishedFigure,
    OfstedInspection,
    Return,
    Value,
    ReportBuild,
)
