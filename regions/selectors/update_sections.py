"""Regions' own sections of a drafted update (plan progress, funding, groups' annual accounts):
section providers registered in `regions.composing`, like the other apps' (see apps.py).

Each reads what changed in the window, in a fixed number of queries, and returns Markdown that
links back to its source."""

from decimal import Decimal

from django.db.models import Sum

from sli_portal.reversing import cached_reverse

from ..composing import DraftSection, Window
from ..models import (
    OPEN_ACTION_STATUSES,
    Action,
    FundingContribution,
    FundingStatus,
    GroupAnnualAccount,
    Plan,
    Priority,
    PriorityStatus,
    ProgressUpdate,
)


def _md_link(text: str, url: str) -> str:
    return f"[{_md_escape(text)}]({url})"


def _md_escape(text: str) -> str:
    """Text from the portal read as text in Markdown (no accidental emphasis, links or HTML)."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _current_plan(window: Window) -> Plan | None:
    return Plan.objects.filter(region=window.region, is_current=True).first()


def _rag_lines(plan: Plan, window: Window) -> list[str]:
    rows = ProgressUpdate.objects.filter(
        priority__plan=plan, created_at__lte=window.until
    ).values_list("priority_id", "priority__number", "priority__title", "rag", "created_at")
    history: dict[int, list] = {}
    for priority_id, number, title, rag, created in rows.order_by("date", "created_at"):
        history.setdefault(priority_id, []).append((number, title, rag, created))
    lines = []
    for priority_id, entries in sorted(history.items(), key=lambda kv: kv[1][0][0]):
        number, title, rag, created = entries[-1]
        if window.since is not None and created <= window.since:
            continue
        before = [e[2] for e in entries[:-1] if window.since is None or e[3] <= window.since]
        link = _md_link(
            f"{number}. {title}", cached_reverse("regions:priority_detail", pk=priority_id)
        )
        if before and before[-1] != rag:
            lines.append(f"- {link}: moved from {before[-1].title()} to {rag.title()}")
        elif not before:
            lines.append(f"- {link}: rated {rag.title()}")
    return lines


def _priority_lines(plan: Plan, window: Window) -> list[str]:
    changes = Priority.history.filter(plan_id=plan.pk, history_date__lte=window.until)
    if window.since is not None:
        changes = changes.filter(history_date__gt=window.since)
    added: dict[int, str] = {}
    completed: dict[int, str] = {}
    for pk, number, title, kind, status in changes.order_by("history_date").values_list(
        "id", "number", "title", "history_type", "status"
    ):
        if kind == "+":
            added[pk] = f"{number}. {title}"
        if status == PriorityStatus.COMPLETED:
            completed[pk] = f"{number}. {title}"
    lines = [
        f"- New priority: {_md_link(t, cached_reverse('regions:priority_detail', pk=pk))}"
        for pk, t in added.items()
    ]
    lines += [
        f"- Completed: {_md_link(t, cached_reverse('regions:priority_detail', pk=pk))}"
        for pk, t in completed.items()
    ]
    return lines


def plan_progress_sections(window: Window) -> list[DraftSection]:
    plan = _current_plan(window)
    if plan is None:
        return []
    lines = _rag_lines(plan, window) + _priority_lines(plan, window)
    overdue = (
        Action.objects.filter(
            priority__plan=plan,
            status__in=OPEN_ACTION_STATUSES,
            due_date__lt=window.until.date(),
        )
        .select_related("priority")
        .order_by("due_date")
    )
    overdue_list = list(overdue[:10])
    if overdue_list:
        lines.append(f"- {len(overdue_list)} action(s) past their due date:")
        for action in overdue_list:
            lines.append(
                f"    - {_md_escape(action.title)} (priority {action.priority.number}, "
                f"due {action.due_date:%-d %B %Y})"
            )
    if not lines:
        lines = ["- No RAG changes since the last update."]
    url = plan.get_absolute_url()
    return [
        DraftSection(
            title=f"Regional improvement plan {plan.period_label}",
            markdown="\n".join(lines),
            source_url=url,
            source_label=f"the plan: {plan.title}",
            order=10,
        )
    ]


def funding_sections(window: Window) -> list[DraftSection]:
    plan = _current_plan(window)
    if plan is None:
        return []
    changed = FundingContribution.history.filter(
        plan_id=plan.pk, status=FundingStatus.RECEIVED, history_date__lte=window.until
    )
    if window.since is not None:
        changed = changed.filter(history_date__gt=window.since)
    ids = set(changed.values_list("id", flat=True))
    if not ids:
        return []
    total = FundingContribution.objects.filter(pk__in=ids, status=FundingStatus.RECEIVED).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    received = len(ids)
    amount = f"£{total:,.0f}" if total == total.to_integral_value() else f"£{total:,.2f}"
    noun = "contribution" if received == 1 else "contributions"
    return [
        DraftSection(
            title="Funding",
            markdown=f"- {received} {noun} received, {amount} in all.",
            source_url=cached_reverse("regions:funding_list", pk=plan.pk),
            source_label="the plan's funding",
            order=60,
        )
    ]


def group_account_sections(window: Window) -> list[DraftSection]:
    accounts = GroupAnnualAccount.objects.filter(
        group__region=window.region, submitted_at__lte=window.until
    )
    if window.since is not None:
        accounts = accounts.filter(submitted_at__gt=window.since)
    rows = list(accounts.select_related("group").order_by("group__name"))
    if not rows:
        return []
    lines = [
        f"- {_md_link(a.group.name, a.group.get_absolute_url())} gave its annual account for "
        f"{a.year_label}."
        for a in rows
    ]
    return [
        DraftSection(
            title="Regional groups",
            markdown="\n".join(lines),
            source_url=cached_reverse("regions:group_list", slug=window.region.slug),
            source_label="the region's groups",
            order=70,
        )
    ]
