"""Pages for candidate priorities for a region's next plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse

from sli_portal.access import fetch

from ..forms.candidates import AdoptForm
from ..models import CandidatePriority
from ..services import candidates as services
from .pages import form_page, try_service


@login_required
def candidate_priority_adopt(request, pk):
    """Adopt a candidate priority straight into a theme of one of the region's plans."""
    candidate = fetch(
        request.user,
        CandidatePriority.objects.select_related("region", "adopted_as__plan"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    region = candidate.region
    list_url = reverse("regions:plan_list", kwargs={"slug": region.slug})
    form = AdoptForm(request.POST if request.method == "POST" else None, region=region)
    if request.method == "POST" and form.is_valid():
        priority = try_service(
            request,
            form,
            lambda: services.candidate_priority_adopt(
                actor=request.user, candidate=candidate, theme=form.cleaned_data["theme"]
            ),
        )
        if priority:
            messages.success(
                request,
                f"“{candidate.title}” is now priority {priority.number} of {priority.plan}.",
            )
            return redirect(priority)
    intro = f"{candidate.title}. Source: {candidate.source_label}."
    if candidate.adopted_as_id:
        intro += (
            f" Already adopted as priority {candidate.adopted_as.number} "
            f"of {candidate.adopted_as.plan}."
        )
    return form_page(
        request,
        form,
        title="Adopt a candidate priority",
        intro=intro,
        crumbs=[
            (region.name, region.get_absolute_url()),
            ("Plans", list_url),
            ("Adopt a candidate priority", ""),
        ],
        cancel_url=list_url,
        submit="Adopt into the plan",
    )
