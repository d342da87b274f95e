"""Places and delegates per LA at an event (for its DCSs and the organisers)."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority, Organisation
from regions.scope import user_scope

from ..models.delegates import Delegate, DelegateStatus, WorkshopChoice
from ..models.events import Event, EventStatus, Session
from ..models.guests import GuestDelegate, GuestPlace
from ..models.places import Allocation, PlaceRequest
from .counts import PlaceCounts, place_counts


def _delegates_with_choices() -> QuerySet[Delegate]:
    return Delegate.objects.select_related("local_authority").prefetch_related(
        Prefetch(
            "choices",
            queryset=WorkshopChoice.objects.select_related("session").order_by("rank"),
            to_attr="workshop_choices",
        )
    )


@dataclass
class LAPlaces:
    local_authority: LocalAuthority
    places: int
    used: int
    delegates: list = field(default_factory=list)
    no_shows: int = 0
    event_full: bool = False  # the event's overall capacity is reached

    @property
    def free(self) -> int:
        """Places this LA can still use: none when the event is full."""
        return 0 if self.event_full else max(self.places - self.used, 0)


def la_places(*, event: Event, la: LocalAuthority) -> LAPlaces:
    """One LA's places at the event and its delegates (for its DCS and the organisers)."""
    allocation = Allocation.objects.filter(event=event, local_authority=la).first()
    delegates = list(
        _delegates_with_choices()
        .filter(event=event, local_authority=la, status=DelegateStatus.REGISTERED)
        .order_by("full_name", "pk")
    )
    places = allocation.places if allocation else event.places_per_la
    return LAPlaces(local_authority=la, places=places, used=len(delegates), delegates=delegates)


def dcs_places(*, user, event: Event, counts: PlaceCounts | None = None) -> list[LAPlaces]:
    """Places at the event of each LA of its region where the user is DCS (none for a meeting,
    which is attended by invitation): three queries however many LAs (the LAs with their
    allocation, their delegates, the delegates' workshop choices), and for an event with an
    overall capacity one more unless its `counts` are given (whether it is full counts the
    partners on guest places too)."""
    if event.is_meeting:
        return []
    la_ids = user_scope(user).las_with_role("dcs")
    if not la_ids:
        return []
    allocated = Allocation.objects.filter(event=event, local_authority_id=OuterRef("pk")).values(
        "places"
    )[:1]
    rows = {
        la.pk: LAPlaces(
            local_authority=la,
            places=la.allocated if la.allocated is not None else event.places_per_la,
            used=0,
        )
        for la in LocalAuthority.objects.filter(pk__in=la_ids, region_id=event.region_id)
        .annotate(allocated=Subquery(allocated))
        .order_by("name")
    }
    if rows:
        for delegate in (
            _delegates_with_choices()
            .filter(event=event, local_authority_id__in=rows, status=DelegateStatus.REGISTERED)
            .order_by("full_name", "pk")
        ):
            row = rows[delegate.local_authority_id]
            row.delegates.append(delegate)
            row.used += 1
        if event.capacity is not None:
            full = (counts or place_counts(event)).is_full
            for row in rows.values():
                row.event_full = full
    return list(rows.values())


def registered_delegates(*, event: Event) -> QuerySet[Delegate]:
    """The event's registered delegates with their LA and workshop choices (the organisers'
    list: sorted and paginated by the page)."""
    return _delegates_with_choices().filter(event=event, status=DelegateStatus.REGISTERED)


def registrations_by_la(*, event: Event) -> list[LAPlaces]:
    """Every LA of the region: places, places used, and no-shows across the region's past
    events (organisers only). The delegates are not read here (see `registered_delegates`)."""
    allocations = {a.local_authority_id: a.places for a in Allocation.objects.filter(event=event)}
    rows = {
        la.pk: LAPlaces(
            local_authority=la, places=allocations.get(la.pk, event.places_per_la), used=0
        )
        for la in LocalAuthority.objects.filter(
            Q(region_id=event.region_id, is_active=True) | Q(pk__in=list(allocations))
        ).order_by("name")
    }
    # Counted by the database: the delegates themselves are listed a page at a time
    # (`registered_delegates`).
    used = (
        Delegate.objects.filter(event=event, status=DelegateStatus.REGISTERED)
        .order_by()
        .values("local_authority_id")
        .annotate(n=Count("pk"))
        .values_list("local_authority_id", "n")
    )
    for la_id, count in used:
        if la_id in rows:
            rows[la_id].used = count
    for la_id, count in no_shows_by_la(region_id=event.region_id).items():
        if la_id in rows:
            rows[la_id].no_shows = count
    return list(rows.values())


def no_shows_by_la(*, region_id: int) -> dict[int, int]:
    """Delegates who held a place at a finished event of the region but were not checked in."""
    return dict(
        Delegate.objects.filter(
            event__region_id=region_id,
            event__status=EventStatus.PUBLISHED,
            event__ends_at__lte=timezone.now(),
            status=DelegateStatus.REGISTERED,
            checked_in_at__isnull=True,
        )
        .values("local_authority_id")
        .annotate(n=Count("pk"))
        .values_list("local_authority_id", "n")
    )


def event_delegates(*, event: Event) -> list[Delegate]:
    """All active LA delegates, for organisers' exports and check-in (the partners on guest
    places: `guests.event_guests`)."""
    return list(
        _delegates_with_choices()
        .filter(event=event, status=DelegateStatus.REGISTERED)
        .order_by("local_authority__name", "full_name", "pk")
    )


def delegates_for_change() -> QuerySet[Delegate]:
    """Delegates with their event and workshops, for `access.fetch` (the rules decide who may
    see and change one)."""
    return _delegates_with_choices().select_related("event__region")


def self_registration_la(user: User, event: Event) -> LocalAuthority | None:
    """The LA whose place a member would use at this event (their LA in the event's region)."""
    scope = user_scope(user)
    la_ids = sorted(la for la, region in scope.la_region_ids.items() if region == event.region_id)
    return LocalAuthority.objects.filter(pk__in=la_ids[:1]).first() if la_ids else None


def la_colleagues(*, event: Event, la: LocalAuthority) -> QuerySet[User]:
    """The LA's people (active members in any role) who do not already have a place at the
    event, to register with a tick each."""
    registered = Delegate.objects.filter(event=event, status=DelegateStatus.REGISTERED)
    return (
        User.objects.filter(is_active=True, memberships__local_authority=la)
        .exclude(email__in=registered.values("email"))
        .distinct()
        .order_by("full_name", "pk")
    )


def registrations_rows(*, event: Event) -> list[QuerySet]:
    """Every row the registrations page's body reads (sli_portal.fragments: its stamp), unevaluated:
    the region's events and their delegates (this event's, and the no-shows at past ones), the
    event's places, workshop choices, sessions and pool requests, and the LAs shown."""
    return [
        Event.objects.filter(region_id=event.region_id),
        Delegate.objects.filter(event__region_id=event.region_id),
        Allocation.objects.filter(event=event),
        LocalAuthority.objects.filter(
            Q(region_id=event.region_id)
            | Q(pk__in=Allocation.objects.filter(event=event).values("local_authority_id"))
        ),
        WorkshopChoice.objects.filter(delegate__event=event),
        Session.objects.filter(event=event),
        PlaceRequest.objects.filter(event=event),
        GuestPlace.objects.filter(event=event),
        GuestDelegate.objects.filter(guest_place__event=event),
        Organisation.objects.filter(event_guest_places__event=event),
    ]
