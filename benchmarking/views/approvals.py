"""The optional second approval level: the region's setting (programme manager) and the
LA's DCS approving a submitted return before the region does."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..models import ApprovalSetting
from .regions import _region
from .returns import _return_action


@login_required
@require_POST
def return_la_approve(request, la_slug, period_slug):
    return _return_action(
        request,
        la_slug,
        period_slug,
        "benchmarking.la_approve_return",
        services.return_la_approve,
        "Return approved by the DCS: the programme manager can now approve it for the region.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def approval_setting(request, region_slug):
    region = _region(request, region_slug, "benchmarking.manage_windows")
    if request.method == "POST":
        on = request.POST.get("dcs_approval") == "yes"
        services.approval_setting_save(actor=request.user, region=region, dcs_approval=on)
        messages.success(
            request,
            "Each LA's DCS now approves its return before you do."
            if on
            else "Returns are now approved by the region alone.",
        )
        return redirect(reverse("benchmarking:approval_setting", args=[region.slug]))
    setting = ApprovalSetting.objects.filter(region=region).first()
    context = {"region": region, "dcs_approval": bool(setting and setting.dcs_approval)}
    return render(request, "benchmarking/approvals/setting.html", context)
