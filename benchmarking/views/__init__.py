from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from regions.models import LocalAuthority, Region
from regions.scope import user_scope

from .. import exports, selectors, services
from ..files import max_upload_bytes
from ..forms import (
    CommentForm,
    LocalIndicatorForm,
    PublishedImportForm,
    ReasonForm,
    UploadForm,
    WindowForm,
)
from ..models import Period, PeriodKind, Return, Status, Value
from ..rules import region_staff_ids
from ..uploads import limit_uploads


def _period(slug: str) -> Period:
    try:
        return selectors.period_by_slug(slug)
    except Period.DoesNotExist:
        raise Http404("No such period.") from None


def _quarter(slug: str) -> Period:
    period = _period(slug)
    if period.kind != PeriodKind.QUARTER:
        raise Http404("Returns are for quarters.")
    return period


def _la(slug: str) -> LocalAuthority:
    return get_object_or_404(LocalAuthority.objects.select_related("region"), slug=slug)


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _return_url(la, period) -> str:
    return reverse(
        "benchmarking:return_detail", kwargs={"la_slug": la.slug, "period_slug": period.slug}
    )


@login_required
def index(request):
    scope = user_scope(request.user)
    staff = region_staff_ids(request.user)
    regions = Region.objects.order_by("name")
    if not scope.is_admin:
        regions = regions.filter(pk__in=scope.region_ids | staff)
    context = {
        "quarters": selectors.quarters_recent(),
        "regions": list(regions),
        "my_las": list(LocalAuthority.objects.filter(pk__in=scope.la_ids).select_related("region")),
        "can_import": request.user.has_perm("benchmarking.import_published"),
    }
    return render(request, "benchmarking/index.html", context)


@login_required
def completeness(request, region_slug, period_slug):
    region = get_object_or_404(Region, slug=region_slug)
    _require(request.user, "benchmarking.view_completeness", region)
    period = _quarter(period_slug)
    window, rows, totals = selectors.completeness_grid(region=region, period=period)
    context = {
        "region": region,
        "period": period,
        "window": window,
        "rows": rows,
        "totals": totals,
        "can_bulk": request.user.has_perm("benchmarking.bulk_upload", region),
        "can_manage": request.user.has_perm("benchmarking.manage_windows", region),
    }
    return render(request, "benchmarking/completeness.html", context)


@login_required
def window_edit(request, region_slug):
    region = get_object_or_404(Region, slug=region_slug)
    _require(request.user, "benchmarking.manage_windows", region)
    form = WindowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period = services.period_for_quarter(data["fiscal_year"], data["quarter"])
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


def _detail_context(request, la, period, **extra):
    ret = selectors.return_for(la=la, period=period)
    user = request.user
    can_edit = user.has_perm("benchmarking.edit_return", la)
    can_approve = user.has_perm("benchmarking.approve_return", la)
    if ret is None:
        if not (can_edit or user.has_perm("benchmarking.view_return", Return(local_authority=la))):
            raise PermissionDenied
    elif not user.has_perm("benchmarking.view_return", ret):
        raise PermissionDenied
    rows = selectors.return_values(ret=ret, region=la.region)
    status = ret.status if ret else None
    context = {
        "la": la,
        "period": period,
        "ret": ret,
        "rows": rows,
        "needs_comment": [v for _, v in rows if v and v.warning and not v.comment],
        "can_edit": can_edit and status in (None, Status.DRAFT),
        "can_submit": can_edit and status == Status.DRAFT,
        "can_approve": can_approve and status == Status.SUBMITTED,
        "can_lock": can_approve and status == Status.APPROVED,
        "can_reopen": user.has_perm("benchmarking.reopen_return", la)
        and status in (Status.SUBMITTED, Status.APPROVED, Status.LOCKED),
        "upload_form": UploadForm(),
        "reason_form": ReasonForm(),
        "uploads": selectors.return_uploads(la=la, period=period)
        if can_edit or can_approve
        else [],
        **extra,
    }
    return context


@login_required
def return_detail(request, la_slug, period_slug):
    la, period = _la(la_slug), _quarter(period_slug)
    return render(request, "benchmarking/return_detail.html", _detail_context(request, la, period))


@login_required
def return_history(request, la_slug, period_slug):
    la, period = _la(la_slug), _quarter(period_slug)
    ret = selectors.return_for(la=la, period=period)
    if ret is None:
        raise Http404("This return has not been started.")
    _require(request.user, "benchmarking.view_return", ret)
    context = {
        "la": la,
        "period": period,
        "ret": ret,
        "status_history": selectors.return_status_history(ret),
        "value_history": selectors.return_value_history(ret),
    }
    return render(request, "benchmarking/return_history.html", context)


def _file_response(rows, *, fmt: str, name: str, title: str) -> HttpResponse:
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


@login_required
def return_template(request, la_slug, period_slug, fmt):
    la, period = _la(la_slug), _quarter(period_slug)
    _require(request.user, "benchmarking.edit_return", la)
    rows = selectors.template_rows(las=[la], period=period, region=la.region)
    return _file_response(
        rows,
        fmt=fmt,
        name=f"return-{la.slug}-{period.slug}",
        title=f"{la.name}: quarterly return {period.label}",
    )


def _upload_errors(request, issues, template, context):
    context = {**context, "upload_issues": [str(issue) for issue in issues]}
    return render(request, template, context, status=400)


@csrf_exempt
@login_required
@require_POST
def return_upload(request, la_slug, period_slug):
    la, period = _la(la_slug), _quarter(period_slug)
    _require(request.user, "benchmarking.edit_return", la)
    return _return_upload(request, la, period, limit_uploads(request, max_upload_bytes()))


@csrf_protect
def _return_upload(request, la, period, size_guard):
    form = UploadForm(request.POST, request.FILES)
    if size_guard.too_large:
        return _upload_errors(
            request,
            [size_guard.message],
            "benchmarking/return_detail.html",
            _detail_context(request, la, period),
        )
    if not form.is_valid():
        issues = [e for errors in form.errors.values() for e in errors]
        return _upload_errors(
            request, issues, "benchmarking/return_detail.html", _detail_context(request, la, period)
        )
    upload = form.cleaned_data["file"]
    try:
        result = services.return_upload(
            actor=request.user,
            period=period,
            file_name=upload.name,
            data=upload.read(),
            local_authority=la,
        )
    except services.UploadRejected as rejected:
        return _upload_errors(
            request,
            rejected.issues,
            "benchmarking/return_detail.html",
            _detail_context(request, la, period),
        )
    text = f"File accepted: {result.values_changed} values saved."
    if result.warnings:
        text += f" {len(result.warnings)} values look unusual: explain each before submitting."
    messages.success(request, text)
    return redirect(_return_url(la, period))


def _return_action(request, la_slug, period_slug, perm, action, success, **kwargs):
    la, period = _la(la_slug), _quarter(period_slug)
    _require(request.user, perm, la)
    ret = selectors.return_for(la=la, period=period)
    if ret is None:
        raise Http404("This return has not been started.")
    try:
        action(actor=request.user, return_id=ret.pk, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render(
            request,
            "benchmarking/return_detail.html",
            _detail_context(request, la, period),
            status=400,
        )
    messages.success(request, success)
    return redirect(_return_url(la, period))


@login_required
@require_POST
def return_submit(request, la_slug, period_slug):
    return _return_action(
        request,
        la_slug,
        period_slug,
        "benchmarking.edit_return",
        services.return_submit,
        "Return submitted to the programme manager.",
    )


@login_required
@require_POST
def return_approve(request, la_slug, period_slug):
    return _return_action(
        request,
        la_slug,
        period_slug,
        "benchmarking.approve_return",
        services.return_approve,
        "Return approved: the region can now see it.",
    )


@login_required
@require_POST
def return_lock(request, la_slug, period_slug):
    return _return_action(
        request,
        la_slug,
        period_slug,
        "benchmarking.approve_return",
        services.return_lock,
        "Return locked.",
    )


@login_required
@require_POST
def return_reopen(request, la_slug, period_slug):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _return_action(
        request,
        la_slug,
        period_slug,
        "benchmarking.reopen_return",
        services.return_reopen,
        "Return reopened as a draft.",
        reason=reason,
    )


@login_required
@require_POST
def value_comment(request, la_slug, period_slug, code):
    la, period = _la(la_slug), _quarter(period_slug)
    _require(request.user, "benchmarking.edit_return", la)
    value = (
        Value.objects.filter(
            return_obj__local_authority=la, return_obj__period=period, indicator__code=code
        )
        .exclude(return_obj__source="published")
        .first()
    )
    if value is None:
        raise Http404("No such value.")
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Write a comment explaining the value.")
        services.value_comment(
            actor=request.user, value_id=value.pk, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{code}: {message}")
        return render(
            request,
            "benchmarking/return_detail.html",
            _detail_context(request, la, period),
            status=400,
        )
    messages.success(request, f"Comment saved for {code}.")
    return redirect(_return_url(la, period) + f"#value-{code}")


@login_required
def bulk_template(request, region_slug, period_slug, fmt):
    region = get_object_or_404(Region, slug=region_slug)
    _require(request.user, "benchmarking.bulk_upload", region)
    period = _quarter(period_slug)
    las = list(LocalAuthority.objects.filter(region=region, is_active=True).order_by("name"))
    rows = selectors.template_rows(las=las, period=period, region=region)
    return _file_response(
        rows,
        fmt=fmt,
        name=f"returns-{region.slug}-{period.slug}",
        title=f"{region.name}: quarterly returns {period.label}",
    )


@csrf_exempt
@login_required
def bulk_upload(request, region_slug, period_slug):
    region = get_object_or_404(Region, slug=region_slug)
    _require(request.user, "benchmarking.bulk_upload", region)
    period = _quarter(period_slug)
    return _bulk_upload(request, region, period, limit_uploads(request, max_upload_bytes()))


@csrf_protect
def _bulk_upload(request, region, period, size_guard):
    context = {"region": region, "period": period}
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if size_guard.too_large:
            return _upload_errors(
                request,
                [size_guard.message],
                "benchmarking/bulk_upload.html",
                {**context, "form": UploadForm()},
            )
        if not form.is_valid():
            issues = [e for errors in form.errors.values() for e in errors]
            return _upload_errors(
                request, issues, "benchmarking/bulk_upload.html", {**context, "form": form}
            )
        upload = form.cleaned_data["file"]
        try:
            result = services.return_upload(
                actor=request.user,
                period=period,
                file_name=upload.name,
                data=upload.read(),
                region=region,
            )
        except services.UploadRejected as rejected:
            return _upload_errors(
                request,
                rejected.issues,
                "benchmarking/bulk_upload.html",
                {**context, "form": UploadForm()},
            )
        messages.success(
            request,
            f"File accepted: {result.values_changed} values saved for "
            f"{len(result.returns)} LAs; {len(result.warnings)} values look unusual.",
        )
        return redirect(
            "benchmarking:completeness", region_slug=region.slug, period_slug=period.slug
        )
    return render(request, "benchmarking/bulk_upload.html", {**context, "form": form})


@login_required
def indicator_list(request):
    context = {
        "indicators": selectors.indicator_list(user=request.user),
        "manageable_regions": list(
            Region.objects.filter(pk__in=user_scope(request.user).managed_region_ids)
        ),
    }
    return render(request, "benchmarking/indicator_list.html", context)


@login_required
def indicator_detail(request, code):
    indicator = get_object_or_404(selectors.indicator_list(user=request.user), code=code)
    years = selectors.published_years(indicator=indicator)
    year = None
    if years:
        chosen = request.GET.get("year")
        year = next((p for p in years if str(p.fiscal_year) == chosen), years[0])
    values = list(selectors.published_values(indicator=indicator, period=year)) if year else []
    summed = [v for v in values if v.numerator is not None and v.denominator is not None]
    england = None
    if indicator.is_ratio and summed:
        england = round(
            sum(v.numerator for v in summed)
            / sum(v.denominator for v in summed)
            * indicator.multiplier,
            indicator.decimal_places,
        )
    context = {
        "indicator": indicator,
        "years": years,
        "year": year,
        "values": values,
        "england": england,
        "england_count": len(summed),
    }
    return render(request, "benchmarking/indicator_detail.html", context)


@login_required
def indicator_create(request, region_slug):
    region = get_object_or_404(Region, slug=region_slug)
    _require(request.user, "benchmarking.manage_windows", region)
    form = LocalIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data.items())
        try:
            indicator = services.indicator_create_local(
                actor=request.user, region=region, data=data
            )
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.error_list}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{indicator.code} added to {region.name}'s return.")
            return redirect("benchmarking:indicator_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "benchmarking/indicator_form.html",
        {"region": region, "form": form},
        status=status,
    )


@csrf_exempt
@login_required
def published_import(request):
    _require(request.user, "benchmarking.import_published", None)
    return _published_import(request, limit_uploads(request, PUBLISHED_MAX_BYTES))


PUBLISHED_MAX_BYTES = 20 * 1024 * 1024


@csrf_protect
def _published_import(request, size_guard):
    form = PublishedImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if size_guard.too_large:
            form = PublishedImportForm()
            form.add_error(None, size_guard.message)
            status = 400
        elif form.is_valid():
            from .files import FileRejected, decode_text

            upload = form.cleaned_data["files"]
            try:
                text = decode_text(upload.read())
                report = services.published_data_import(
                    files=[(upload.name, text)], actor=request.user
                )
            except (FileRejected, ValidationError) as error:
                messages_list = getattr(error, "messages", [str(error)])
                for message in messages_list:
                    form.add_error("files", message)
                status = 400
        else:
            status = 400
    return render(
        request,
        "benchmarking/published_import.html",
        {"form": form, "report": report},
        status=status,
    )
