"""Cycle pages: the index, create a cycle, its page, its timetable, close it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from sli_portal import access
from sli_portal.confirm import Confirmation, confirm_or_do
from sli_portal.forms import add_validation_error

from ..forms import (
    CycleForm,
    CycleTimetableForm,
)
from ..selectors.challenges import cycle_challenges
from ..selectors.cycles import (
    challenge_day_places,
    cycle_progress,
    linkable_challenge_events,
    regions_for_index,
    visible_cycles,
)
from ..selectors.findings import cycle_findings
from ..selectors.self_assessments import cycle_self_assessments
from ..selectors.triads import cycle_triads
from ..services import cycles as services
from ._common import cycle_for, region_for


@login_required
def index(request):
    regions = regions_for_index(request.user)
    cycles = list(visible_cycles(request.user))
    by_region = [
        {
            "region": region,
            "cycles": [c for c in cycles if c.region_id == region.pk],
            "can_manage": access.can(request.user, "peer_challenge.manage_region", region),
        }
        for region in regions
    ]
    return render(request, "peer_challenge/index.html", {"by_region": by_region})


@login_required
def cycle_create(request, slug):
    region = region_for(request, slug, "peer_challenge.manage_region")
    form = CycleForm(request.POST or None, linkable_events=linkable_challenge_events(region))
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{cycle.title} has been created.")
            return redirect(cycle)
    status = 400 if form.errors else 200
    return render(
        request, "peer_challenge/cycle_form.html", {"region": region, "form": form}, status=status
    )


@login_required
def cycle_detail(request, pk):
    cycle = cycle_for(request, pk)
    can_manage = access.can(request.user, "peer_challenge.manage_cycle", cycle)
    context = {
        "cycle": cycle,
        "can_manage": can_manage,
        "triads": cycle_triads(cycle) if cycle.triads_confirmed or can_manage else [],
        "self_assessments": cycle_self_assessments(user=request.user, cycle=cycle),
        "progress": cycle_progress(cycle) if cycle.is_annual else None,
        "findings": cycle_findings(cycle),
        "challenges": cycle_challenges(cycle) if not cycle.is_annual else [],
        "challenge_places": challenge_day_places(cycle) if can_manage else None,
    }
    return render(request, "peer_challenge/cycle_detail.html", context)


@login_required
def cycle_edit(request, pk):
    cycle = cycle_for(request, pk, "peer_challenge.manage_cycle")
    form = CycleTimetableForm.for_cycle(cycle, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"The timetable of {cycle.title} is saved.")
            return redirect(cycle)
    status = 400 if form.errors else 200
    return render(
        request, "peer_challenge/cycle_edit.html", {"cycle": cycle, "form": form}, status=status
    )


@login_required
def cycle_close(request, pk):
    """GET: "Are you sure?" (nothing changes); POST: close the cycle."""
    cycle = cycle_for(request, pk, "peer_challenge.manage_cycle")

    def close():
        services.cycle_close(actor=request.user, cycle=cycle)
        messages.success(request, f"{cycle.title} is closed: it no longer shows on dashboards.")
        return redirect(cycle)

    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            caption=cycle.title,
            question=f"Close {cycle.title}?",
            consequences=[
                "The cycle stops showing on everyone's dashboard: no more to-dos or reminders "
                "for its self-assessments, moderation or findings.",
                "Its self-assessments, comments, triads and findings are kept and can still "
                "be read.",
            ],
            irreversible="A closed cycle cannot be opened again.",
            confirm_label="Yes, close the cycle",
            cancel_url=cycle.get_absolute_url(),
            crumbs=[
                ("Peer challenge", reverse("peer_challenge:index")),
                (cycle.title, cycle.get_absolute_url()),
                ("Close", ""),
            ],
        ),
        do=close,
    )
