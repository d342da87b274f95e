"""Regions' own panel on the LA page (the hub): the priorities the LA sponsors and the funding
it contributes, for those who may read the region's plan. Registered in RegionsConfig.ready()."""

from django.template.loader import render_to_string

from sli_portal.access import can

from .models import FundingContribution, Priority


def plan_panel(request, la) -> str | None:
    if not can(request.user, "regions.view_plan", la):
        return None
    priorities = list(
        Priority.objects.filter(sponsor_la=la, plan__is_current=True)
        .select_related("plan", "sponsor")
        .order_by("number")
    )
    funding = list(
        FundingContribution.objects.filter(local_authority=la)
        .select_related("plan")
        .order_by("-financial_year", "pk")[:10]
    )
    return render_to_string(
        "regions/_la_plan_panel.html",
        {"la": la, "priorities": priorities, "funding": funding},
        request=request,
    )
