"""What the benchmarking views share: periods from the URL, file responses, upload errors."""

import csv
import io
import secrets

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .. import exports, table_exports
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


def table_file(header, rows, *, fmt: str, name: str, title: str) -> HttpResponse:
    """A page's table as a CSV or an XLSX (typed numbers and dates) download."""
    if fmt == "xlsx":
        body = table_exports.table_xlsx(header, rows, title=title)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        body = table_exports.table_csv(header, rows)
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404("Exports are CSV or XLSX.")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# A refused file's page lists this many problems; the full list is a CSV download.
ISSUES_SHOWN = 200
ISSUES_KEPT_SECONDS = 60 * 60
ISSUES_COLUMNS = ["row", "cell", "column", "problem"]


def _issue_row(issue) -> list:
    if getattr(issue, "message", None) is None:
        return ["", "", "", str(issue)]
    return [issue.row or "", issue.cell, issue.column, issue.message]


def upload_errors(request: HttpRequest, issues, template: str, context: dict) -> HttpResponse:
    """The page again with the file's problems: the first ISSUES_SHOWN, the number of the rest
    and, when there are more, a link to all of them as CSV (kept for the user for an hour)."""
    issues = list(issues)
    extra = {
        "upload_issues": [str(issue) for issue in issues[:ISSUES_SHOWN]],
        "upload_issue_count": len(issues),
        "upload_issues_hidden": max(0, len(issues) - ISSUES_SHOWN),
    }
    if len(issues) > ISSUES_SHOWN:
        token = secrets.token_urlsafe(16)
        rows = [_issue_row(issue) for issue in issues]
        cache.set(f"upload-issues:{token}", (request.user.pk, rows), ISSUES_KEPT_SECONDS)
        extra["upload_issues_url"] = reverse("benchmarking:upload_issues", kwargs={"token": token})
    return render(request, template, {**context, **extra}, status=400)


@login_required
def upload_issues(request: HttpRequest, token: str) -> HttpResponse:
    """Every problem of a refused file as CSV, for the user who uploaded it (404 for anyone
    else, or once the list has expired)."""
    kept = cache.get(f"upload-issues:{token}")
    if kept is None or kept[0] != request.user.pk:
        raise Http404("No such list of problems (they are kept for an hour).")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ISSUES_COLUMNS)
    writer.writerows([_safe(value) for value in row] for row in kept[1])
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="upload-problems.csv"'
    return response


def _safe(value):
    """A cell Excel will not run as a formula (the messages quote what the file held)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
