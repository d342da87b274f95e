"""A region's quarter: the benchmarking home page, the completeness grid, return windows and the
bulk file of all its LAs. Regions are public, so a user without the permission gets 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from regions.models import LocalAuthority, Region
from regions.scope import user_scope
from sli_portal import access, fragments

from .. import selectors, services
from ..domain.files import max_upload_bytes
from ..forms import UploadForm, WindowForm
from ..models import period_for_quarter
from ..rules import region_staff_ids
from ..selectors.completeness import completeness_page_rows
from ..selectors.return_overview import returns_by_la
from ..selectors.returns import upload_check_for
from ..services import upload_checks as upload_check_services
from ..uploads import limit_uploads
from .common import ISSUES_SHOWN, file_response, quarter_or_404, table_file, upload_errors


def _region(request, region_slug, act: str) -> Region:
    return access.fetch(request.user, Region, see="regions.view_region", act=act, slug=region_slug)


@login_required
def index(request):
    scope = user_scope(request.user)
    staff = region_staff_ids(request.user)
    regions = Region.objects.order_by("name")
    if not scope.is_admin:
        regions = regions.filter(pk__in=scope.region_ids | staff)
    quarters = selectors.quarters_recent()
    my_las = list(
        LocalAuthority.objects.filter(pk__in=scope.la_ids).select_related("region").order_by("name")
    )
    context = {
        "quarters": quarters,
        "regions": list(regions),
        "my_las": my_las,
        "my_returns": returns_by_la(my_las, quarters),
        "can_import": access.can(request.user, "benchmarking.import_published"),
    }
    return render(request, "benchmarking/index.html", context)


@login_required
def completeness(request, region_slug, period_slug):
    region = _region(request, region_slug, "benchmarking.view_completeness")
    period = quarter_or_404(period_slug)
    user = request.user
    # The body is kept per version of its rows and per viewer (sli_portal.fragments): on a warm
    # cache nothing below is computed.
    grid = fragments.lazy(lambda: selectors.completeness_grid(region=region, period=period))
    context = {
        "region": region,
        "period": period,
        "body": fragments.Fragment(
            request,
            "benchmarking:completeness",
            lambda: completeness_page_rows(region=region, period=period),
            rows_key=(region.pk, period.pk),
        ),
        "window": fragments.lazy(lambda: grid()[0]),
        "rows": fragments.lazy(lambda: grid()[1]),
        "totals": fragments.lazy(lambda: grid()[2]),
        # Asked every request: no query but for an analyst (their regions, rules.py), which
        # the body's stamp need not cover then (the viewer's roles are in its key).
        "can_bulk": access.can(user, "benchmarking.bulk_upload", region),
        "can_manage": access.can(user, "benchmarking.manage_windows", region),
    }
    return render(request, "benchmarking/completeness.html", context)


COMPLETENESS_COLUMNS = ["Local authority", "Status", "Timeliness", "Submitted", "Approved"]


@login_required
def completeness_export(request, region_slug, period_slug, fmt):
    region = _region(request, region_slug, "benchmarking.view_completeness")
    period = quarter_or_404(period_slug)
    _window, rows, _totals = selectors.completeness_grid(region=region, period=period)
    table = [
        [
            row.la.name,
            row.label,
            row.timeliness,
            timezone.localtime(row.ret.submitted_at) if row.ret and row.ret.submitted_at else None,
            timezone.localtime(row.ret.approved_at) if row.ret and row.ret.approved_at else None,
        ]
        for row in rows
    ]
    name = f"returns-{region.slug}-{period.slug}"
    return table_file(COMPLETENESS_COLUMNS, table, fmt=fmt, name=name, title="Returns")


@login_required
def window_edit(request, region_slug):
    region = _region(request, region_slug, "benchmarking.manage_windows")
    form = WindowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period = period_for_quarter(data["fiscal_year"], data["quarter"])
        try:
            services.window_save(
                actor=request.user,
                region=region,
                period=period,
                opens_on=data["opens_on"],
                due_on=data["due_on"],
                locks_on=data["locks_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The {period.label} return window is saved.")
            return redirect(
                "benchmarking:completeness", region_slug=region.slug, period_slug=period.slug
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "benchmarking/window_form.html", {"region": region, "form": form}, status=status
    )


@login_required
def bulk_template(request, region_slug, period_slug, fmt):
    region = _region(request, region_slug, "benchmarking.bulk_upload")
    period = quarter_or_404(period_slug)
    las = list(LocalAuthority.objects.filter(region=region, is_active=True).order_by("name"))
    rows = selectors.template_rows(las=las, period=period, region=region)
    return file_response(
        rows,
        fmt=fmt,
        name=f"returns-{region.slug}-{period.slug}",
        title=f"{region.name}: quarterly returns {period.label}",
    )


@csrf_exempt
@login_required
def bulk_upload(request, region_slug, period_slug):
    region = _region(request, region_slug, "benchmarking.bulk_upload")
    period = quarter_or_404(period_slug)
    return _bulk_upload(request, region, period, limit_uploads(request, max_upload_bytes()))


@csrf_protect
def _bulk_upload(request, region, period, size_guard):
    context = {"region": region, "period": period}
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "benchmarking/bulk_upload.html", {**context, "form": form})
    template = "benchmarking/bulk_upload.html"
    if size_guard.too_large:
        return upload_errors(
            request, [size_guard.message], template, {**context, "form": UploadForm()}
        )
    if not form.is_valid():
        issues = [e for errors in form.errors.values() for e in errors]
        return upload_errors(request, issues, template, {**context, "form": form})
    upload = form.cleaned_data["file"]
    # Checked in the background (a region's file can take seconds): the page that follows
    # polls the check. The same file sent twice at once joins the check already running.
    check, _started = upload_check_services.upload_check_start(
        actor=request.user, region=region, period=period, file_name=upload.name, data=upload.read()
    )
    return redirect("benchmarking:upload_check", pk=check.pk)


@login_required
def upload_check(request, pk):
    """A bulk file's check: checking (the row polls itself), accepted, or refused with the
    reasons in words. Only for the person who uploaded it (404 for anyone else)."""
    check = upload_check_for(user=request.user, pk=pk)
    if check is None:
        raise Http404("No such file check.")
    context = {
        "check": check,
        "issues": check.issues[:ISSUES_SHOWN],
        "issues_hidden": max(0, len(check.issues) - ISSUES_SHOWN),
    }
    if request.headers.get("HX-Request"):
        return render(request, "benchmarking/_upload_check.html", context)
    return render(request, "benchmarking/upload_check.html", context)
