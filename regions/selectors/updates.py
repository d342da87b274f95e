"""Reads for regional updates: the region's archive, one update with its related updates, the
public pages (only what is published and public, no people beyond the opted-in contact), the
send log, and the navigation entry. Query counts do not grow with the data."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from accounts.models import User
from sli_portal.outbox import OutboxStatus

from ..models import (
    Membership,
    Plan,
    PriorityStatus,
    PublicProfile,
    Region,
    Role,
    Subscriber,
    Tag,
    Theme,
    Update,
    UpdateEmail,
    UpdateStatus,
)
from ..scope import UserScope, user_scope
from .plans import priorities_with_rag

ARCHIVE_SIZE = 50
RELATED_SIZE = 3


def _with_tags(updates: QuerySet[Update]) -> QuerySet[Update]:
    return updates.prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))


def region_updates(user: User, region: Region) -> list[Update]:
    """The region's latest updates for a signed-in reader (see `region_updates_listed`)."""
    return list(region_updates_listed(user, region)[:ARCHIVE_SIZE])


def region_updates_listed(user: User, region: Region) -> QuerySet[Update]:
    """The region's updates for a signed-in reader: drafts only for its programme managers
    (every one of them, for the page to sort and cut into pages)."""
    scope = user_scope(user)
    updates = Update.objects.filter(region=region)
    if not (scope.is_admin or scope.manages_region(region.pk)):
        updates = updates.filter(status=UpdateStatus.PUBLISHED)
        # The region's people and its partners read every published update (issue 17).
        if not (scope.in_region(region.pk) or region.pk in scope.partner_region_ids):
            updates = updates.filter(is_public=True)
    return _with_tags(updates.order_by("status", "-publish_date", "-created_at"))


def update_for_page() -> QuerySet[Update]:
    """Updates as their pages read them (fetch one with `sli_portal.access.fetch`)."""
    return _with_tags(Update.objects.select_related("region", "author", "published_by"))


def related_updates(update: Update, *, public_only: bool) -> list[Update]:
    """Published updates sharing a tag with this one, most shared tags first, then newest."""
    tag_ids = [tag.pk for tag in update.tags.all()]
    if not tag_ids:
        return []
    related = (
        Update.objects.filter(
            region_id=update.region_id, status=UpdateStatus.PUBLISHED, tags__in=tag_ids
        )
        .exclude(pk=update.pk)
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
        .order_by("-shared", "-publish_date", "-pk")
    )
    if public_only:
        related = related.filter(is_public=True)
    return list(related[:RELATED_SIZE])


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    what: str


HISTORY_LABELS = {
    "title": "title",
    "summary": "summary",
    "body": "text",
    "is_public": "public or not",
    "featured_event": "featured event",
    "status": "status",
    "publish_date": "publish date",
    "emailed_at": "email edition sent",
}


def update_history(update: Update) -> list[HistoryEntry]:
    """Who changed what and when, newest first (the last 20 changes), in two queries: the
    records, and the tags each record kept."""
    records = list(update.history.select_related("history_user").order_by("-history_date")[:21])
    kept = apps.get_model("regions", "HistoricalUpdate_tags").objects.filter(
        history_id__in=[r.history_id for r in records]
    )
    tags: dict[int, set[int]] = {}
    for history_id, tag_id in kept.values_list("history_id", "tag_id"):
        tags.setdefault(history_id, set()).add(tag_id)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None:
            what = "started" if newer.history_type == "+" else "changed"
        else:
            changed = set(
                newer.diff_against(older, included_fields=list(HISTORY_LABELS)).changed_fields
            )
            names = [label for name, label in HISTORY_LABELS.items() if name in changed]
            if tags.get(newer.history_id, set()) != tags.get(older.history_id, set()):
                names.append("tags")
            if not names:
                continue  # a save that changed nothing
            what = ", ".join(names)
            if "status" in changed:
                what += f" (now {newer.get_status_display().lower()})"
        who = newer.history_user.full_name if newer.history_user else "the portal"
        entries.append(HistoryEntry(newer.history_date, who, what))
    return entries[:20]


# --- the send log ---------------------------------------------------------------------------


@dataclass
class SendLog:
    rows: list[UpdateEmail]
    counts: dict[str, int] = field(default_factory=dict)


def send_log(update: Update) -> SendLog:
    rows = list(UpdateEmail.objects.filter(update=update).order_by("status", "email"))
    counts = Counter(row.get_status_display() for row in rows)
    return SendLog(
        rows=rows, counts={label: counts.get(label, 0) for _, label in OutboxStatus.choices}
    )


# --- public pages ---------------------------------------------------------------------------


def public_profile(slug: str) -> PublicProfile:
    """The region's public profile, or 404 when the region has not turned its public pages on."""
    profile = (
        PublicProfile.objects.select_related("region")
        .filter(region__slug=slug, is_enabled=True)
        .first()
    )
    if profile is None:
        raise Http404
    return profile


def public_updates(region: Region, *, tag: Tag | None = None) -> list[Update]:
    updates = Update.objects.filter(region=region, status=UpdateStatus.PUBLISHED, is_public=True)
    if tag is not None:
        updates = updates.filter(tags=tag)
    updates = updates.select_related("region").order_by("-publish_date", "-published_at")
    return list(_with_tags(updates)[:ARCHIVE_SIZE])


def public_update(region: Region, pk: int) -> Update:
    update = (
        _with_tags(Update.objects.select_related("region"))
        .filter(region=region, status=UpdateStatus.PUBLISHED)
        .filter(is_public=True, pk=pk)
        .first()
    )
    if update is None:
        raise Http404
    return update


def public_tags(region: Region) -> list[Tag]:
    """Tags of the region's public updates, with how many each."""
    published = Q(updates__region=region, updates__status=UpdateStatus.PUBLISHED)
    published &= Q(updates__is_public=True)
    return list(
        Tag.objects.annotate(count=Count("updates", filter=published))
        .filter(count__gt=0)
        .order_by("name")
    )


def tag_by_slug(slug: str) -> Tag:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404
    return tag


@dataclass(frozen=True)
class PublicPriority:
    number: int
    title: str
    rag: str  # "red" / "amber" / "green" / ""


@dataclass(frozen=True)
class PublicTheme:
    title: str
    priorities: list[PublicPriority]


@dataclass(frozen=True)
class PlanSummary:
    title: str
    period: str
    summary: str
    themes: list[PublicTheme]


def public_plan_summary(region: Region) -> PlanSummary | None:
    """The current plan's themes and priorities with their RAG: titles and colours only (no
    sponsors, leads, narratives or actions)."""
    plan = Plan.objects.filter(region=region, is_current=True).first()
    if plan is None:
        return None
    priorities = (
        priorities_with_rag()
        .filter(status__in=[PriorityStatus.ACTIVE, PriorityStatus.COMPLETED])
        .order_by("position", "number")
        .only("pk", "number", "title", "theme_id")
    )
    themes = (
        Theme.objects.filter(plan=plan)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("priorities", queryset=priorities))
    )
    return PlanSummary(
        title=plan.title,
        period=plan.period_label,
        summary=plan.summary,
        themes=[
            PublicTheme(
                title=theme.title,
                priorities=[
                    PublicPriority(p.number, p.title, p.current_rag or "")
                    for p in theme.priorities.all()
                ],
            )
            for theme in themes
        ],
    )


def featured_event_start(update: Update) -> datetime | None:
    starts = (update.featured_event or {}).get("starts_at")
    return parse_datetime(starts) if starts else None


def latest_publish_date(region: Region) -> date | None:
    found = (
        Update.objects.filter(region=region, status=UpdateStatus.PUBLISHED, is_public=True)
        .order_by("-publish_date")
        .values_list("publish_date", flat=True)
        .first()
    )
    return found


def navigation_items(user: User, scope: UserScope) -> list[tuple[str, str]]:
    """ "Updates" for anyone with a role in a region (no query)."""
    return [("Updates", reverse("regions:update_home"))] if scope.region_ids else []


def update_recipients(update: Update) -> dict[str, bool]:
    """Who the email edition goes to (`services.updates.update_send`): address (lower case) ->
    is a member; members of the region, then (for a public update)
    confirmed subscribers; anyone who unsubscribed is left out."""
    region_id = update.region_id
    opted_out = set(
        Subscriber.objects.filter(region_id=region_id, unsubscribed_at__isnull=False).values_list(
            "email", flat=True
        )
    )
    opted_out = {e.lower() for e in opted_out}
    members = Membership.objects.filter(
        Q(role=Role.PROGRAMME_MANAGER, region_id=region_id)
        | Q(local_authority__region_id=region_id),
        user__is_active=True,
    )
    addresses: dict[str, bool] = {}
    for email in members.values_list("user__email", flat=True):
        if email and email.lower() not in opted_out:
            addresses[email.lower()] = True
    if update.is_public:
        for email in Subscriber.objects.filter(
            region_id=region_id, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        ).values_list("email", flat=True):
            addresses.setdefault(email.lower(), False)
    return addresses


@dataclass(frozen=True)
class SendPreview:
    members: int  # members of the region not yet sent this edition
    subscribers: int  # confirmed public subscribers not yet sent it


def update_send_preview(update: Update) -> SendPreview:
    """Whom `update_send` would email now: the recipients not already recorded."""
    already = {
        e.lower() for e in UpdateEmail.objects.filter(update=update).values_list("email", flat=True)
    }
    new = [m for e, m in update_recipients(update).items() if e not in already]
    return SendPreview(members=sum(1 for m in new if m), subscribers=sum(1 for m in new if not m))
