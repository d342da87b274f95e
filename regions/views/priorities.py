"""Pages for a plan's themes, its priorities and their RAG progress (inline with htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import retarget

from sli_portal.access import can, fetch
from sli_portal.confirm import confirm_or_do

from .. import panels
from ..forms.plans import ActionForm, PriorityForm, ProgressForm, ThemeForm
from ..models import Plan, Priority, Theme
from ..selectors import plans as selectors
from ..services import priorities as services
from .pages import deletion, form_page, plan_crumbs, try_service
from .plans import plan_body

# --- themes ---------------------------------------------------------------------------------


@login_required
@require_POST
def theme_create(request, pk):
    plan = fetch(
        request.user,
        Plan.objects.select_related("region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    form = ThemeForm(request.POST)
    if form.is_valid():
        theme = try_service(
            request,
            form,
            lambda: services.theme_create(actor=request.user, plan=plan, **form.cleaned_data),
        )
        if theme:
            if not request.htmx:
                messages.success(request, f"Theme “{theme.title}” added.")
            return plan_body(request, pk)
    if request.htmx:
        return plan_body(request, pk, theme_form=form)
    return form_page(
        request,
        form,
        title="Add a theme",
        crumbs=plan_crumbs(plan, ("Add a theme", "")),
        cancel_url=plan.get_absolute_url(),
    )


@login_required
def theme_update(request, pk):
    theme = fetch(
        request.user,
        Theme.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    form = ThemeForm(
        request.POST or None, initial={"title": theme.title, "description": theme.description}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and try_service(
            request,
            form,
            lambda: services.theme_update(actor=request.user, theme=theme, **form.cleaned_data),
        )
    ):
        if not request.htmx:
            messages.success(request, "Theme saved.")
        return plan_body(request, theme.plan_id)
    if request.htmx:
        # Edited in place: the form replaces the theme's heading; errors come back to it.
        response = render(request, "regions/plan/_theme_edit.html", {"theme": theme, "form": form})
        return (
            retarget(response, f"#theme-edit-{theme.pk}") if request.method == "POST" else response
        )
    return form_page(
        request,
        form,
        title=f"Edit theme “{theme.title}”",
        crumbs=plan_crumbs(theme.plan, ("Edit theme", "")),
        cancel_url=theme.plan.get_absolute_url(),
    )


@login_required
def theme_delete(request, pk):
    theme = fetch(
        request.user,
        Theme.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    plan = theme.plan

    def delete():
        try:
            services.theme_delete(actor=request.user, theme=theme)
        except ValidationError as error:
            return plan_body(request, plan.pk, error=" ".join(error.messages))
        if not request.htmx:
            messages.success(request, f"Theme “{theme.title}” deleted.")
        return plan_body(request, plan.pk)

    return confirm_or_do(
        request,
        page=lambda: deletion(
            title="Delete theme",
            question=f"Delete the theme “{theme.title}”?",
            consequences=[
                "The theme is removed from the plan. A theme that still has priorities cannot be deleted: move or delete them first."
            ],
            cancel_url=plan.get_absolute_url(),
            crumbs=plan_crumbs(plan, ("Delete theme", "")),
        ),
        do=delete,
    )


@login_required
@require_POST
def theme_move(request, pk):
    theme = fetch(
        request.user,
        Theme.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    services.theme_move(
        actor=request.user, theme=theme, direction=request.POST.get("direction", "")
    )
    return plan_body(request, theme.plan_id)


# --- priorities -----------------------------------------------------------------------------


@login_required
def priority_create(request, pk):
    plan = fetch(
        request.user,
        Plan.objects.select_related("region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    form = PriorityForm(
        request.POST or None, plan=plan, initial={"theme": request.GET.get("theme")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        priority = try_service(
            request, form, lambda: services.priority_create(actor=request.user, **data)
        )
        if priority:
            messages.success(request, f"Priority {priority.number} “{priority.title}” added.")
            return redirect(plan)
    return form_page(
        request,
        form,
        title="Add a priority",
        crumbs=plan_crumbs(plan, ("Add a priority", "")),
        cancel_url=plan.get_absolute_url(),
        submit="Add priority",
    )


def priority_context(request, pk, action_form=None):
    priority = selectors.priority_for_page(pk=pk)
    plan = priority.plan
    can_edit = can(request.user, "regions.change_plan", plan)
    return {
        "priority": priority,
        "plan": plan,
        "can_edit": can_edit,
        "can_record": can(request.user, "regions.record_progress", priority),
        "action_form": action_form or (ActionForm(region_id=plan.region_id) if can_edit else None),
        "panels": panels.priority_panels(request, priority),
        "crumbs": plan_crumbs(plan, (f"Priority {priority.number}", "")),
    }


def actions_section(request, priority_pk, action_form=None):
    """After an inline (htmx) change to actions: the actions section again."""
    if request.htmx:
        context = priority_context(request, priority_pk, action_form)
        return render(request, "regions/plan/_actions.html", context)
    return redirect("regions:priority_detail", pk=priority_pk)


@login_required
def priority_detail(request, pk):
    fetch(request.user, Priority.objects.select_related("plan"), see="regions.view_plan", pk=pk)
    return render(request, "regions/plan/priority_detail.html", priority_context(request, pk))


@login_required
def priority_update(request, pk):
    priority = fetch(
        request.user,
        Priority.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    plan = priority.plan
    form = PriorityForm(request.POST or None, plan=plan, initial=PriorityForm.initial_for(priority))
    if (
        request.method == "POST"
        and form.is_valid()
        and try_service(
            request,
            form,
            lambda: services.priority_update(
                actor=request.user, priority=priority, **form.service_kwargs()
            ),
        )
    ):
        messages.success(request, "Priority saved.")
        return redirect("regions:priority_detail", pk=priority.pk)
    return form_page(
        request,
        form,
        title=f"Edit priority {priority.number}",
        crumbs=plan_crumbs(
            plan, (f"Priority {priority.number}", priority.get_absolute_url()), ("Edit", "")
        ),
        cancel_url=priority.get_absolute_url(),
    )


@login_required
def priority_delete(request, pk):
    priority = fetch(
        request.user,
        Priority.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    plan = priority.plan

    def delete():
        services.priority_delete(actor=request.user, priority=priority)
        if not request.htmx:
            messages.success(request, f"Priority {priority.number} deleted.")
        return plan_body(request, plan.pk)

    return confirm_or_do(
        request,
        page=lambda: deletion(
            title="Delete priority",
            question=f"Delete priority {priority.number} “{priority.title}”?",
            consequences=[
                "The priority is removed from the plan, with its actions, milestones and progress updates.",
                "Indicators linked to it are unlinked.",
            ],
            cancel_url=plan.get_absolute_url(),
            crumbs=plan_crumbs(plan, ("Delete priority", "")),
        ),
        do=delete,
    )


@login_required
@require_POST
def priority_move(request, pk):
    priority = fetch(
        request.user,
        Priority.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    services.priority_move(
        actor=request.user, priority=priority, direction=request.POST.get("direction", "")
    )
    return plan_body(request, priority.plan_id)


@login_required
@require_POST
def priorities_renumber(request, pk):
    plan = fetch(
        request.user,
        Plan.objects.select_related("region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    changed = services.priorities_renumber(actor=request.user, plan=plan)
    messages.success(request, f"Priorities renumbered in page order ({changed} changed).")
    return redirect(plan)


@login_required
def progress_create(request, pk):
    priority = fetch(
        request.user,
        Priority.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.record_progress",
        pk=pk,
    )
    form = ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update = try_service(
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
    return form_page(
        request,
        form,
        title=f"Record progress on priority {priority.number}",
        intro=priority.title,
        crumbs=plan_crumbs(
            priority.plan,
            (f"Priority {priority.number}", priority.get_absolute_url()),
            ("Record progress", ""),
        ),
        cancel_url=priority.get_absolute_url(),
        submit="Record progress",
    )
