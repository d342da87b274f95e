"""Findings: record one, and propose a regional theme for the next plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sli_portal import access
from sli_portal.forms import add_validation_error

from ..forms import FindingForm
from ..models import Finding
from ..services import findings as services
from ._common import cycle_for, flash_error


@login_required
def finding_create(request, pk):
    cycle = cycle_for(request, pk, "peer_challenge.manage_cycle")
    form = FindingForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_create(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The finding is recorded.")
            return redirect(cycle)
    return render(
        request,
        "peer_challenge/finding_form.html",
        {"cycle": cycle, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def finding_promote(request, pk):
    finding = get_object_or_404(Finding.objects.select_related("cycle"), pk=pk)
    access.require_visible(
        request.user,
        finding.cycle,
        see="peer_challenge.view_cycle",
        act="peer_challenge.manage_cycle",
    )
    try:
        services.finding_promote(actor=request.user, finding=finding)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(
            request,
            "The theme is on the region's plans page as a candidate priority for the next plan.",
        )
    return redirect(finding.cycle)
