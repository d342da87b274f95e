"""One LA's quarterly return: the page, its history, its template, upload, comments and the
status changes. The return is the object: those who may not see it get 404, those who see it
but may not act on it 403 (a return not started yet is an unsaved draft of the LA)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from regions.models import LocalAuthority
from sli_portal import access
from sli_portal.confirm import Confirmation, confirm_or_do
from sli_portal.listing import sorted_page
from sli_portal.templatetags.govuk import plural

from .. import selectors, services
from ..domain.files import max_upload_bytes
from ..forms import CommentForm, ReasonForm, UploadForm
from ..models import Return, Value
from ..uploads import limit_uploads
from .approval_state import approval_context
from .common import file_response, quarter_or_404, upload_errors

SEE = "benchmarking.view_return"
DETAIL = "benchmarking/return_detail.html"


def _return(request, la_slug, period_slug, *, act=None, started=False):
    """(LA, period, return) for the URL: the return saved, or an unsaved draft when not started
    (404 where `started` is asked for). 404 if the user may not see it, 403 if they may not
    `act` on it."""
    la = get_object_or_404(LocalAuthority.objects.select_related("region"), slug=la_slug)
    period = quarter_or_404(period_slug)
    ret = selectors.return_for(la=la, period=period)
    if ret is None:
        if started:
            raise Http404("This return has not been started.")
        ret = Return(local_authority=la, period=period)
    access.require_visible(request.user, ret, see=SEE, act=act)
    return la, period, ret


def _return_url(la, period) -> str:
    return reverse(
        "benchmarking:return_detail", kwargs={"la_slug": la.slug, "period_slug": period.slug}
    )


def _detail_context(request, la, period, **extra):
    ret = selectors.return_for(la=la, period=period)
    user = request.user
    subject = ret or Return(local_authority=la, period=period)
    can_edit = access.can(user, "benchmarking.edit_return", subject)
    can_approve = access.can(user, "benchmarking.approve_return", subject)
    rows = selectors.return_values(ret=ret, region=la.region)
    return {
        "la": la,
        "period": period,
        "ret": ret,
        "rows": rows,
        "needs_comment": [v for _, v in rows if v and v.warning and not v.comment],
        "can_edit": access.can(user, "benchmarking.change_return", subject),
        "can_submit": ret is not None and access.can(user, "benchmarking.submit_return", ret),
        "can_approve": access.can(user, "benchmarking.approve_submitted_return", subject),
        "can_lock": access.can(user, "benchmarking.lock_return", subject),
        "can_reopen": access.can(user, "benchmarking.reopen_closed_return", subject),
        "upload_form": UploadForm(),
        "reason_form": ReasonForm(),
        "uploads": selectors.return_uploads(la=la, period=period)
        if can_edit or can_approve
        else [],
        **approval_context(user, ret, la),
        **extra,
    }


@login_required
def return_detail(request, la_slug, period_slug):
    la, period, _ret = _return(request, la_slug, period_slug)
    return render(request, DETAIL, _detail_context(request, la, period))


@login_required
def return_history(request, la_slug, period_slug):
    la, period, ret = _return(request, la_slug, period_slug, started=True)
    context = {
        "la": la,
        "period": period,
        "ret": ret,
        "status_history": selectors.return_status_history(ret),
        "value_history": sorted_page(
            request,
            selectors.return_value_history(ret),
            sorts={
                "when": "history_date",
                "who": "history_user__full_name",
                "indicator": "indicator__code",
            },
            default="-when",
        ),
    }
    return render(request, "benchmarking/return_history.html", context)


@login_required
def return_template(request, la_slug, period_slug, fmt):
    la, period, _ret = _return(request, la_slug, period_slug, act="benchmarking.edit_return")
    rows = selectors.template_rows(las=[la], period=period, region=la.region)
    return file_response(
        rows,
        fmt=fmt,
        name=f"return-{la.slug}-{period.slug}",
        title=f"{la.name}: quarterly return {period.label}",
    )


@csrf_exempt
@login_required
@require_POST
def return_upload(request, la_slug, period_slug):
    la, period, _ret = _return(request, la_slug, period_slug, act="benchmarking.edit_return")
    return _return_upload(request, la, period, limit_uploads(request, max_upload_bytes()))


@csrf_protect
def _return_upload(request, la, period, size_guard):
    form = UploadForm(request.POST, request.FILES)
    if size_guard.too_large:
        issues = [size_guard.message]
    elif not form.is_valid():
        issues = [e for errors in form.errors.values() for e in errors]
    else:
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
            issues = rejected.issues
        else:
            text = f"File accepted: {result.values_changed} values saved."
            if result.repeated:
                text = (
                    f"This file was already accepted ({result.upload.file_name}): "
                    "nothing has changed."
                )
            if result.warnings:
                text += (
                    f" {len(result.warnings)} values look unusual: explain each before submitting."
                )
            messages.success(request, text)
            return redirect(_return_url(la, period))
    return upload_errors(request, issues, DETAIL, _detail_context(request, la, period))


def _return_action(request, la_slug, period_slug, perm, action, success, **kwargs):
    la, period, ret = _return(request, la_slug, period_slug, act=perm, started=True)
    try:
        action(actor=request.user, return_id=ret.pk, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return render(request, DETAIL, _detail_context(request, la, period), status=400)
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


def _return_crumbs(la, period, label: str) -> list:
    return [
        ("Data returns", reverse("benchmarking:index")),
        (
            f"{la.region.name} {period.label}",
            reverse(
                "benchmarking:completeness",
                kwargs={"region_slug": la.region.slug, "period_slug": period.slug},
            ),
        ),
        (la.name, _return_url(la, period)),
        (label, ""),
    ]


@login_required
def return_lock(request, la_slug, period_slug):
    """GET: "Are you sure?" (nobody can change it; only a programme manager reopens it). POST:
    lock it."""
    la, period, _ret = _return(
        request, la_slug, period_slug, act="benchmarking.approve_return", started=True
    )
    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            question=f"Are you sure you want to lock {la.name}'s return for {period.label}?",
            caption=f"Quarterly return, {period.label}",
            consequences=[
                "Nobody can change its values or upload a file for it any more.",
                "Only a programme manager can reopen it, giving a reason.",
            ],
            confirm_label="Yes, lock the return",
            cancel_url=_return_url(la, period),
            cancel_label="No, leave it approved",
            crumbs=_return_crumbs(la, period, "Lock"),
        ),
        do=lambda: _return_action(
            request,
            la_slug,
            period_slug,
            "benchmarking.approve_return",
            services.return_lock,
            "Return locked.",
        ),
    )


@login_required
def return_reopen(request, la_slug, period_slug):
    """GET (the return page's form, ?reason=...): "Are you sure?" (back to draft, who is told).
    POST: reopen it."""
    la, period, ret = _return(
        request, la_slug, period_slug, act="benchmarking.reopen_return", started=True
    )
    form = ReasonForm(request.POST if request.method == "POST" else request.GET)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if request.method != "POST" and not reason:
        context = _detail_context(request, la, period, reason_form=form)
        return render(request, DETAIL, context, status=400)

    def page() -> Confirmation:
        leads = selectors.performance_lead_count(la=la)
        return Confirmation(
            question=f"Are you sure you want to reopen {la.name}'s return for {period.label}?",
            caption=f"Quarterly return, {period.label}",
            consequences=[
                f"It goes back to draft ({ret.get_status_display().lower()} now): its "
                "approvals are cleared and the local authority can change it again.",
                "It must be submitted and approved again.",
                f"The reason is kept in its history: “{reason}”.",
            ],
            notified=[
                f"{la.name}'s {plural(leads, 'performance lead,performance leads')}, by a "
                "notification giving the reason"
            ]
            if leads
            else [],
            confirm_label="Yes, reopen the return",
            cancel_url=_return_url(la, period),
            hidden={"reason": reason},
            crumbs=_return_crumbs(la, period, "Reopen"),
        )

    return confirm_or_do(
        request,
        page=page,
        do=lambda: _return_action(
            request,
            la_slug,
            period_slug,
            "benchmarking.reopen_return",
            services.return_reopen,
            "Return reopened as a draft.",
            reason=reason,
        ),
    )


@login_required
@require_POST
def value_comment(request, la_slug, period_slug, code):
    la, period, ret = _return(request, la_slug, period_slug, act="benchmarking.edit_return")
    value = Value.objects.filter(return_obj_id=ret.pk, indicator__code=code).first()
    if ret.pk is None or value is None:
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
        return render(request, DETAIL, _detail_context(request, la, period), status=400)
    messages.success(request, f"Comment saved for {code}.")
    return redirect(_return_url(la, period) + f"#value-{code}")
