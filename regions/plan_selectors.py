"""Reads for plan pages, exports and the dashboard. Query counts do not grow with the plan."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from sli_portal.dashboard import Item, Section

from .models import LocalAuthority
from .plan_models import (
    OPEN_ACTION_STATUSES,
    Action,
    Ballot,
    BallotChoice,
    CandidatePriority,
    FundingContribution,
    FundingSource,
    FundingStatus,
    GroupAccountEntry,
    GroupAnnualAccount,
    Plan,
    PlanStatus,
    Priority,
    ProgressUpdate,
    RegionalGroup,
    Theme,
    Vote,
    VoteCandidate,
    VoteDelegate,
    VoteMethod,
    financial_year_label,
)
from .scope import user_scope

STALE_AFTER_DAYS = 90


def _latest_update(field_name: str):
    return Subquery(
        ProgressUpdate.objects.filter(priority=OuterRef("pk"))
        .order_by("-date", "-created_at")
        .values(field_name)[:1]
    )


def priorities_with_rag():
    """Priorities annotated with their current RAG and the date of their latest update."""
    return Priority.objects.annotate(
        current_rag=_latest_update("rag"), last_update_on=_latest_update("date")
    )


def plans_for_region(*, region) -> list[Plan]:
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


# --- funding --------------------------------------------------------------------------------


@dataclass
class FundingYear:
    year: int
    label: str
    contributions: list = field(default_factory=list)
    total: Decimal = Decimal("0")
    received: Decimal = Decimal("0")
    by_source: dict[str, Decimal] = field(default_factory=dict)
    unpaid_las: list = field(default_factory=list)


@dataclass
class FundingSummary:
    years: list[FundingYear]
    by_source: list[tuple[str, Decimal]]
    total: Decimal
    received: Decimal


def funding_summary(*, plan: Plan) -> FundingSummary:
    """Contributions per financial year, totals per year and source, and LAs yet to pay."""
    contributions = list(
        FundingContribution.objects.filter(plan=plan)
        .select_related("local_authority")
        .order_by("financial_year", "source", "local_authority__name", "pk")
    )
    las = list(
        LocalAuthority.objects.filter(region_id=plan.region_id, is_active=True).order_by("name")
    )
    labels = dict(FundingSource.choices)
    years = {y: FundingYear(year=y, label=financial_year_label(y)) for y in plan.financial_years}
    source_totals: dict[str, Decimal] = defaultdict(Decimal)
    paid: dict[int, set[int]] = defaultdict(set)
    for c in contributions:
        year = years.setdefault(
            c.financial_year, FundingYear(year=c.financial_year, label=c.year_label)
        )
        year.contributions.append(c)
        year.total += c.amount
        label = labels[c.source]
        year.by_source[label] = year.by_source.get(label, Decimal("0")) + c.amount
        source_totals[label] += c.amount
        if c.status == FundingStatus.RECEIVED:
            year.received += c.amount
            if c.local_authority_id:
                paid[c.financial_year].add(c.local_authority_id)
    for year in years.values():
        year.unpaid_las = [la for la in las if la.pk not in paid[year.year]]
    ordered = [years[y] for y in sorted(years)]
    return FundingSummary(
        years=ordered,
        by_source=[
            (label, source_totals[label])
            for _, label in FundingSource.choices
            if label in source_totals
        ],
        total=sum((y.total for y in ordered), Decimal("0")),
        received=sum((y.received for y in ordered), Decimal("0")),
    )


# --- history --------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
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
        previous = {}
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


# --- groups and votes -----------------------------------------------------------------------


def groups_for_region(*, region) -> list[RegionalGroup]:
    return list(
        RegionalGroup.objects.filter(region=region)
        .select_related("sponsor")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )


def group_for_page(*, pk: int) -> RegionalGroup:
    return (
        RegionalGroup.objects.select_related("region", "sponsor")
        .prefetch_related(
            "members",
            Prefetch(
                "priorities",
                queryset=Priority.objects.select_related("plan").order_by("plan", "number"),
            ),
            Prefetch(
                "accounts",
                queryset=GroupAnnualAccount.objects.select_related("submitted_by").prefetch_related(
                    Prefetch(
                        "entries", queryset=GroupAccountEntry.objects.select_related("priority")
                    )
                ),
            ),
        )
        .get(pk=pk)
    )


def candidate_priorities_for_region(*, region) -> list[CandidatePriority]:
    """The region's candidate priorities for its next plan: open ones first, newest first."""
    return list(
        CandidatePriority.objects.filter(region=region)
        .select_related("region", "proposed_by", "adopted_as__plan")
        .annotate(vote_count=Count("vote_candidates__vote", distinct=True))
        .order_by(F("adopted_as").asc(nulls_first=True), "-proposed_at", "-pk")
    )


def votes_for_region(*, region) -> list[Vote]:
    return list(
        Vote.objects.filter(region=region)
        .annotate(ballot_count=Count("ballots", distinct=True))
        .order_by("-closes_at")
    )


@dataclass
class CandidateResult:
    candidate: VoteCandidate
    count: int
    points: int
    first_choices: int


def vote_results(*, vote: Vote) -> list[CandidateResult]:
    """Per candidate: ballots choosing it, and for ranked votes Borda points (N for a 1st, ...)."""
    candidates = list(vote.candidates.select_related("promoted_to").order_by("position", "pk"))
    tallies = {
        c.pk: CandidateResult(candidate=c, count=0, points=0, first_choices=0) for c in candidates
    }
    choices = BallotChoice.objects.filter(ballot__vote=vote).values_list("candidate_id", "rank")
    for candidate_id, rank in choices:
        result = tallies[candidate_id]
        result.count += 1
        if vote.method == VoteMethod.RANKED and rank:
            result.points += vote.max_choices - rank + 1
            result.first_choices += rank == 1
    key = (
        (lambda r: (-r.points, -r.count))
        if vote.method == VoteMethod.RANKED
        else (lambda r: -r.count)
    )
    return sorted(tallies.values(), key=key)


@dataclass
class VoteTurnout:
    la: LocalAuthority
    ballot: Ballot | None
    delegate: VoteDelegate | None


def vote_turnout(*, vote: Vote) -> list[VoteTurnout]:
    las = LocalAuthority.objects.filter(region_id=vote.region_id, is_active=True).order_by("name")
    ballots = {b.local_authority_id: b for b in vote.ballots.select_related("cast_by")}
    delegates = {d.local_authority_id: d for d in vote.delegates.select_related("user")}
    return [
        VoteTurnout(la=la, ballot=ballots.get(la.pk), delegate=delegates.get(la.pk)) for la in las
    ]


# --- exports --------------------------------------------------------------------------------


def plan_export_data(*, pk: int):
    plan = plan_for_page(pk=pk)
    return plan, funding_summary(plan=plan)


# --- dashboard ------------------------------------------------------------------------------


def dashboard_sections(user) -> list[Section]:
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
                    f"due {action.due_date:%-d %b %Y}",
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
                    f"Last update {priority.last_update_on:%-d %b %Y}",
                )
            elif priority.last_update_on is None:
                badge, level, detail = "No update", "warning", "No progress recorded yet"
            else:
                badge, level = "Stale", "warning"
                detail = f"No update since {priority.last_update_on:%-d %b %Y}"
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


def navigation_items(user, scope) -> list[tuple[str, str]]:
    """ "Plans" in the main navigation for anyone with a role in a region (no query: the link
    resolves the region when followed)."""
    from django.urls import reverse

    return [("Plans", reverse("regions:plan_home"))] if scope.region_ids else []
