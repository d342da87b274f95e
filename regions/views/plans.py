"""Pages for plans: the region's list, a plan, its history, print/PDF/workbook, annexes.

Thin: fetch the object for the user (404 if they may not see it, 403 if they may not act),
then a form, a service or a selector, then the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify

from sli_portal import fragments
from sli_portal.access import can, fetch
from sli_portal.confirm import confirm_or_do

from .. import exports
from ..forms.plans import AttachmentForm, PlanForm, ThemeForm
from ..models import Plan, PlanAttachment, Region
from ..scope import user_scope
from ..selectors import candidates as candidate_selectors
from ..selectors import history as history_selectors
from ..selectors import plans as selectors
from ..services import plans as services
from .pages import deletion, form_page, plan_crumbs, try_service


@login_required
def plan_home(request):
    """The main navigation's "Plans": the plans of the user's region (the first, if several)."""
    region_ids = sorted(user_scope(request.user).region_ids)
    region = Region.objects.filter(pk__in=region_ids[:1]).first()
    if region is None:
        return redirect("regions:region_list")
    return redirect("regions:plan_list", slug=region.slug)


@login_required
def plan_list(request, slug):
    region = fetch(request.user, Region, see="regions.view_plan", slug=slug)
    context = {
        "region": region,
        "plans": selectors.plans_for_region(region=region),
        "can_edit": can(request.user, "regions.add_plan", region),
        "candidates": candidate_selectors.candidate_priorities_for_region(region=region),
    }
    return render(request, "regions/plan/plan_list.html", context)


@login_required
def plan_create(request, slug):
    region = fetch(request.user, Region, see="regions.view_plan", act="regions.add_plan", slug=slug)
    form = PlanForm(request.POST or None, initial={"status": "draft"})
    if request.method == "POST" and form.is_valid():
        plan = try_service(
            request,
            form,
            lambda: services.plan_create(actor=request.user, region=region, **form.cleaned_data),
        )
        if plan:
            messages.success(
                request, f"Plan “{plan.title}” created. Add its themes and priorities."
            )
            return redirect(plan)
    crumbs = [
        (region.name, region.get_absolute_url()),
        ("Plans", reverse("regions:plan_list", kwargs={"slug": slug})),
        ("New plan", ""),
    ]
    return form_page(
        request,
        form,
        title=f"New plan for {region.name}",
        crumbs=crumbs,
        cancel_url=reverse("regions:plan_list", kwargs={"slug": slug}),
        submit="Create plan",
    )


def plan_body_context(request, plan_pk, theme_form=None, error=""):
    plan = selectors.plan_for_page(pk=plan_pk)
    return {
        "plan": plan,
        "overview": selectors.plan_overview(plan),
        "can_edit": can(request.user, "regions.change_plan", plan),
        "theme_form": theme_form or ThemeForm(),
        "error": error,
    }


@login_required
def plan_detail(request, pk):
    plan = fetch(
        request.user, Plan.objects.select_related("region"), see="regions.view_plan", pk=pk
    )
    # The body is kept per version of the plan's rows and per viewer (sli_portal.fragments): on a
    # warm cache the prefetched plan below is not read. `plan` (this one) is for the title.
    full = fragments.lazy(lambda: selectors.plan_for_page(pk=pk))
    context = {
        "plan": plan,
        "body": fragments.Fragment(
            request,
            "regions:plan_detail",
            lambda: selectors.plan_page_rows(plan),
            rows_key=(plan.pk, plan.region_id),
        ),
        "full_plan": full,
        "overview": fragments.lazy(lambda: selectors.plan_overview(full())),
        "can_edit": fragments.lazy(lambda: can(request.user, "regions.change_plan", plan)),
        "theme_form": ThemeForm(),
        "error": "",
    }
    return render(request, "regions/plan/plan_detail.html", context)


def plan_body(request, plan_pk, theme_form=None, error=""):
    """After an inline (htmx) change: the plan's body again; otherwise back to the plan page."""
    if request.htmx:
        context = plan_body_context(request, plan_pk, theme_form, error)
        return render(request, "regions/plan/_plan_body.html", context)
    if error:
        messages.error(request, error)
    return redirect("regions:plan_detail", pk=plan_pk)


@login_required
def plan_update(request, pk):
    plan = fetch(
        request.user,
        Plan.objects.select_related("region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(plan))
    if (
        request.method == "POST"
        and form.is_valid()
        and try_service(
            request,
            form,
            lambda: services.plan_update(actor=request.user, plan=plan, **form.cleaned_data),
        )
    ):
        messages.success(request, "Plan saved.")
        return redirect(plan)
    return form_page(
        request,
        form,
        title=f"Edit {plan.title}",
        crumbs=plan_crumbs(plan, ("Edit", "")),
        cancel_url=plan.get_absolute_url(),
    )


HISTORY_PAGE_SIZE = 25


@login_required
def plan_history(request, pk):
    plan = fetch(
        request.user, Plan.objects.select_related("region"), see="regions.view_plan", pk=pk
    )
    entries = history_selectors.plan_history(plan=plan)
    page_obj = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/plan/plan_history.html",
        {
            "plan": plan,
            "entries": page_obj.object_list,
            "page_obj": page_obj,
            "crumbs": plan_crumbs(plan, ("History", "")),
        },
    )


def _print_context(request, pk):
    plan, funding = selectors.plan_export_data(pk=pk)
    return {"plan": plan, "funding": funding, "overview": selectors.plan_overview(plan)}


@login_required
def plan_print(request, pk):
    fetch(request.user, Plan, see="regions.view_plan", pk=pk)
    return render(request, "regions/plan/plan_print.html", _print_context(request, pk))


@login_required
def plan_pdf(request, pk):
    plan = fetch(request.user, Plan, see="regions.view_plan", pk=pk)
    html = render_to_string(
        "regions/plan/plan_print.html",
        {**_print_context(request, pk), "for_pdf": True},
        request=request,
    )
    pdf = exports.plan_pdf(html=html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(plan.title)}.pdf"'
    return response


@login_required
def plan_xlsx(request, pk):
    plan = fetch(request.user, Plan, see="regions.view_plan", pk=pk)
    data_plan, funding = selectors.plan_export_data(pk=pk)
    updates = selectors.plan_progress_updates(plan=plan)
    content = exports.plan_xlsx(plan=data_plan, funding=funding, updates=updates)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{slugify(plan.title)}.xlsx"'
    return response


@login_required
def attachment_create(request, pk):
    plan = fetch(
        request.user,
        Plan.objects.select_related("region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        attachment = try_service(
            request,
            form,
            lambda: services.attachment_add(
                actor=request.user,
                plan=plan,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            ),
        )
        if attachment:
            messages.success(request, f"Annex “{attachment.title}” added.")
            return redirect(plan)
    return form_page(
        request,
        form,
        title="Add an annex",
        crumbs=plan_crumbs(plan, ("Add an annex", "")),
        cancel_url=plan.get_absolute_url(),
        submit="Upload",
    )


@login_required
def attachment_download(request, pk):
    # Annexes are served through this view (never from MEDIA_URL) so the plan's readers only get them.
    attachment = fetch(
        request.user, PlanAttachment.objects.select_related("plan"), see="regions.view_plan", pk=pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def attachment_delete(request, pk):
    attachment = fetch(
        request.user,
        PlanAttachment.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    plan = attachment.plan

    def delete():
        services.attachment_delete(actor=request.user, attachment=attachment)
        messages.success(request, f"Annex “{attachment.title}” deleted.")
        return redirect(plan)

    return confirm_or_do(
        request,
        page=lambda: deletion(
            title="Delete annex",
            question=f"Delete the annex “{attachment.title}”?",
            consequences=["Nobody can download the file from the plan page any more."],
            cancel_url=plan.get_absolute_url(),
            crumbs=plan_crumbs(plan, ("Delete annex", "")),
        ),
        do=delete,
    )
