"""Reads for a plan's history: every recorded change to it and everything in it."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.text import Truncator

from sli_portal.templatetags import govuk

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
    changes: list[tuple[str, str, str]]  # (field, before, after), values as people read them

    @property
    def sentences(self) -> list[str]:
        """The change as plain sentences: "Anna Smith changed the RAG status of progress update
        “Amber on 8 December 2026” from Amber to Green"."""
        thing = f"{self.kind.lower()} “{self.label}”"
        if self.change == "Created":
            return [f"{self.who} added the {thing}"]
        if self.change == "Deleted":
            return [f"{self.who} deleted the {thing}"]
        lines = []
        for field, before, after in self.changes:
            if before in ("", NOT_SET):
                lines.append(f"{self.who} set the {field} of the {thing} to {after}")
            elif after == NOT_SET:
                lines.append(f"{self.who} removed the {field} of the {thing} (was {before})")
            else:
                lines.append(
                    f"{self.who} changed the {field} of the {thing} from {before} to {after}"
                )
        return lines

    @property
    def details(self) -> list[tuple[str, str]]:
        """What a new object was created with: (field, value)."""
        return (
            [(field, after) for field, _, after in self.changes] if self.change == "Created" else []
        )


NOT_SET = "not set"

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
    "created_by",
    "uploaded_by",
    "plan",
    "priority",
}


def _display(record, name: str, names: dict) -> str:
    """A field's value as a person reads it: names not ids, "£25,000" not "25000.00",
    "8 December 2026" not "2026-12-08"."""
    field_obj = record._meta.get_field(name)
    value = getattr(record, field_obj.attname, None)
    if value is None or value == "" or value == []:
        return NOT_SET
    if field_obj.choices:
        return str(dict(field_obj.choices).get(value, value))
    related = getattr(field_obj, "related_model", None)
    if related is not None and field_obj.is_relation:
        return names.get((related, value), f"a deleted {related._meta.verbose_name}")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        amount = govuk.number(value, 2)
        return f"£{amount}" if name == "amount" else amount
    if isinstance(value, date):
        return govuk.govuk_date(value)
    if name == "financial_year":
        return financial_year_label(value)
    if isinstance(value, str):
        return f"“{Truncator(value).words(25)}”"
    return str(value)


def _related_names(records_by_kind: list[list]) -> dict:
    """Names of every object the records point at, one query per related model."""
    wanted: dict[Any, set] = {}
    for records in records_by_kind:
        for record in records[:1]:
            for f in record.instance_type._meta.concrete_fields:
                if f.is_relation and f.name not in _HISTORY_SKIP:
                    ids = {getattr(r, f.attname) for r in records} - {None}
                    wanted.setdefault(f.related_model, set()).update(ids)
    names: dict = {}
    for model, ids in wanted.items():
        for pk, obj in model._base_manager.in_bulk(ids).items():
            names[(model, pk)] = (
                getattr(obj, "full_name", "") or getattr(obj, "name", "") or str(obj)
            )
    return names


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
    fetched = [
        (kind, list(qs.select_related("history_user").order_by("id", "history_date", "history_id")))
        for kind, qs in sources
    ]
    names = _related_names([records for _, records in fetched])
    entries: list[HistoryEntry] = []
    for kind, records in fetched:
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
                    (n, "", _display(record, n, names))
                    for n in fields
                    if _display(record, n, names) != NOT_SET
                ]
            elif record.history_type == "-":
                change, changes = "Deleted", []
            else:
                change = "Changed"
                changes = []
                for n in fields:
                    old = _display(before, n, names) if before is not None else ""
                    new = _display(record, n, names)
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
                    changes=[(_label(record, n), old, new) for n, old, new in changes],
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _label(record, name: str) -> str:
    label = str(record.instance_type._meta.get_field(name).verbose_name)
    return {"rag": "RAG status", "amount (£)": "amount"}.get(label, label)


def _history_label(kind: str, record) -> str:
    if kind == "Priority":
        return f"{record.number}. {record.title}"
    if kind == "Progress update":
        return f"{record.get_rag_display()} on {govuk.govuk_date(record.date)}"
    if kind == "Funding":
        return f"{record.get_source_display()} {financial_year_label(record.financial_year)}"
    return getattr(record, "title", str(record))
