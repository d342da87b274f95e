"""Regions' own panel on the LA page (the hub): the priorities the LA sponsors and the funding
it contributes, for those who may read the region's plan. Registered in RegionsConfig.ready()."""

from django.template.loader import render_to_string

from accounts.models import User
from sli_portal.access import can

from .models import FundingContribution, Plan, Priority


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


def plan_panel_rows(la) -> list:
    """What plan_panel reads (sli_portal.fragments): the LA's priorities, funding and plans, and
    the sponsors' names."""
    priorities = Priority.objects.filter(sponsor_la=la)
    return [
        priorities,
        FundingContribution.objects.filter(local_authority=la),
        Plan.objects.filter(region_id=la.region_id),
        User.objects.filter(pk__in=priorities.values("sponsor_id")),
    ]
