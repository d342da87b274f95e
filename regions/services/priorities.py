"""Writes for themes, priorities, their actions and RAG progress. Access is checked first.

A priority's number stays put when it moves, until the plan is renumbered; moves and numbers
are serialised per plan by locking the plan row.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from accounts.models import User
from sli_portal.access import System, require, user_of

from .. import signals
from ..models import (
    Action,
    ActionStatus,
    LocalAuthority,
    Membership,
    Plan,
    Priority,
    PriorityStatus,
    ProgressUpdate,
    Role,
    Theme,
)
from ._shared import _as, _full_clean


def _next_position(queryset: QuerySet) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def theme_create(*, actor: User | System, plan: Plan, title: str, description: str = "") -> Theme:
    require(actor, "regions.change_plan", plan)
    Plan.objects.select_for_update().get(pk=plan.pk)
    theme = Theme(
        plan=plan,
        title=(title or "").strip(),
        description=description,
        position=_next_position(plan.themes.all()),
    )
    _full_clean(theme)
    _as(theme, actor).save()
    return theme


@transaction.atomic
def theme_update(*, actor: User | System, theme: Theme, title: str, description: str = "") -> Theme:
    require(actor, "regions.change_plan", theme)
    theme.title = (title or "").strip()
    theme.description = description
    _full_clean(theme)
    _as(theme, actor).save()
    return theme


@transaction.atomic
def theme_delete(*, actor: User | System, theme: Theme) -> None:
    require(actor, "regions.change_plan", theme)
    if theme.priorities.exists():
        raise ValidationError(
            f"“{theme.title}” still has priorities: move or delete them before the theme."
        )
    _as(theme, actor).delete()


def _swap(items: list, index: int, direction: str, actor: User | System) -> bool:
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            _as(item, actor).save(update_fields=["position"])
    return True


@transaction.atomic
def theme_move(*, actor: User | System, theme: Theme, direction: str) -> bool:
    """Move a theme one place up or down; False when it is already at that end."""
    require(actor, "regions.change_plan", theme)
    Plan.objects.select_for_update().get(pk=theme.plan_id)
    themes = list(Theme.objects.filter(plan_id=theme.plan_id).order_by("position", "pk"))
    index = next(i for i, t in enumerate(themes) if t.pk == theme.pk)
    return _swap(themes, index, direction, actor)


def _check_sponsor(plan: Plan, sponsor: User | None, sponsor_la: LocalAuthority | None) -> None:
    if sponsor is None and sponsor_la is None:
        return
    if sponsor is None or sponsor_la is None:
        raise ValidationError({"sponsor": "Give the sponsoring DCS and their local authority."})
    if sponsor_la.region_id != plan.region_id:
        raise ValidationError({"sponsor_la": f"{sponsor_la} is not in {plan.region}."})
    if not Membership.objects.filter(
        user=sponsor, local_authority=sponsor_la, role=Role.DCS
    ).exists():
        raise ValidationError(
            {"sponsor": f"{sponsor.full_name or sponsor.email} is not the DCS of {sponsor_la}."}
        )


@transaction.atomic
def priority_create(
    *,
    actor: User | System,
    theme: Theme,
    title: str,
    description: str = "",
    sponsor: User | None = None,
    sponsor_la: LocalAuthority | None = None,
    lead: str = "",
    status: str = PriorityStatus.ACTIVE,
) -> Priority:
    """Add a priority at the end of its theme, numbered after the plan's highest number."""
    require(actor, "regions.change_plan", theme)
    plan = Plan.objects.select_for_update().get(pk=theme.plan_id)
    _check_sponsor(plan, sponsor, sponsor_la)
    priority = Priority(
        plan=plan,
        theme=theme,
        number=(plan.priorities.aggregate(m=Max("number"))["m"] or 0) + 1,
        position=_next_position(theme.priorities.all()),
        title=(title or "").strip(),
        description=description,
        sponsor=sponsor,
        sponsor_la=sponsor_la,
        lead=lead,
        status=status,
    )
    _full_clean(priority)
    _as(priority, actor).save()
    return priority


PRIORITY_FIELDS = ("title", "description", "sponsor", "sponsor_la", "lead", "status", "theme")


@transaction.atomic
def priority_update(*, actor: User | System, priority: Priority, **changes: Any) -> Priority:
    require(actor, "regions.change_plan", priority)
    unknown = set(changes) - set(PRIORITY_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown priority fields: {', '.join(sorted(unknown))}.")
    plan = Plan.objects.select_for_update().get(pk=priority.plan_id)
    priority = Priority.objects.get(pk=priority.pk)
    new_theme = changes.get("theme")
    if new_theme is not None and new_theme.plan_id != plan.pk:
        raise ValidationError({"theme": f"“{new_theme}” belongs to another plan."})
    moving = new_theme is not None and new_theme.pk != priority.theme_id
    for name, value in changes.items():
        setattr(priority, name, value)
    if "title" in changes:
        priority.title = (priority.title or "").strip()
    _check_sponsor(plan, priority.sponsor, priority.sponsor_la)
    if moving and new_theme is not None:
        priority.position = _next_position(new_theme.priorities.all())
    _full_clean(priority)
    _as(priority, actor).save()
    return priority


@transaction.atomic
def priority_delete(*, actor: User | System, priority: Priority) -> None:
    require(actor, "regions.change_plan", priority)
    Plan.objects.select_for_update().get(pk=priority.plan_id)
    _as(priority, actor).delete()


@transaction.atomic
def priority_move(*, actor: User | System, priority: Priority, direction: str) -> bool:
    """Move a priority one place within its theme. Its number does not change."""
    require(actor, "regions.change_plan", priority)
    Plan.objects.select_for_update().get(pk=priority.plan_id)
    siblings = list(Priority.objects.filter(theme_id=priority.theme_id).order_by("position", "pk"))
    index = next(i for i, p in enumerate(siblings) if p.pk == priority.pk)
    return _swap(siblings, index, direction, actor)


@transaction.atomic
def priorities_renumber(*, actor: User | System, plan: Plan) -> int:
    """Number the plan's priorities 1..n in the order they are shown. Returns how many changed."""
    require(actor, "regions.change_plan", plan)
    Plan.objects.select_for_update().get(pk=plan.pk)
    ordered = list(
        Priority.objects.filter(plan=plan).order_by("theme__position", "theme_id", "position", "pk")
    )
    changed = [p for n, p in enumerate(ordered, start=1) if p.number != n]
    if not changed:
        return 0
    # Park the changing numbers out of the way first: the unique constraint holds at every step.
    top = max(p.number for p in ordered)
    for offset, p in enumerate(changed, start=1):
        Priority.objects.filter(pk=p.pk).update(number=top + offset)
    for n, p in enumerate(ordered, start=1):
        if p.number != n:
            p.number = n
            _as(p, actor).save(update_fields=["number"])
    return len(changed)


# --- actions --------------------------------------------------------------------------------


def _check_owner(priority: Priority, owner: User | None) -> None:
    if owner is None:
        return
    region_id = priority.plan.region_id
    in_region = (
        Membership.objects.filter(user=owner).filter(local_authority__region_id=region_id).exists()
        or Membership.objects.filter(
            user=owner, region_id=region_id, role=Role.PROGRAMME_MANAGER
        ).exists()
    )
    if not in_region:
        raise ValidationError({"owner": f"{owner} has no role in {priority.plan.region}."})


@transaction.atomic
def action_create(
    *,
    actor: User | System,
    priority: Priority,
    title: str,
    owner: User | None = None,
    due_date: date | None = None,
    is_milestone: bool = False,
    status: str = ActionStatus.NOT_STARTED,
) -> Action:
    require(actor, "regions.change_plan", priority)
    _check_owner(priority, owner)
    action = Action(
        priority=priority,
        title=(title or "").strip(),
        owner=owner,
        due_date=due_date,
        is_milestone=is_milestone,
        status=status,
        position=_next_position(priority.actions.all()),
    )
    _full_clean(action)
    _as(action, actor).save()
    if owner is not None:
        signals.action_assigned.send(sender=Action, action=action, actor=actor)
    return action


@transaction.atomic
def action_update(*, actor: User | System, action: Action, **changes: Any) -> Action:
    """Change an action. Its owner (and the plan's editors) may change its status alone."""
    only_status = set(changes) <= {"status"}
    require(actor, "regions.update_action_status" if only_status else "regions.change_plan", action)
    allowed = {"title", "owner", "due_date", "is_milestone", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown action fields: {', '.join(sorted(unknown))}.")
    if "owner" in changes:
        _check_owner(action.priority, changes["owner"])
    previous_owner_id = action.owner_id
    for name, value in changes.items():
        setattr(action, name, value)
    action.title = (action.title or "").strip()
    _full_clean(action)
    _as(action, actor).save()
    if action.owner_id is not None and action.owner_id != previous_owner_id:
        signals.action_assigned.send(sender=Action, action=action, actor=actor)
    return action


@transaction.atomic
def action_delete(*, actor: User | System, action: Action) -> None:
    require(actor, "regions.change_plan", action)
    _as(action, actor).delete()


# --- progress -------------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *, actor: User | System, priority: Priority, rag: str, narrative: str, on: date | None = None
) -> ProgressUpdate:
    require(actor, "regions.record_progress", priority)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"date": "A progress update cannot be dated in the future."})
    if not (narrative or "").strip():
        raise ValidationError({"narrative": "Say what has happened: the narrative is required."})
    update = ProgressUpdate(
        priority=priority, date=on, rag=rag, narrative=narrative.strip(), author=user_of(actor)
    )
    _full_clean(update)
    _as(update, actor).save()
    return update
