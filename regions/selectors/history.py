"""Reads for a plan's history: every recorded change to it and everything in it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import (
    Action,
    FundingContribution,
    Plan,
    Priority,
    ProgressUpdate,
    Theme,
    financial_year_label,
)


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    label: str
    change: str  # "Created", "Changed", "Deleted"
    changes: list[tuple[str, str, str]]  # (field, before, after)


_HISTORY_SKIP = {
    "id",
    "history_id",
    "history_date",
    "history_user",
    "history_type",
    "history_change_reason",
    "history_user_id",
    "updated_at",
    "created_at",
    "plan",
    "priority",
    # Derived for search (kept by a trigger), not part of the history.
    "search_vector",
}


def _display(record, name: str) -> str:
    field_obj = record._meta.get_field(name)
    value = getattr(record, field_obj.attname, None)
    if value is None or value == "":
        return "—"
    if field_obj.choices:
        return str(dict(field_obj.choices).get(value, value))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def plan_history(*, plan: Plan, limit: int = 500) -> list[HistoryEntry]:
    """Every recorded change to the plan and everything in it, newest first, with before/after.

    Diffs are worked out here from consecutive versions, so the page costs one query per kind
    of object, however long the history.
    """
    priority_ids = Priority.history.filter(plan_id=plan.pk).values("id")
    sources = [
        ("Plan", Plan.history.filter(id=plan.pk)),
        ("Theme", Theme.history.filter(plan_id=plan.pk)),
        ("Priority", Priority.history.filter(plan_id=plan.pk)),
        ("Action", Action.history.filter(priority_id__in=priority_ids)),
        ("Progress update", ProgressUpdate.history.filter(priority_id__in=priority_ids)),
        ("Funding", FundingContribution.history.filter(plan_id=plan.pk)),
    ]
    entries: list[HistoryEntry] = []
    for kind, queryset in sources:
        records = list(
            queryset.select_related("history_user").order_by("id", "history_date", "history_id")
        )
        previous: dict[int, Any] = {}
        for record in records:
            before = previous.get(record.id)
            fields = [
                f.name
                for f in record.instance_type._meta.concrete_fields
                if f.name not in _HISTORY_SKIP
            ]
            if record.history_type == "+":
                change = "Created"
                changes = [
                    (n, "", _display(record, n)) for n in fields if _display(record, n) != "—"
                ]
            elif record.history_type == "-":
                change, changes = "Deleted", []
            else:
                change = "Changed"
                changes = []
                for n in fields:
                    old = _display(before, n) if before is not None else "?"
                    new = _display(record, n)
                    if old != new:
                        changes.append((n, old, new))
            previous[record.id] = record
            if change == "Changed" and not changes:
                continue
            user = record.history_user
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(user.full_name or user.email) if user else "System",
                    kind=kind,
                    label=_history_label(kind, record),
                    change=change,
                    changes=[(n.replace("_", " "), old, new) for n, old, new in changes],
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _history_label(kind: str, record) -> str:
    if kind == "Priority":
        return f"{record.number}. {record.title}"
    if kind == "Progress update":
        return f"{record.get_rag_display()} on {record.date}"
    if kind == "Funding":
        return f"{record.get_source_display()} {financial_year_label(record.financial_year)}"
    return getattr(record, "title", str(record))
