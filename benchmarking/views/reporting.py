"""A region's reporting rate: each LA's returns on time across quarters, as a page, CSV or
XLSX. For everyone in the region (as the completeness grid); others get 403."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .. import exports
from ..selectors.reporting import region_reporting_rate
from .regions import _region

PERM = "benchmarking.view_completeness"
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def reporting_rate(request, region_slug):
    region = _region(request, region_slug, PERM)
    table = region_reporting_rate(region=region)
    return render(request, "benchmarking/reporting/rate.html", {"region": region, "table": table})


@login_required
def reporting_rate_export(request, region_slug, fmt):
    region = _region(request, region_slug, PERM)
    if fmt not in TYPES:
        raise Http404("The reporting rate is a CSV or XLSX file.")
    table = region_reporting_rate(region=region)
    body = exports.reporting_rate_csv(table) if fmt == "csv" else exports.reporting_rate_xlsx(table)
    response = HttpResponse(body, content_type=TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="reporting-rate-{region.slug}.{fmt}"'
    return response
