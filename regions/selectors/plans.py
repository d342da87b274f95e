"""Reads for plan pages, exports, the dashboard and navigation. Query counts do not grow with
the plan."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from sli_portal.dashboard import Item, Section
from sli_portal.templatetags.govuk import govuk_date_short

from ..models import (
    OPEN_ACTION_STATUSES,
    Action,
    LocalAuthority,
    Plan,
    PlanAttachment,
    PlanStatus,
    Priority,
    ProgressUpdate,
    Region,
    RegionalGroup,
    Theme,
)
from ..scope import UserScope, user_scope
from .funding import FundingSummary, funding_summary

STALE_AFTER_DAYS = 90


def _latest_update(field_name: str) -> Subquery:
    return Subquery(
        ProgressUpdate.objects.filter(priority=OuterRef("pk"))
        .order_by("-date", "-created_at")
        .values(field_name)[:1]
    )


def priorities_with_rag() -> QuerySet[Priority]:
    """Priorities annotated with their current RAG and the date of their latest update."""
    # The model declares both names for type checkers, so the plugin sees them twice.
    return Priority.objects.annotate(  # type: ignore[no-redef]
        current_rag=_latest_update("rag"), last_update_on=_latest_update("date")
    )


def plans_for_region(*, region: Region) -> list[Plan]:
    return list(
        Plan.objects.filter(region=region)
        .annotate(priority_count=Count("priorities"))
        .order_by("-is_current", "-start_year", "title")
    )


def plan_for_page(*, pk: int) -> Plan:
    """The plan with themes, priorities (with current RAG), actions and annexes: five queries."""
    priorities = (
        priorities_with_rag()
        .select_related("sponsor", "sponsor_la")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner").order_by(
                    "position", "due_date", "pk"
                ),
            )
        )
        .order_by("position", "pk")
    )
    return (
        Plan.objects.select_related("region")
        .prefetch_related(
            Prefetch(
                "themes",
                queryset=Theme.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("priorities", queryset=priorities)
                ),
            ),
            "attachments",
        )
        .get(pk=pk)
    )


@dataclass
class PlanOverview:
    rag_counts: dict[str, int] = field(default_factory=dict)
    no_update: int = 0
    overdue_actions: list = field(default_factory=list)


def plan_page_rows(plan: Plan) -> list[QuerySet]:
    """Every row the plan page's body reads (sli_portal.fragments: its stamp), unevaluated: the
    plan, its region, themes, priorities, their progress updates and actions, its annexes, and
    the sponsors, sponsoring LAs and action owners."""
    priorities = Priority.objects.filter(plan=plan)
    actions = Action.objects.filter(priority__plan=plan)
    return [
        Plan.objects.filter(pk=plan.pk),
        Region.objects.filter(pk=plan.region_id),
        Theme.objects.filter(plan=plan),
        priorities,
        actions,
        ProgressUpdate.objects.filter(priority__plan=plan),
        PlanAttachment.objects.filter(plan=plan),
        User.objects.filter(
            Q(pk__in=priorities.values("sponsor_id")) | Q(pk__in=actions.values("owner_id"))
        ),
        LocalAuthority.objects.filter(pk__in=priorities.values("sponsor_la_id")),
    ]


def plan_overview(plan: Plan) -> PlanOverview:
    """From an already prefetched plan: RAG at a glance and the overdue actions."""
    overview = PlanOverview(rag_counts={"red": 0, "amber": 0, "green": 0})
    for theme in plan.themes.all():
        for priority in theme.priorities.all():
            if priority.current_rag:
                overview.rag_counts[priority.current_rag] += 1
            else:
                overview.no_update += 1
            for action in priority.actions.all():
                if action.is_overdue:
                    overview.overdue_actions.append((priority, action))
    return overview


def priority_for_page(*, pk: int) -> Priority:
    return (
        priorities_with_rag()
        .select_related("plan__region", "theme", "sponsor", "sponsor_la")
        .prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("author")),
            Prefetch("actions", queryset=Action.objects.select_related("owner")),
            Prefetch("supporting_groups", queryset=RegionalGroup.objects.order_by("name")),
        )
        .get(pk=pk)
    )


def plan_export_data(*, pk: int) -> tuple[Plan, FundingSummary]:
    plan = plan_for_page(pk=pk)
    return plan, funding_summary(plan=plan)


def plan_progress_updates(*, plan: Plan) -> QuerySet[ProgressUpdate]:
    """Every RAG update of the plan's priorities, for the workbook."""
    return (
        ProgressUpdate.objects.filter(priority__plan=plan)
        .select_related("priority", "author")
        .order_by("priority__number", "-date")
    )


def dashboard_sections(user: User) -> list[Section]:
    """Overdue actions for their owner; for programme managers, priorities needing attention."""
    sections: list[Section] = []
    today = timezone.localdate()
    overdue = list(
        Action.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
        .exclude(priority__plan__status=PlanStatus.ARCHIVED)
        .select_related("priority__plan")
        .order_by("due_date")[:20]
    )
    if overdue:
        section = Section(title="Your overdue plan actions")
        for action in overdue:
            section.items.append(
                Item(
                    text=action.title,
                    url=action.priority.get_absolute_url(),
                    detail=f"Priority {action.priority.number}, {action.priority.plan}: "
                    f"due {govuk_date_short(action.due_date)}",
                    level="danger",
                    badge="Overdue",
                )
            )
        sections.append(section)

    managed = user_scope(user).managed_region_ids
    if managed:
        stale_before = today - timedelta(days=STALE_AFTER_DAYS)
        attention = Section(
            title="Priorities needing attention",
            empty_text="Every priority in your current plans has a recent update and none is red.",
        )
        needing = (
            priorities_with_rag()
            .filter(
                plan__region_id__in=managed,
                plan__is_current=True,
                status__in=["proposed", "active"],
            )
            .filter(
                Q(current_rag="red")
                | Q(last_update_on__isnull=True)
                | Q(last_update_on__lt=stale_before)
            )
            .select_related("plan")
            .order_by("plan__title", "number")[:30]
        )
        for priority in needing:
            if priority.current_rag == "red":
                badge, level, detail = (
                    "Red",
                    "danger",
                    f"Last update {govuk_date_short(priority.last_update_on)}",
                )
            elif priority.last_update_on is None:
                badge, level, detail = "No update", "warning", "No progress recorded yet"
            else:
                badge, level = "Stale", "warning"
                detail = f"No update since {govuk_date_short(priority.last_update_on)}"
            attention.items.append(
                Item(
                    text=f"{priority.number}. {priority.title}",
                    url=priority.get_absolute_url(),
                    detail=f"{priority.plan}: {detail}",
                    level=level,
                    badge=badge,
                )
            )
        sections.append(attention)
    return sections


def navigation_items(user: User, scope: UserScope) -> list[tuple[str, str]]:
    """ "Plans" in the main navigation for anyone with a role in a region (no query: the link
    resolves the region when followed)."""
    return [("Plans", reverse("regions:plan_home"))] if scope.region_ids else []


def dashboard_rows(user: User) -> list[QuerySet]:
    """What dashboard_sections reads (sli_portal.dashboard): the user's actions and their
    priorities, the plans, and the priorities and progress updates of the regions they manage."""
    managed = user_scope(user).managed_region_ids
    actions = Action.objects.filter(owner=user)
    return [
        actions,
        Priority.objects.filter(pk__in=actions.values("priority_id")),
        Plan.objects.all(),
        Priority.objects.filter(plan__region_id__in=managed),
        ProgressUpdate.objects.filter(priority__plan__region_id__in=managed),
    ]
