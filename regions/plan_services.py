"""Writes for regional improvement plans. Every write names its acting user (None: the system).

Permission checks live in `plan_rules` and the views; these functions enforce the plan's own
invariants (periods, numbering, one ballot per LA, ...) and raise ValidationError, naming the
field, for anything that would break them.
"""

import zipfile
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import LocalAuthority, Membership, Region, Role
from .plan_models import (
    Action,
    ActionStatus,
    FundingContribution,
    FundingSource,
    FundingStatus,
    Plan,
    PlanAttachment,
    PlanStatus,
    Priority,
    PriorityStatus,
    ProgressUpdate,
    Theme,
    financial_year_label,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _as(obj, actor):
    """Tell django-simple-history who made this change (the middleware covers web requests)."""
    if actor is not None:
        obj._history_user = actor
    return obj


def _full_clean(obj, exclude=None):
    obj.full_clean(exclude=exclude, validate_constraints=False)


# --- plans ----------------------------------------------------------------------------------


def _clean_principles(principles) -> list[str]:
    cleaned = [str(p).strip() for p in (principles or []) if str(p).strip()]
    too_long = [p for p in cleaned if len(p) > 500]
    if too_long:
        raise ValidationError(
            {
                "principles": f"Each principle must be 500 characters or fewer ({len(too_long)} are longer)."
            }
        )
    return cleaned


def _check_period(start_year, end_year):
    if start_year is None or end_year is None:
        raise ValidationError({"start_year": "Give the first and last financial years."})
    if not 2000 <= start_year <= 2100 or not 2000 <= end_year <= 2100:
        raise ValidationError({"start_year": "Financial years must be between 2000 and 2100."})
    if end_year < start_year:
        raise ValidationError({"end_year": "The last financial year cannot be before the first."})
    if end_year - start_year > 9:
        raise ValidationError({"end_year": "A plan can cover at most ten financial years."})


def _lock_region(region_id: int) -> None:
    """Serialise plan writes per region: titles and "current" are unique within a region."""
    Region.objects.select_for_update().filter(pk=region_id).first()


def _save_plan(plan: Plan, actor) -> Plan:
    if plan.is_current:
        _set_current(plan, actor)
    try:
        with transaction.atomic():
            _as(plan, actor).save()
    except IntegrityError as error:
        if "plan_one_current_per_region" in str(error):
            raise ValidationError(
                {"is_current": f"Another plan of {plan.region} was made current meanwhile."}
            ) from error
        raise ValidationError(
            {"title": f"{plan.region} already has a plan called “{plan.title}”."}
        ) from error
    return plan


def _set_current(plan: Plan, actor) -> None:
    for other in (
        Plan.objects.select_for_update()
        .filter(region_id=plan.region_id, is_current=True)
        .exclude(pk=plan.pk)
    ):
        other.is_current = False
        _as(other, actor).save(update_fields=["is_current", "updated_at"])


@transaction.atomic
def plan_create(
    *,
    actor,
    region,
    title: str,
    start_year: int,
    end_year: int,
    status: str = PlanStatus.DRAFT,
    summary: str = "",
    principles=(),
    launch_date: date | None = None,
    launch_event: str = "",
    is_current: bool = False,
) -> Plan:
    _check_period(start_year, end_year)
    _lock_region(region.pk)
    title = (title or "").strip()
    if Plan.objects.filter(region=region, title__iexact=title).exists():
        raise ValidationError({"title": f"{region} already has a plan called “{title}”."})
    plan = Plan(
        region=region,
        title=title,
        start_year=start_year,
        end_year=end_year,
        status=status,
        summary=summary,
        principles=_clean_principles(principles),
        launch_date=launch_date,
        launch_event=launch_event,
        is_current=is_current,
        created_by=actor,
    )
    _full_clean(plan)
    return _save_plan(plan, actor)


PLAN_FIELDS = (
    "title",
    "start_year",
    "end_year",
    "status",
    "summary",
    "principles",
    "launch_date",
    "launch_event",
    "is_current",
)


@transaction.atomic
def plan_update(*, actor, plan: Plan, **changes) -> Plan:
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown plan fields: {', '.join(sorted(unknown))}.")
    _lock_region(plan.region_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if "principles" in changes:
        changes["principles"] = _clean_principles(changes["principles"])
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if (
            Plan.objects.filter(region_id=plan.region_id, title__iexact=changes["title"])
            .exclude(pk=plan.pk)
            .exists()
        ):
            raise ValidationError(
                {"title": f"{plan.region} already has a plan called “{changes['title']}”."}
            )
    for name, value in changes.items():
        setattr(plan, name, value)
    _check_period(plan.start_year, plan.end_year)
    outside = (
        plan.contributions.exclude(financial_year__range=(plan.start_year, plan.end_year))
        .values_list("financial_year", flat=True)
        .distinct()
    )
    if outside:
        years = ", ".join(financial_year_label(y) for y in sorted(outside))
        raise ValidationError(
            {"end_year": f"Funding is recorded for {years}, outside the new period."}
        )
    _full_clean(plan)
    return _save_plan(plan, actor)


def _sniff_attachment(upload) -> str:
    """The checked content type of an uploaded annex, or a ValidationError saying what is wrong."""
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError({"file": f"“{name}” is not a PDF or Word (.docx) file."})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "file": f"“{name}” is {upload.size / 1024 / 1024:.1f} MB; "
                f"annexes must be {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB or smaller."
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": f"“{name}” is empty."})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        raise ValidationError({"file": f"“{name}” is called .pdf but is not a PDF."})
    if suffix == ".docx":
        ok = head.startswith(b"PK\x03\x04")
        if ok:
            try:
                with zipfile.ZipFile(upload) as archive:
                    ok = "word/document.xml" in archive.namelist()
            except zipfile.BadZipFile:
                ok = False
            upload.seek(0)
        if not ok:
            raise ValidationError({"file": f"“{name}” is called .docx but is not a Word document."})
    return ATTACHMENT_TYPES[suffix]


@transaction.atomic
def attachment_add(*, actor, plan: Plan, title: str, upload) -> PlanAttachment:
    content_type = _sniff_attachment(upload)
    title = (title or "").strip() or upload.name
    attachment = PlanAttachment(
        plan=plan,
        title=title[:200],
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: PlanAttachment) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- themes and priorities ------------------------------------------------------------------


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def theme_create(*, actor, plan: Plan, title: str, description: str = "") -> Theme:
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
def theme_update(*, actor, theme: Theme, title: str, description: str = "") -> Theme:
    theme.title = (title or "").strip()
    theme.description = description
    _full_clean(theme)
    _as(theme, actor).save()
    return theme


@transaction.atomic
def theme_delete(*, actor, theme: Theme) -> None:
    if theme.priorities.exists():
        raise ValidationError(
            f"“{theme.title}” still has priorities: move or delete them before the theme."
        )
    _as(theme, actor).delete()


def _swap(items: list, index: int, direction: str, actor) -> bool:
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
def theme_move(*, actor, theme: Theme, direction: str) -> bool:
    """Move a theme one place up or down; False when it is already at that end."""
    Plan.objects.select_for_update().get(pk=theme.plan_id)
    themes = list(Theme.objects.filter(plan_id=theme.plan_id).order_by("position", "pk"))
    index = next(i for i, t in enumerate(themes) if t.pk == theme.pk)
    return _swap(themes, index, direction, actor)


def _check_sponsor(plan: Plan, sponsor, sponsor_la) -> None:
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
    actor,
    theme: Theme,
    title: str,
    description: str = "",
    sponsor=None,
    sponsor_la: LocalAuthority | None = None,
    lead: str = "",
    status: str = PriorityStatus.ACTIVE,
) -> Priority:
    """Add a priority at the end of its theme, numbered after the plan's highest number."""
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
def priority_update(*, actor, priority: Priority, **changes) -> Priority:
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
    if moving:
        priority.position = _next_position(new_theme.priorities.all())
    _full_clean(priority)
    _as(priority, actor).save()
    return priority


@transaction.atomic
def priority_delete(*, actor, priority: Priority) -> None:
    Plan.objects.select_for_update().get(pk=priority.plan_id)
    _as(priority, actor).delete()


@transaction.atomic
def priority_move(*, actor, priority: Priority, direction: str) -> bool:
    """Move a priority one place within its theme. Its number does not change."""
    Plan.objects.select_for_update().get(pk=priority.plan_id)
    siblings = list(Priority.objects.filter(theme_id=priority.theme_id).order_by("position", "pk"))
    index = next(i for i, p in enumerate(siblings) if p.pk == priority.pk)
    return _swap(siblings, index, direction, actor)


@transaction.atomic
def priorities_renumber(*, actor, plan: Plan) -> int:
    """Number the plan's priorities 1..n in the order they are shown. Returns how many changed."""
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


def _check_owner(priority: Priority, owner) -> None:
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
    actor,
    priority: Priority,
    title: str,
    owner=None,
    due_date: date | None = None,
    is_milestone: bool = False,
    status: str = ActionStatus.NOT_STARTED,
) -> Action:
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
    return action


@transaction.atomic
def action_update(*, actor, action: Action, **changes) -> Action:
    allowed = {"title", "owner", "due_date", "is_milestone", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown action fields: {', '.join(sorted(unknown))}.")
    if "owner" in changes:
        _check_owner(action.priority, changes["owner"])
    for name, value in changes.items():
        setattr(action, name, value)
    action.title = (action.title or "").strip()
    _full_clean(action)
    _as(action, actor).save()
    return action


@transaction.atomic
def action_delete(*, actor, action: Action) -> None:
    _as(action, actor).delete()


# --- progress -------------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *, actor, priority: Priority, rag: str, narrative: str, on: date | None = None
) -> ProgressUpdate:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"date": "A progress update cannot be dated in the future."})
    if not (narrative or "").strip():
        raise ValidationError({"narrative": "Say what has happened: the narrative is required."})
    update = ProgressUpdate(
        priority=priority, date=on, rag=rag, narrative=narrative.strip(), author=actor
    )
    _full_clean(update)
    _as(update, actor).save()
    return update


# --- funding --------------------------------------------------------------------------------


def _check_contribution(c: FundingContribution) -> None:
    plan = c.plan
    if c.financial_year not in plan.financial_years:
        raise ValidationError(
            {
                "financial_year": f"{financial_year_label(c.financial_year)} is outside the plan's "
                f"period ({financial_year_label(plan.start_year)} to "
                f"{financial_year_label(plan.end_year)})."
            }
        )
    if c.amount is None or c.amount < Decimal("0"):
        raise ValidationError({"amount": "The amount must be zero or more."})
    if c.source == FundingSource.LA_SUBSCRIPTION:
        if c.local_authority is None:
            raise ValidationError({"local_authority": "Say which LA's subscription this is."})
        if c.local_authority.region_id != plan.region_id:
            raise ValidationError(
                {"local_authority": f"{c.local_authority} is not in {plan.region}."}
            )
        clash = FundingContribution.objects.filter(
            plan=plan,
            financial_year=c.financial_year,
            source=FundingSource.LA_SUBSCRIPTION,
            local_authority=c.local_authority,
        ).exclude(pk=c.pk)
        if clash.exists():
            raise ValidationError(
                {
                    "local_authority": f"{c.local_authority} already has a subscription for "
                    f"{financial_year_label(c.financial_year)}."
                }
            )
    elif c.local_authority is not None:
        raise ValidationError(
            {"local_authority": "Only an LA subscription names a local authority."}
        )


def _save_contribution(c: FundingContribution, actor) -> FundingContribution:
    _check_contribution(c)
    _full_clean(c)
    try:
        with transaction.atomic():
            _as(c, actor).save()
    except IntegrityError as error:  # a concurrent double submit of the same subscription
        raise ValidationError(
            {
                "local_authority": f"{c.local_authority} already has a subscription for {c.year_label}."
            }
        ) from error
    return c


@transaction.atomic
def funding_record(
    *,
    actor,
    plan: Plan,
    financial_year: int,
    source: str,
    amount: Decimal,
    local_authority: LocalAuthority | None = None,
    description: str = "",
    status: str = FundingStatus.INVOICED,
) -> FundingContribution:
    contribution = FundingContribution(
        plan=plan,
        financial_year=financial_year,
        source=source,
        amount=amount,
        local_authority=local_authority,
        description=description,
        status=status,
    )
    return _save_contribution(contribution, actor)


@transaction.atomic
def funding_update(*, actor, contribution: FundingContribution, **changes) -> FundingContribution:
    allowed = {"financial_year", "source", "amount", "local_authority", "description", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Unknown funding fields: {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(contribution, name, value)
    return _save_contribution(contribution, actor)


@transaction.atomic
def funding_delete(*, actor, contribution: FundingContribution) -> None:
    _as(contribution, actor).delete()
