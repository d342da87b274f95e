"""One count of places everywhere: the dashboard, the event page, the registrations page and
the LA page all read an event's places and who holds them from here, so their numbers agree.

- LA places: each LA's allocation, or the event's default for an active LA of the region that
  has none (as the registrations page lists them); taken: the LAs' registered delegates.
- Guest places: what the programme manager granted partner organisations; taken: the partners
  registered on them.
- Taken in all (what the venue's capacity counts): LA delegates and guests.
"""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from regions.models import LocalAuthority

from ..models.delegates import Delegate, DelegateStatus
from ..models.events import Event
from ..models.guests import GuestDelegate, GuestPlace
from ..models.places import Allocation


@dataclass(frozen=True)
class PlaceCounts:
    la_places: int
    la_taken: int
    guest_places: int = 0
    guests_taken: int = 0
    capacity: int | None = None

    @property
    def places(self) -> int:
        return self.la_places + self.guest_places

    @property
    def taken(self) -> int:
        return self.la_taken + self.guests_taken

    @property
    def is_full(self) -> bool:
        """The venue's overall capacity is reached (LA delegates and guests alike)."""
        return self.capacity is not None and self.taken >= self.capacity


def _count(queryset: QuerySet, event_field: str = "event_id") -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values(event_field).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _sum(queryset: QuerySet, field: str) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values("event_id").annotate(n=Sum(field)).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_place_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """The events annotated with their counts (read them with `counts_of`): still one query."""
    unallocated = (
        LocalAuthority.objects.filter(region_id=OuterRef("region_id"), is_active=True)
        .exclude(
            Exists(
                Allocation.objects.filter(
                    event_id=OuterRef(OuterRef("pk")), local_authority_id=OuterRef("pk")
                )
            )
        )
        .order_by()
        .values("region_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return events.annotate(
        _allocated=_sum(Allocation.objects.filter(event_id=OuterRef("pk")), "places"),
        _unallocated=Coalesce(Subquery(unallocated, output_field=IntegerField()), Value(0)),
        _la_taken=_count(
            Delegate.objects.filter(event_id=OuterRef("pk"), status=DelegateStatus.REGISTERED)
        ),
        _guest_places=_sum(GuestPlace.objects.filter(event_id=OuterRef("pk")), "places"),
        _guests_taken=_count(
            GuestDelegate.objects.filter(
                guest_place__event_id=OuterRef("pk"), status=DelegateStatus.REGISTERED
            ),
            "guest_place__event_id",
        ),
    )


def counts_of(event: Event) -> PlaceCounts:
    """The counts of an event read through `with_place_counts`."""
    return PlaceCounts(
        la_places=event._allocated + event._unallocated * event.places_per_la,  # type: ignore[attr-defined]
        la_taken=event._la_taken,  # type: ignore[attr-defined]
        guest_places=event._guest_places,  # type: ignore[attr-defined]
        guests_taken=event._guests_taken,  # type: ignore[attr-defined]
        capacity=event.capacity,
    )


def place_counts(event: Event) -> PlaceCounts:
    """One event's counts (one query)."""
    return counts_of(with_place_counts(Event.objects.filter(pk=event.pk)).get())


def with_la_place_counts(events: QuerySet[Event], la_id: int) -> QuerySet[Event]:
    """The events annotated with one LA's places and delegates (read with `la_counts_of`)."""
    allocated = Allocation.objects.filter(event_id=OuterRef("pk"), local_authority_id=la_id)
    return events.annotate(
        _la_allocation=Subquery(allocated.values("places")[:1], output_field=IntegerField()),
        _la_taken=_count(
            Delegate.objects.filter(
                event_id=OuterRef("pk"), local_authority_id=la_id, status=DelegateStatus.REGISTERED
            )
        ),
    )


def la_counts_of(event: Event) -> PlaceCounts:
    allocation = event._la_allocation  # type: ignore[attr-defined]
    return PlaceCounts(
        la_places=event.places_per_la if allocation is None else allocation,
        la_taken=event._la_taken,  # type: ignore[attr-defined]
    )
