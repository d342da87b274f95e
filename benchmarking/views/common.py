"""What the benchmarking views share: periods from the URL, file responses, upload errors."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import exports
from ..models import Period, PeriodKind
from ..selectors import period_by_slug


def period_or_404(slug: str) -> Period:
    try:
        return period_by_slug(slug)
    except Period.DoesNotExist:
        raise Http404("No such period.") from None


def quarter_or_404(slug: str) -> Period:
    period = period_or_404(slug)
    if period.kind != PeriodKind.QUARTER:
        raise Http404("Returns are for quarters.")
    return period


def file_response(rows, *, fmt: str, name: str, title: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Templates are XLSX or CSV.")
    if fmt == "xlsx":
        body = exports.template_xlsx(rows, title=title)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.template_csv(rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def upload_errors(request: HttpRequest, issues, template: str, context: dict) -> HttpResponse:
    context = {**context, "upload_issues": [str(issue) for issue in issues]}
    return render(request, template, context, status=400)
