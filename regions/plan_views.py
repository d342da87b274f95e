"""Pages for plans, priorities, funding, groups and votes. Thin: form -> service -> page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from django_htmx.http import retarget

from sli_portal.forms import add_validation_error

from . import exports, plan_hooks
from . import plan_selectors as selectors
from . import plan_services as services
from .models import Region
from .plan_forms import (
    ActionForm,
    ActionStatusForm,
    AttachmentForm,
    FundingForm,
    PlanForm,
    PriorityForm,
    ProgressForm,
    ThemeForm,
)
from .plan_models import (
    Action,
    FundingContribution,
    Plan,
    PlanAttachment,
    Priority,
    ProgressUpdate,
    Theme,
)


def _checked(request, queryset, perm, **lookup):
    obj = get_object_or_404(queryset, **lookup)
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def _form_page(request, form, *, title, crumbs, cancel_url, submit="Save", intro="", status=None):
    status = status or (400 if request.method == "POST" and form.errors else 200)
    return render(
        request,
        "regions/plan/form.html",
        {
            "form": form,
            "title": title,
            "crumbs": crumbs,
            "cancel_url": cancel_url,
            "submit": submit,
            "intro": intro,
            "multipart": any(f.widget.needs_multipart_form for f in form.fields.values()),
        },
        status=status,
    )


def _plan_crumbs(plan, *more):
    return [
        (plan.region.name, plan.region.get_absolute_url()),
        ("Plans", reverse("regions:plan_list", kwargs={"slug": plan.region.slug})),
        (plan.title, plan.get_absolute_url()),
        *more,
    ]


def _confirm_page(request, *, title, question, action_url, cancel_url, crumbs):
    return render(
        request,
        "regions/plan/confirm_delete.html",
        {
            "title": title,
            "question": question,
            "action_url": action_url,
            "cancel_url": cancel_url,
            "crumbs": crumbs,
        },
    )


def _try(request, form, call):
    """Run a service call; on ValidationError put the messages on the form and return None."""
    try:
        return call()
    except ValidationError as error:
        add_validation_error(form, error)
        return None


# --- plans ----------------------------------------------------------------------------------


@login_required
def plan_home(request):
    """The main navigation's "Plans": the plans of the user's region (the first, if several)."""
    from .scope import user_scope

    region_ids = sorted(user_scope(request.user).region_ids)
    region = Region.objects.filter(pk__in=region_ids[:1]).first()
    if region is None:
        return redirect("regions:region_list")
    return redirect("regions:plan_list", slug=region.slug)


@login_required
def plan_list(request, slug):
    region = _checked(request, Region, "regions.view_plan", slug=slug)
    context = {
        "region": region,
        "plans": selectors.plans_for_region(region=region),
        "can_edit": request.user.has_perm("regions.add_plan", region),
        "candidates": selectors.candidate_priorities_for_region(region=region),
    }
    return render(request, "regions/plan/plan_list.html", context)


@login_required
def plan_create(request, slug):
    region = _checked(request, Region, "regions.add_plan", slug=slug)
    form = PlanForm(request.POST or None, initial={"status": "draft"})
    if request.method == "POST" and form.is_valid():
        plan = _try(
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
    return _form_page(
        request,
        form,
        title=f"New plan for {region.name}",
        crumbs=crumbs,
        cancel_url=reverse("regions:plan_list", kwargs={"slug": slug}),
        submit="Create plan",
    )


def _plan_body_context(request, plan_pk, theme_form=None, error=""):
    plan = selectors.plan_for_page(pk=plan_pk)
    return {
        "plan": plan,
        "overview": selectors.plan_overview(plan),
        "can_edit": request.user.has_perm("regions.change_plan", plan),
        "theme_form": theme_form or ThemeForm(),
        "error": error,
    }


@login_required
def plan_detail(request, pk):
    _checked(request, Plan.objects.select_related("region"), "regions.view_plan", pk=pk)
    return render(request, "regions/plan/plan_detail.html", _plan_body_context(request, pk))


def _plan_body(request, plan_pk, theme_form=None, error=""):
    """After an inline (htmx) change: the plan's body again; otherwise back to the plan page."""
    if request.htmx:
        context = _plan_body_context(request, plan_pk, theme_form, error)
        return render(request, "regions/plan/_plan_body.html", context)
    if error:
        messages.error(request, error)
    return redirect("regions:plan_detail", pk=plan_pk)


@login_required
def plan_update(request, pk):
    plan = _checked(request, Plan.objects.select_related("region"), "regions.change_plan", pk=pk)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(plan))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request,
            form,
            lambda: services.plan_update(actor=request.user, plan=plan, **form.cleaned_data),
        )
    ):
        messages.success(request, "Plan saved.")
        return redirect(plan)
    return _form_page(
        request,
        form,
        title=f"Edit {plan.title}",
        crumbs=_plan_crumbs(plan, ("Edit", "")),
        cancel_url=plan.get_absolute_url(),
    )


@login_required
def plan_history(request, pk):
    plan = _checked(request, Plan.objects.select_related("region"), "regions.view_plan", pk=pk)
    return render(
        request,
        "regions/plan/plan_history.html",
        {
            "plan": plan,
            "entries": selectors.plan_history(plan=plan),
            "crumbs": _plan_crumbs(plan, ("History", "")),
        },
    )


def _print_context(request, pk):
    plan, funding = selectors.plan_export_data(pk=pk)
    return {"plan": plan, "funding": funding, "overview": selectors.plan_overview(plan)}


@login_required
def plan_print(request, pk):
    _checked(request, Plan, "regions.view_plan", pk=pk)
    return render(request, "regions/plan/plan_print.html", _print_context(request, pk))


@login_required
def plan_pdf(request, pk):
    plan = _checked(request, Plan, "regions.view_plan", pk=pk)
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
    plan = _checked(request, Plan, "regions.view_plan", pk=pk)
    data_plan, funding = selectors.plan_export_data(pk=pk)
    updates = (
        ProgressUpdate.objects.filter(priority__plan=plan)
        .select_related("priority", "author")
        .order_by("priority__number", "-date")
    )
    content = exports.plan_xlsx(plan=data_plan, funding=funding, updates=updates)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{slugify(plan.title)}.xlsx"'
    return response


@login_required
def attachment_create(request, pk):
    plan = _checked(request, Plan.objects.select_related("region"), "regions.change_plan", pk=pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        attachment = _try(
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
    return _form_page(
        request,
        form,
        title="Add an annex",
        crumbs=_plan_crumbs(plan, ("Add an annex", "")),
        cancel_url=plan.get_absolute_url(),
        submit="Upload",
    )


@login_required
def attachment_download(request, pk):
    # Annexes are served through this view (never from MEDIA_URL) so the plan's readers only get them.
    attachment = _checked(
        request, PlanAttachment.objects.select_related("plan"), "regions.view_plan", pk=pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def attachment_delete(request, pk):
    attachment = _checked(
        request, PlanAttachment.objects.select_related("plan__region"), "regions.change_plan", pk=pk
    )
    plan = attachment.plan
    if request.method == "POST":
        services.attachment_delete(actor=request.user, attachment=attachment)
        messages.success(request, f"Annex “{attachment.title}” deleted.")
        return redirect(plan)
    return _confirm_page(
        request,
        title="Delete annex",
        question=f"Delete the annex “{attachment.title}”?",
        action_url=request.path,
        cancel_url=plan.get_absolute_url(),
        crumbs=_plan_crumbs(plan, ("Delete annex", "")),
    )


# --- themes ---------------------------------------------------------------------------------


@login_required
@require_POST
def theme_create(request, pk):
    plan = _checked(request, Plan.objects.select_related("region"), "regions.change_plan", pk=pk)
    form = ThemeForm(request.POST)
    if form.is_valid():
        theme = _try(
            request,
            form,
            lambda: services.theme_create(actor=request.user, plan=plan, **form.cleaned_data),
        )
        if theme:
            if not request.htmx:
                messages.success(request, f"Theme “{theme.title}” added.")
            return _plan_body(request, pk)
    if request.htmx:
        return _plan_body(request, pk, theme_form=form)
    return _form_page(
        request,
        form,
        title="Add a theme",
        crumbs=_plan_crumbs(plan, ("Add a theme", "")),
        cancel_url=plan.get_absolute_url(),
    )


@login_required
def theme_update(request, pk):
    theme = _checked(
        request, Theme.objects.select_related("plan__region"), "regions.change_plan", pk=pk
    )
    form = ThemeForm(
        request.POST or None, initial={"title": theme.title, "description": theme.description}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request,
            form,
            lambda: services.theme_update(actor=request.user, theme=theme, **form.cleaned_data),
        )
    ):
        if not request.htmx:
            messages.success(request, "Theme saved.")
        return _plan_body(request, theme.plan_id)
    if request.htmx:
        # Edited in place: the form replaces the theme's heading; errors come back to it.
        response = render(request, "regions/plan/_theme_edit.html", {"theme": theme, "form": form})
        return (
            retarget(response, f"#theme-edit-{theme.pk}") if request.method == "POST" else response
        )
    return _form_page(
        request,
        form,
        title=f"Edit theme “{theme.title}”",
        crumbs=_plan_crumbs(theme.plan, ("Edit theme", "")),
        cancel_url=theme.plan.get_absolute_url(),
    )


@login_required
def theme_delete(request, pk):
    theme = _checked(
        request, Theme.objects.select_related("plan__region"), "regions.change_plan", pk=pk
    )
    plan = theme.plan
    if request.method == "POST":
        try:
            services.theme_delete(actor=request.user, theme=theme)
        except ValidationError as error:
            return _plan_body(request, plan.pk, error=" ".join(error.messages))
        if not request.htmx:
            messages.success(request, f"Theme “{theme.title}” deleted.")
        return _plan_body(request, plan.pk)
    return _confirm_page(
        request,
        title="Delete theme",
        question=f"Delete the theme “{theme.title}”?",
        action_url=request.path,
        cancel_url=plan.get_absolute_url(),
        crumbs=_plan_crumbs(plan, ("Delete theme", "")),
    )


@login_required
@require_POST
def theme_move(request, pk):
    theme = _checked(
        request, Theme.objects.select_related("plan__region"), "regions.change_plan", pk=pk
    )
    services.theme_move(
        actor=request.user, theme=theme, direction=request.POST.get("direction", "")
    )
    return _plan_body(request, theme.plan_id)


# --- priorities -----------------------------------------------------------------------------


@login_required
def priority_create(request, pk):
    plan = _checked(request, Plan.objects.select_related("region"), "regions.change_plan", pk=pk)
    form = PriorityForm(
        request.POST or None, plan=plan, initial={"theme": request.GET.get("theme")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        priority = _try(request, form, lambda: services.priority_create(actor=request.user, **data))
        if priority:
            messages.success(request, f"Priority {priority.number} “{priority.title}” added.")
            return redirect(plan)
    return _form_page(
        request,
        form,
        title="Add a priority",
        crumbs=_plan_crumbs(plan, ("Add a priority", "")),
        cancel_url=plan.get_absolute_url(),
        submit="Add priority",
    )


def _priority_context(request, pk, action_form=None):
    priority = selectors.priority_for_page(pk=pk)
    plan = priority.plan
    can_edit = request.user.has_perm("regions.change_plan", plan)
    return {
        "priority": priority,
        "plan": plan,
        "can_edit": can_edit,
        "can_record": request.user.has_perm("regions.record_progress", priority),
        "action_form": action_form or (ActionForm(region_id=plan.region_id) if can_edit else None),
        "panels": plan_hooks.priority_panels(request, priority),
        "crumbs": _plan_crumbs(plan, (f"Priority {priority.number}", "")),
    }


def _actions_section(request, priority_pk, action_form=None):
    """After an inline (htmx) change to actions: the actions section again."""
    if request.htmx:
        context = _priority_context(request, priority_pk, action_form)
        return render(request, "regions/plan/_actions.html", context)
    return redirect("regions:priority_detail", pk=priority_pk)


@login_required
def priority_detail(request, pk):
    _checked(request, Priority.objects.select_related("plan"), "regions.view_plan", pk=pk)
    return render(request, "regions/plan/priority_detail.html", _priority_context(request, pk))


@login_required
def priority_update(request, pk):
    priority = _checked(
        request, Priority.objects.select_related("plan__region"), "regions.change_plan", pk=pk
    )
    plan = priority.plan
    form = PriorityForm(request.POST or None, plan=plan, initial=PriorityForm.initial_for(priority))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request,
            form,
            lambda: services.priority_update(
                actor=request.user, priority=priority, **form.service_kwargs()
            ),
        )
    ):
        messages.success(request, "Priority saved.")
        return redirect("regions:priority_detail", pk=priority.pk)
    return _form_page(
        request,
        form,
        title=f"Edit priority {priority.number}",
        crumbs=_plan_crumbs(
            plan, (f"Priority {priority.number}", priority.get_absolute_url()), ("Edit", "")
        ),
        cancel_url=priority.get_absolute_url(),
    )


@login_required
def priority_delete(request, pk):
    priority = _checked(
        request, Priority.objects.select_related("plan__region"), "regions.change_plan", pk=pk
    )
    plan = priority.plan
    if request.method == "POST":
        services.priority_delete(actor=request.user, priority=priority)
        if not request.htmx:
            messages.success(request, f"Priority {priority.number} deleted.")
        return _plan_body(request, plan.pk)
    return _confirm_page(
        request,
        title="Delete priority",
        question=f"Delete priority {priority.number} “{priority.title}”, with its actions and progress updates?",
        action_url=request.path,
        cancel_url=plan.get_absolute_url(),
        crumbs=_plan_crumbs(plan, ("Delete priority", "")),
    )


@login_required
@require_POST
def priority_move(request, pk):
    priority = _checked(
        request, Priority.objects.select_related("plan__region"), "regions.change_plan", pk=pk
    )
    services.priority_move(
        actor=request.user, priority=priority, direction=request.POST.get("direction", "")
    )
    return _plan_body(request, priority.plan_id)


@login_required
@require_POST
def priorities_renumber(request, pk):
    plan = _checked(request, Plan.objects.select_related("region"), "regions.change_plan", pk=pk)
    changed = services.priorities_renumber(actor=request.user, plan=plan)
    messages.success(request, f"Priorities renumbered in page order ({changed} changed).")
    return redirect(plan)


@login_required
def progress_create(request, pk):
    priority = _checked(
        request, Priority.objects.select_related("plan__region"), "regions.record_progress", pk=pk
    )
    form = ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update = _try(
            request,
            form,
            lambda: services.progress_record(
                actor=request.user,
                priority=priority,
                rag=data["rag"],
                narrative=data["narrative"],
                on=data["date"],
            ),
        )
        if update:
            messages.success(request, f"Progress recorded: {update.get_rag_display()}.")
            return redirect(priority)
    return _form_page(
        request,
        form,
        title=f"Record progress on priority {priority.number}",
        intro=priority.title,
        crumbs=_plan_crumbs(
            priority.plan,
            (f"Priority {priority.number}", priority.get_absolute_url()),
            ("Record progress", ""),
        ),
        cancel_url=priority.get_absolute_url(),
        submit="Record progress",
    )


# --- actions --------------------------------------------------------------------------------


@login_required
def action_create(request, pk):
    priority = _checked(
        request, Priority.objects.select_related("plan__region"), "regions.change_plan", pk=pk
    )
    form = ActionForm(request.POST or None, region_id=priority.plan.region_id)
    if request.method == "POST" and form.is_valid():
        action = _try(
            request,
            form,
            lambda: services.action_create(
                actor=request.user, priority=priority, **form.cleaned_data
            ),
        )
        if action:
            if not request.htmx:
                messages.success(request, f"Action “{action.title}” added.")
            return _actions_section(request, priority.pk)
    if request.htmx:
        return _actions_section(request, priority.pk, action_form=form)
    return _form_page(
        request,
        form,
        title=f"Add an action to priority {priority.number}",
        crumbs=_plan_crumbs(
            priority.plan,
            (f"Priority {priority.number}", priority.get_absolute_url()),
            ("Add an action", ""),
        ),
        cancel_url=priority.get_absolute_url(),
        submit="Add action",
    )


@login_required
def action_update(request, pk):
    action = _checked(
        request,
        Action.objects.select_related("priority__plan__region"),
        "regions.change_plan",
        pk=pk,
    )
    priority = action.priority
    initial = {
        "title": action.title,
        "owner": action.owner_id,
        "due_date": action.due_date,
        "is_milestone": action.is_milestone,
        "status": action.status,
    }
    form = ActionForm(request.POST or None, region_id=priority.plan.region_id, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request,
            form,
            lambda: services.action_update(actor=request.user, action=action, **form.cleaned_data),
        )
    ):
        messages.success(request, "Action saved.")
        return redirect(priority)
    return _form_page(
        request,
        form,
        title="Edit action",
        crumbs=_plan_crumbs(
            priority.plan,
            (f"Priority {priority.number}", priority.get_absolute_url()),
            ("Edit action", ""),
        ),
        cancel_url=priority.get_absolute_url(),
    )


@login_required
@require_POST
def action_status(request, pk):
    """The owner (or a programme manager) marks an action in progress, done, ..."""
    action = _checked(
        request,
        Action.objects.select_related("priority__plan__region"),
        "regions.update_action_status",
        pk=pk,
    )
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_update(
            actor=request.user, action=action, status=form.cleaned_data["status"]
        )
        if not request.htmx:
            messages.success(
                request, f"“{action.title}” is now {action.get_status_display().lower()}."
            )
    else:
        messages.error(request, "Choose a valid status.")
    return _actions_section(request, action.priority_id)


@login_required
def action_delete(request, pk):
    action = _checked(
        request,
        Action.objects.select_related("priority__plan__region"),
        "regions.change_plan",
        pk=pk,
    )
    priority = action.priority
    if request.method == "POST":
        services.action_delete(actor=request.user, action=action)
        messages.success(request, f"Action “{action.title}” deleted.")
        return redirect(priority)
    return _confirm_page(
        request,
        title="Delete action",
        question=f"Delete the action “{action.title}”?",
        action_url=request.path,
        cancel_url=priority.get_absolute_url(),
        crumbs=_plan_crumbs(
            priority.plan,
            (f"Priority {priority.number}", priority.get_absolute_url()),
            ("Delete action", ""),
        ),
    )


# --- funding --------------------------------------------------------------------------------


@login_required
def funding_list(request, pk):
    plan = _checked(request, Plan.objects.select_related("region"), "regions.view_plan", pk=pk)
    context = {
        "plan": plan,
        "funding": selectors.funding_summary(plan=plan),
        "can_edit": request.user.has_perm("regions.change_plan", plan),
        "crumbs": _plan_crumbs(plan, ("Funding", "")),
    }
    return render(request, "regions/plan/funding_list.html", context)


@login_required
def funding_create(request, pk):
    plan = _checked(request, Plan.objects.select_related("region"), "regions.change_plan", pk=pk)
    form = FundingForm(request.POST or None, plan=plan)
    back = reverse("regions:funding_list", kwargs={"pk": plan.pk})
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request,
            form,
            lambda: services.funding_record(actor=request.user, plan=plan, **form.cleaned_data),
        )
    ):
        messages.success(request, "Contribution recorded.")
        return redirect(back)
    return _form_page(
        request,
        form,
        title="Record a contribution",
        crumbs=_plan_crumbs(plan, ("Funding", back), ("Record a contribution", "")),
        cancel_url=back,
        submit="Record",
    )


@login_required
def funding_update(request, pk):
    contribution = _checked(
        request,
        FundingContribution.objects.select_related("plan__region"),
        "regions.change_plan",
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
        and _try(
            request,
            form,
            lambda: services.funding_update(
                actor=request.user, contribution=contribution, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Contribution saved.")
        return redirect(back)
    return _form_page(
        request,
        form,
        title="Edit contribution",
        crumbs=_plan_crumbs(plan, ("Funding", back), ("Edit contribution", "")),
        cancel_url=back,
    )


@login_required
def funding_delete(request, pk):
    contribution = _checked(
        request,
        FundingContribution.objects.select_related("plan__region", "local_authority"),
        "regions.change_plan",
        pk=pk,
    )
    plan = contribution.plan
    back = reverse("regions:funding_list", kwargs={"pk": plan.pk})
    if request.method == "POST":
        services.funding_delete(actor=request.user, contribution=contribution)
        messages.success(request, "Contribution deleted.")
        return redirect(back)
    return _confirm_page(
        request,
        title="Delete contribution",
        question=f"Delete the contribution {contribution}?",
        action_url=request.path,
        cancel_url=back,
        crumbs=_plan_crumbs(plan, ("Funding", back), ("Delete", "")),
    )
