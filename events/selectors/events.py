"""Events a user may see, with their programme; clashes and dates to avoid."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from regions.scope import user_scope
from sli_portal.access import is_admin
from sli_portal.outbox import OutboxStatus

from ..models.delegates import DelegateStatus
from ..models.events import Event, EventStatus, ExternalDate, Session, Speaker
from ..models.notices import Notice, NoticeKind

ACTIVE = Q(delegates__status=DelegateStatus.REGISTERED)
# Places taken in a workshop: allocated choices of delegates still registered.
WORKSHOP_TAKEN = Count(
    "choices",
    filter=Q(choices__allocated=True, choices__delegate__status=DelegateStatus.REGISTERED),
)


def visible_events(user) -> QuerySet[Event]:
    """Events of the user's regions (and of the regions they are a partner of): drafts only
    for the region's organisers; all for admins."""
    scope = user_scope(user)
    events = Event.objects.select_related("region")
    if is_admin(user):
        return events
    readable = scope.region_ids | scope.partner_region_ids
    return events.filter(
        Q(region_id__in=scope.managed_region_ids)
        | (Q(region_id__in=readable) & ~Q(status=EventStatus.DRAFT))
    )


def event_list(user) -> QuerySet[Event]:
    return (
        visible_events(user)
        .annotate(registered=Count("delegates", filter=ACTIVE))
        .order_by("starts_at", "pk")
    )


def _programme_prefetch() -> Prefetch:
    return Prefetch(
        "sessions",
        queryset=Session.objects.prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("order", "pk"))
        )
        .annotate(taken=WORKSHOP_TAKEN)
        .order_by("starts_at", "title", "pk"),
        to_attr="programme",
    )


def events_with_programme(user) -> QuerySet[Event]:
    """The user's events with their programme, workshops' places taken and the overall count
    (for `access.fetch`: an event missing here is one the user may not know of)."""
    return with_programme(
        visible_events(user).annotate(registered=Count("delegates", filter=ACTIVE))
    )


def with_programme(events: QuerySet[Event]) -> QuerySet[Event]:
    """The events with their programme and workshops' places taken, and whether a place
    cancellation can still be undone."""
    return events.annotate(
        # In the same query: whether any place cancellation can still be undone (saves the
        # event page a query when none can: cancellations.undoable_place_cancellations).
        held_place_cancellations=Exists(
            Notice.objects.filter(
                event=OuterRef("pk"),
                kind=NoticeKind.DELEGATE_CANCELLED,
                status=OutboxStatus.PENDING,
            )
        ),
    ).prefetch_related(_programme_prefetch())


def workshops_of(event: Event) -> list[Session]:
    return list(
        event.sessions.filter(is_workshop=True)
        .annotate(taken=WORKSHOP_TAKEN)
        .order_by("starts_at", "title", "pk")
    )


def event_clashes(event: Event) -> list[str]:
    """Other events of the region, and marked external dates, on the same day(s) (London time)."""
    first = timezone.localtime(event.starts_at).date()
    last = timezone.localtime(event.ends_at).date()
    tz = timezone.get_current_timezone()
    day_start = timezone.make_aware(datetime.combine(first, time.min), tz)
    day_end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    clashes = [
        f"{other.title} ({other.get_kind_display().lower()}, "
        f"{timezone.localtime(other.starts_at):%d %B %Y})"
        for other in Event.objects.filter(
            region_id=event.region_id, starts_at__lt=day_end, ends_at__gt=day_start
        )
        .exclude(pk=event.pk)
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at")
    ]
    clashes += [
        str(external)
        for external in ExternalDate.objects.filter(
            Q(region_id=event.region_id) | Q(region__isnull=True), date__range=(first, last)
        )
    ]
    return clashes


def external_dates(user) -> list[ExternalDate]:
    """Dates to avoid in the user's regions, and national ones, from today on."""
    scope = user_scope(user)
    dates = ExternalDate.objects.filter(date__gte=timezone.localdate()).select_related("region")
    if not is_admin(user):
        dates = dates.filter(Q(region__isnull=True) | Q(region_id__in=scope.region_ids))
    return list(dates.order_by("date", "pk"))
