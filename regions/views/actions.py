"""Pages for a priority's actions and milestones: add, edit, mark done (inline with htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sli_portal.access import fetch
from sli_portal.confirm import confirm_or_do

from ..forms.plans import ActionForm, ActionStatusForm
from ..models import Action, Priority
from ..services import priorities as services
from .pages import deletion, form_page, plan_crumbs, try_service
from .priorities import actions_section


@login_required
def action_create(request, pk):
    priority = fetch(
        request.user,
        Priority.objects.select_related("plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    form = ActionForm(request.POST or None, region_id=priority.plan.region_id)
    if request.method == "POST" and form.is_valid():
        action = try_service(
            request,
            form,
            lambda: services.action_create(
                actor=request.user, priority=priority, **form.cleaned_data
            ),
        )
        if action:
            if not request.htmx:
                messages.success(request, f"Action “{action.title}” added.")
            return actions_section(request, priority.pk)
    if request.htmx:
        return actions_section(request, priority.pk, action_form=form)
    return form_page(
        request,
        form,
        title=f"Add an action to priority {priority.number}",
        crumbs=plan_crumbs(
            priority.plan,
            (f"Priority {priority.number}", priority.get_absolute_url()),
            ("Add an action", ""),
        ),
        cancel_url=priority.get_absolute_url(),
        submit="Add action",
    )


@login_required
def action_update(request, pk):
    action = fetch(
        request.user,
        Action.objects.select_related("priority__plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
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
        and try_service(
            request,
            form,
            lambda: services.action_update(actor=request.user, action=action, **form.cleaned_data),
        )
    ):
        messages.success(request, "Action saved.")
        return redirect(priority)
    return form_page(
        request,
        form,
        title="Edit action",
        crumbs=plan_crumbs(
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
    action = fetch(
        request.user,
        Action.objects.select_related("priority__plan__region"),
        see="regions.view_plan",
        act="regions.update_action_status",
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
    return actions_section(request, action.priority_id)


@login_required
def action_delete(request, pk):
    action = fetch(
        request.user,
        Action.objects.select_related("priority__plan__region"),
        see="regions.view_plan",
        act="regions.change_plan",
        pk=pk,
    )
    priority = action.priority

    def delete():
        services.action_delete(actor=request.user, action=action)
        messages.success(request, f"Action “{action.title}” deleted.")
        return redirect(priority)

    return confirm_or_do(
        request,
        page=lambda: deletion(
            title="Delete action",
            question=f"Delete the action “{action.title}”?",
            consequences=[f"The action is removed from priority {priority.number}."],
            cancel_url=priority.get_absolute_url(),
            crumbs=plan_crumbs(
                priority.plan,
                (f"Priority {priority.number}", priority.get_absolute_url()),
                ("Delete action", ""),
            ),
        ),
        do=delete,
    )
