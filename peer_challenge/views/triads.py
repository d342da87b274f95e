"""Triad pages: propose, edit and confirm an annual cycle's triads, and pairing rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sli_portal.confirm import Confirmation, confirm_or_do
from sli_portal.forms import add_validation_error
from sli_portal.templatetags.govuk import plural

from ..forms import (
    ConstraintForm,
    TriadEditForm,
)
from ..selectors import confirmations as confirmation_selectors
from ..selectors.triads import cycle_triads
from ..services import triads as services
from ._common import cycle_for, flash_error


@login_required
def triads(request, pk):
    cycle = cycle_for(request, pk, "peer_challenge.manage_cycle")
    triad_list = cycle_triads(cycle)
    form = TriadEditForm(request.POST or None, triads=triad_list)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.triads_update(
                    actor=request.user, cycle=cycle, assignment=form.assignment()
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Your changes to the triads are saved.")
                return redirect("peer_challenge:triads", pk=cycle.pk)
        status = 400
    context = {
        "cycle": cycle,
        "triads": triad_list,
        "form": form,
        "constraint_form": ConstraintForm(region=cycle.region),
        "constraints": cycle.pairing_constraints.select_related("first", "second"),
        "explanation": cycle.triads_explanation,
    }
    return render(request, "peer_challenge/triads.html", context, status=status)


@login_required
def triads_propose(request, pk):
    """GET: "Are you sure?" (generating again replaces the proposal and its edits). POST:
    generate. The first proposal replaces nothing and is posted straight from the triads page."""
    cycle = cycle_for(request, pk, "peer_challenge.manage_cycle")
    back = reverse("peer_challenge:triads", kwargs={"pk": cycle.pk})

    def propose():
        try:
            explanation = services.triads_propose(actor=request.user, cycle=cycle)
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(
                request,
                f"Triads proposed with {explanation['repeat_count']} repeated pairing(s). "
                "Check them, edit if needed, then confirm.",
            )
        return redirect(back)

    def page() -> Confirmation:
        triads, las = confirmation_selectors.triads_confirm_preview(cycle=cycle)
        return Confirmation(
            question=f"Are you sure you want to generate the triads for {cycle.title} again?",
            caption=cycle.title,
            consequences=[
                f"The proposed {plural(triads, 'triad,triads')} of "
                f"{plural(las, 'local authority,local authorities')} "
                f"{'is' if triads == 1 else 'are'} replaced by a new proposal, following the "
                "generator's rules.",
                "Any changes you made to them by hand are lost.",
            ],
            confirm_label="Yes, generate the triads again",
            cancel_url=back,
            cancel_label="No, keep these triads",
            crumbs=[
                ("Peer challenge", reverse("peer_challenge:index")),
                (cycle.title, cycle.get_absolute_url()),
                ("Triads", back),
                ("Generate again", ""),
            ],
        )

    return confirm_or_do(request, page=page, do=propose)


@login_required
def triads_confirm(request, pk):
    """GET: "Are you sure?" (the triads are fixed and shown to the region). POST: confirm."""
    cycle = cycle_for(request, pk, "peer_challenge.manage_cycle")
    back = reverse("peer_challenge:triads", kwargs={"pk": cycle.pk})

    def confirm():
        try:
            services.triads_confirm(actor=request.user, cycle=cycle)
        except ValidationError as error:
            flash_error(request, error)
            return redirect(back)
        messages.success(request, "The triads are confirmed and visible to the region.")
        return redirect(cycle)

    def page() -> Confirmation:
        triads, las = confirmation_selectors.triads_confirm_preview(cycle=cycle)
        return Confirmation(
            question=f"Are you sure you want to confirm the triads for {cycle.title}?",
            caption=cycle.title,
            consequences=[
                f"The {plural(triads, 'triad,triads')} of "
                f"{plural(las, 'local authority,local authorities')} "
                f"{'becomes' if triads == 1 else 'become'} final: everyone in the region can see "
                "who challenges whom.",
                "Nobody can edit or generate the triads again, or add rules for the generator.",
            ],
            irreversible="You cannot undo this: confirmed triads cannot be changed.",
            confirm_label="Yes, confirm the triads",
            cancel_url=back,
            cancel_label="No, keep editing",
            crumbs=[
                ("Peer challenge", reverse("peer_challenge:index")),
                (cycle.title, cycle.get_absolute_url()),
                ("Triads", back),
                ("Confirm", ""),
            ],
        )

    return confirm_or_do(request, page=page, do=confirm)


@login_required
@require_POST
def constraint_add(request, pk):
    cycle = cycle_for(request, pk, "peer_challenge.manage_cycle")
    form = ConstraintForm(request.POST, region=cycle.region)
    if form.is_valid():
        try:
            services.pairing_constraint_add(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, "The rule is saved. Generate the triads again to apply it.")
    else:
        messages.error(request, "Choose a rule and two local authorities.")
    return redirect("peer_challenge:triads", pk=cycle.pk)
