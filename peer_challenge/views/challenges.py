"""Thematic and bilateral challenges, and the region's take-up of peer challenge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from sli_portal import access
from sli_portal.forms import add_validation_error

from .. import exports
from ..forms import (
    ChallengeForm,
    ChallengeUpdateForm,
)
from ..selectors.challenges import take_up as take_up_by_year
from ..services import challenges as services
from ._common import challenge_for, cycle_for, region_for


@login_required
def challenge_create(request, pk):
    cycle = cycle_for(request, pk, "peer_challenge.manage_cycle")
    form = ChallengeForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(
                actor=request.user, cycle=cycle, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"The challenge for {challenge.home_la} is recorded.")
            return redirect(cycle)
    return render(
        request,
        "peer_challenge/challenge_form.html",
        {"cycle": cycle, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_detail(request, pk):
    challenge = challenge_for(request, pk)
    return render(
        request,
        "peer_challenge/challenge_detail.html",
        {
            "challenge": challenge,
            "challengers": list(challenge.challenging_las.order_by("name")),
            "can_manage": access.can(request.user, "peer_challenge.manage_challenge", challenge),
        },
    )


@login_required
def challenge_update(request, pk):
    challenge = challenge_for(request, pk, "peer_challenge.manage_challenge")
    form = ChallengeUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "status": challenge.status,
            "date": challenge.date,
            "evaluation": challenge.evaluation,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(actor=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The challenge is updated.")
            return redirect(challenge)
    return render(
        request,
        "peer_challenge/challenge_update.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_report(request, pk):
    challenge = challenge_for(request, pk)
    if not challenge.report:
        raise Http404("No report has been uploaded.")
    return FileResponse(
        challenge.report.open("rb"),
        as_attachment=True,
        filename=challenge.report.name.rsplit("/", 1)[-1],
    )


@login_required
def take_up(request, slug):
    region = region_for(request, slug, "peer_challenge.view_region")
    years = take_up_by_year(region)
    return render(
        request,
        "peer_challenge/take_up.html",
        {"region": region, "years": years, "chart": exports.take_up_chart_svg(years)},
    )


@login_required
def take_up_export(request, slug, fmt):
    region = region_for(request, slug, "peer_challenge.view_region")
    years = take_up_by_year(region)
    if fmt == "csv":
        response = HttpResponse(exports.take_up_csv(years), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.take_up_xlsx(years, region_name=region.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="take-up-{region.slug}.{fmt}"'
    return response
