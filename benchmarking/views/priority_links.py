"""Link and unlink indicators on a regional plan priority (plain POST forms on the priority
page, which regions renders; benchmarking plugs its panel in through ``regions.panels``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from regions.models import Priority
from sli_portal import access
from sli_portal.confirm import Confirmation, confirm_or_do

from ..forms import PriorityIndicatorForm
from ..models import Indicator
from ..selectors.priority_links import priority_indicator_trends
from ..services import priority_links as services

PERM = "benchmarking.link_priority_indicator"


def priority_panel(request, priority):
    """The "Indicators" panel of the priority page (registered with regions.panels)."""
    trends = priority_indicator_trends(request.user, priority)
    can_link = access.can(request.user, PERM, priority)
    if not trends and not can_link:
        return None
    form = None
    if can_link:
        form = PriorityIndicatorForm(
            region_id=priority.plan.region_id, exclude_ids=[t.indicator.pk for t in trends]
        )
    return render_to_string(
        "benchmarking/priority_indicators.html",
        {"priority": priority, "trends": trends, "can_link": can_link, "link_form": form},
        request=request,
    )


def _priority(request, pk):
    """404 for anyone who may not see the priority's plan; 403 unless they may link."""
    return access.fetch(
        request.user,
        Priority.objects.select_related("plan__region"),
        see="regions.view_plan",
        act=PERM,
        pk=pk,
    )


def _back(priority):
    return redirect(priority.get_absolute_url() + "#indicators-heading")


@login_required
@require_POST
def priority_indicator_link(request, pk):
    priority = _priority(request, pk)
    linked = priority.indicator_links.values_list("indicator_id", flat=True)
    form = PriorityIndicatorForm(
        request.POST, region_id=priority.plan.region_id, exclude_ids=linked
    )
    if form.is_valid():
        indicator = form.cleaned_data["indicator"]
        try:
            services.priority_indicator_link(
                actor=request.user, priority=priority, indicator=indicator
            )
        except ValidationError as error:
            form.add_error("indicator", error)
        else:
            messages.success(request, f"Linked {indicator.name} to this priority.")
            return _back(priority)
    return render(
        request,
        "benchmarking/priority_indicator_error.html",
        {"priority": priority, "form": form},
        status=400,
    )


@login_required
def priority_indicator_unlink(request, pk, code):
    """GET: "Are you sure?" (the priority page stops showing its trend). POST: unlink it."""
    priority = _priority(request, pk)
    indicator = access.fetch(request.user, Indicator, see="benchmarking.view_indicators", code=code)

    def unlink():
        if services.priority_indicator_unlink(
            actor=request.user, priority=priority, indicator=indicator
        ):
            messages.success(request, f"Unlinked {indicator.name} from this priority.")
        else:
            messages.info(request, f"{indicator.name} was not linked to this priority.")
        return _back(priority)

    plan = priority.plan
    back = priority.get_absolute_url() + "#indicators-heading"
    return confirm_or_do(
        request,
        page=lambda: Confirmation(
            question=f"Are you sure you want to unlink {indicator.name} from priority "
            f"{priority.number}?",
            caption=f"Priority {priority.number}: {priority.title}",
            consequences=[
                "The priority page no longer shows the indicator's trend as a measure of progress.",
                "The indicator and its data are not changed. You can link it again later.",
            ],
            confirm_label="Yes, unlink the indicator",
            cancel_url=back,
            crumbs=[
                (plan.region.name, plan.region.get_absolute_url()),
                (plan.title, plan.get_absolute_url()),
                (f"Priority {priority.number}", priority.get_absolute_url()),
                ("Unlink an indicator", ""),
            ],
        ),
        do=unlink,
    )
