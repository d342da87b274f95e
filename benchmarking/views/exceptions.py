"""The exception report: a region's flagged figures with their narratives, as a sortable,
paginated page and as CSV/XLSX (typed cells)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from benchmarking.selectors import exceptions as exception_selectors
from benchmarking.selectors import reports as selectors
from regions.models import Region
from sli_portal import access
from sli_portal.listing import sorted_page

from .common import table_file
from .reports import _options


@login_required
def exceptions_page(request, region_slug):
    region = access.fetch(
        request.user,
        Region,
        see="regions.view_region",
        act="benchmarking.view_exceptions",  # the exception report is the region's business
        slug=region_slug,
    )
    _, period, scope, indicator_set, form = _options(request, region)
    context = {"region": region, "form": form, "period": period}
    if period is not None:
        inputs = selectors.load_inputs(region, period, scope=scope, indicator_set=indicator_set)
        rows = exception_selectors.exception_rows(request.user, inputs)
        context.update(
            rows=rows,
            listing=sorted_page(
                request, rows, sorts=exception_selectors.EXCEPTION_SORTS, default="la"
            ),
            scope=scope,
            indicator_set=indicator_set,
            missing=[r for r in rows if r.narrative is None],
        )
    return render(request, "benchmarking/reports/exceptions.html", context)


EXCEPTION_COLUMNS = ["Local authority", "Indicator", "Value", "Flag", "Narrative", "Written by"]
EXCEPTION_COLUMNS += ["Updated"]


@login_required
def exceptions_export(request, region_slug, fmt):
    """The exception report's flags (each once) with their narratives, as CSV or XLSX."""
    region = access.fetch(
        request.user,
        Region,
        see="regions.view_region",
        act="benchmarking.view_exceptions",
        slug=region_slug,
    )
    if fmt not in ("csv", "xlsx"):
        raise Http404("Exports are CSV or XLSX.")
    _, period, scope, indicator_set, _ = _options(request, region)
    if period is None:
        raise Http404("No data to export.")
    inputs = selectors.load_inputs(region, period, scope=scope, indicator_set=indicator_set)
    rows = [
        [
            r.flag.la_name,
            r.indicator.name,
            r.flag.cell.value,
            "Top 20%" if r.flag.flag == "top" else "Bottom 20%",
            r.narrative.text if r.narrative else "",
            (r.narrative.written_by.full_name if r.narrative.written_by else "")
            if r.narrative
            else "",
            timezone.localtime(r.narrative.updated_at) if r.narrative else None,
        ]
        for r in exception_selectors.exception_rows(request.user, inputs)
    ]
    name = f"exceptions-{region.slug}-{period.slug}"
    return table_file(EXCEPTION_COLUMNS, rows, fmt=fmt, name=name, title="Exceptions")
