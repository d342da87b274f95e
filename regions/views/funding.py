"""Pages for a plan's funding: contributions per year, and recording, editing, deleting them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from sli_portal.access import can, fetch
from sli_portal.confirm import confirm_or_do

from ..forms.plans import FundingForm
from ..models import FundingContribution, Plan
from ..selectors import funding as selectors
from ..services import funding as services
from .pages import deletion, form_page, plan_crumbs, try_service


@login_required
def funding_list(request, pk):
    plan = fetch(
        request.user, Plan.objects.select_related("region"), see="regions.view_plan", pk=pk
    )
    context = {
        "plan": plan,
        "funding": selectors.funding_summary(plan=plan),
        "can_edit": can(request.user, "regions.change_plan", plan),
        "crumbs": plan_crumbs(plan, ("Funding", "")),
    }
    return render(request, "regions/plan/funding_list.html", context)


@login_required
def funding_create(request, pk):
    plan = fetch(
        request.user,
        Plan.objects.select_related("region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    form = FundingForm(request.POST or None, plan=plan)
    back = reverse("regions:funding_list", kwargs={"pk": plan.pk})
    if (
        request.method == "POST"
        and form.is_valid()
        and try_service(
            request,
            form,
            lambda: services.funding_record(actor=request.user, plan=plan, **form.cleaned_data),
        )
    ):
        messages.success(request, "Contribution recorded.")
        return redirect(back)
    return form_page(
        request,
        form,
        title="Record a contribution",
        crumbs=plan_crumbs(plan, ("Funding", back), ("Record a contribution", "")),
        cancel_url=back,
        submit="Record",
    )


@login_required
def funding_update(request, pk):
    contribution = fetch(
        request.user,
        FundingContribution.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    plan = contribution.plan
    back = reverse("regions:funding_list", kwargs={"pk": plan.pk})
    initial = {
        f: getattr(contribution, f)
        for f in ("financial_year", "source", "description", "amount", "status")
    }
    initial["local_authority"] = contribution.local_authority_id
    form = FundingForm(request.POST or None, plan=plan, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and try_service(
            request,
            form,
            lambda: services.funding_update(
                actor=request.user, contribution=contribution, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Contribution saved.")
        return redirect(back)
    return form_page(
        request,
        form,
        title="Edit contribution",
        crumbs=plan_crumbs(plan, ("Funding", back), ("Edit contribution", "")),
        cancel_url=back,
    )


@login_required
def funding_delete(request, pk):
    contribution = fetch(
        request.user,
        FundingContribution.objects.select_related("plan__region", "local_authority"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    plan = contribution.plan
    back = reverse("regions:funding_list", kwargs={"pk": plan.pk})

    def delete():
        services.funding_delete(actor=request.user, contribution=contribution)
        messages.success(request, "Contribution deleted.")
        return redirect(back)

    return confirm_or_do(
        request,
        page=lambda: deletion(
            title="Delete contribution",
            question=f"Delete the contribution {contribution}?",
            consequences=["The plan's funding totals no longer include it."],
            cancel_url=back,
            crumbs=plan_crumbs(plan, ("Funding", back), ("Delete", "")),
        ),
        do=delete,
    )
