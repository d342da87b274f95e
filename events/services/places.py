"""LA places: allocations, the row locks every place-changing write takes, and the regional pool.

Capacity holds under concurrent requests because every write that changes who holds a place
locks rows in one order: the event, then the LA's allocation, then the workshops sorted by id."""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority
from sli_portal.access import System, can, require, user_of

from .. import signals
from ..models.events import Event, EventStatus, Session
from ..models.notices import NoticeKind
from ..models.places import Allocation, PlaceRequest, PlaceRequestStatus
from .events import _places_used
from .notices import _notify


def _lock_allocation(event: Event, la: LocalAuthority) -> Allocation:
    allocation = (
        Allocation.objects.select_for_update().filter(event=event, local_authority=la).first()
    )
    if allocation is None:
        # An LA that joined the region after the event was created gets the default.
        try:
            with transaction.atomic():
                Allocation.objects.create(
                    event=event, local_authority=la, places=event.places_per_la
                )
        except IntegrityError:
            pass
        allocation = Allocation.objects.select_for_update().get(event=event, local_authority=la)
    return allocation


@transaction.atomic
def allocation_set(
    *, actor: User | System, event: Event, local_authority: LocalAuthority, places: int
) -> Allocation:
    """Give one LA a different number of places from the event's default."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "events.manage_event", event)
    if local_authority.region_id != event.region_id:
        raise ValidationError(f"{local_authority.name} is not in {event.region.name}.")
    if places < 0:
        raise ValidationError({"places": "Places cannot be negative."})
    allocation = _lock_allocation(event, local_authority)
    used = _places_used(event.pk).get(local_authority.pk, 0)
    if places < used:
        raise ValidationError(
            {
                "places": f"{local_authority.name} already has {used} delegates registered: "
                f"cancel some before lowering its places to {places}."
            }
        )
    allocation.places = places
    allocation.is_override = places != event.places_per_la
    allocation.save(update_fields=["places", "is_override"])
    return allocation


def _lock_for_places(
    event_id: int, la: LocalAuthority, workshop_ids: Iterable[int]
) -> tuple[Event, Allocation, list[Session]]:
    """Lock in the one order every writer uses: event, allocation, workshops by id."""
    event = Event.objects.select_related("region").select_for_update(of=("self",)).get(pk=event_id)
    allocation = _lock_allocation(event, la)
    workshops = list(
        Session.objects.select_for_update()
        .filter(event=event, is_workshop=True, pk__in=list(workshop_ids))
        .order_by("pk")
    )
    return event, allocation, workshops


def _check_registration_open(actor: User | System, event: Event, now: datetime) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(
            f"{event.title} is {event.get_status_display().lower()}: registration is closed."
        )
    if event.starts_at <= now:
        raise ValidationError(f"{event.title} has already started: registration is closed.")
    if can(actor, "events.manage_event", event):
        return  # organisers may still add people outside the registration window
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            f"Registration for {event.title} opens on "
            f"{timezone.localtime(event.registration_opens_at):%d %B %Y at %H:%M}."
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise ValidationError(
            f"Registration for {event.title} closed on "
            f"{timezone.localtime(event.registration_closes_at):%d %B %Y at %H:%M}."
        )


def _pool_serve(event: Event, now: datetime) -> int:
    """Grant waiting requests while the pool has places: the LA granted fewest extra places so
    far goes first (then the earliest request), so one fast LA cannot take the whole pool.
    The caller holds the event's row lock."""
    if event.pool_released_at is None or event.pool_places == 0:
        return 0
    waiting = list(
        PlaceRequest.objects.select_for_update(of=("self",))
        .filter(event=event, status=PlaceRequestStatus.WAITING)
        .select_related("local_authority", "requested_by")
        .order_by("requested_at", "pk")
    )
    granted = Counter(
        PlaceRequest.objects.filter(event=event, status=PlaceRequestStatus.GRANTED).values_list(
            "local_authority_id", flat=True
        )
    )
    served = 0
    while event.pool_places > 0 and waiting:
        request = min(waiting, key=lambda r: (granted[r.local_authority_id], r.requested_at, r.pk))
        waiting.remove(request)
        allocation = _lock_allocation(event, request.local_authority)
        allocation.places += 1
        allocation.is_override = True
        allocation.save(update_fields=["places", "is_override"])
        request.status, request.decided_at = PlaceRequestStatus.GRANTED, now
        request.save(update_fields=["status", "decided_at"])
        granted[request.local_authority_id] += 1
        event.pool_places -= 1
        served += 1
        if request.requested_by is not None:
            _notify(
                event,
                NoticeKind.PLACE_GRANTED,
                f"granted:{request.pk}",
                email=request.requested_by.email,
                name=request.requested_by.full_name,
            )
    event.save(update_fields=["pool_places"])
    return served


@transaction.atomic
def pool_release(*, actor: User | System, event: Event, now: datetime | None = None) -> int:
    """Move every LA's unused places into the regional pool and serve waiting requests."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "events.manage_event", event)
    if event.pool_released_at is not None:
        return 0
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        raise ValidationError("Only places at a published event still to come can be pooled.")
    used = _places_used(event.pk)
    released = 0
    for allocation in Allocation.objects.select_for_update().filter(event=event).order_by("pk"):
        free = allocation.places - used.get(allocation.local_authority_id, 0)
        if free > 0:
            allocation.places -= free
            allocation.is_override = True
            allocation.save(update_fields=["places", "is_override"])
            released += free
    event.pool_places += released
    event.pool_released_at = now
    event.save(update_fields=["pool_places", "pool_released_at"])
    _pool_serve(event, now)
    if event.pool_places:
        signals.place_released.send(
            sender=Event, event=event, actor=actor, places=event.pool_places
        )
    return released


def pools_release_due(*, actor: User | System, now: datetime | None = None) -> int:
    """Release the pools whose date has come (a scheduled job)."""
    require(actor, "events.run_jobs")
    now = now or timezone.now()
    due = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        pool_release_at__lte=now,
        pool_released_at__isnull=True,
        starts_at__gt=now,
    ).values_list("pk", flat=True)
    return sum(pool_release(actor=actor, event=Event(pk=pk), now=now) for pk in list(due))


@transaction.atomic
def place_request(
    *,
    actor: User | System,
    event: Event,
    local_authority: LocalAuthority,
    now: datetime | None = None,
) -> PlaceRequest:
    """Ask for one more place from the regional pool; granted at once if the pool has one and
    nobody is waiting, otherwise in fair turn."""
    require(actor, "events.register_for_la", local_authority)
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if local_authority.region_id != event.region_id:
        raise ValidationError(f"{local_authority.name} is not invited to {event.title}.")
    if event.pool_release_at is None:
        raise ValidationError(f"{event.title} has no regional pool of places.")
    _check_registration_open(actor, event, now)
    if PlaceRequest.objects.filter(
        event=event, local_authority=local_authority, status=PlaceRequestStatus.WAITING
    ).exists():
        raise ValidationError(
            f"{local_authority.name} is already waiting for a place from the pool."
        )
    request = PlaceRequest.objects.create(
        event=event, local_authority=local_authority, requested_by=user_of(actor)
    )
    _pool_serve(event, now)
    request.refresh_from_db()
    return request


@transaction.atomic
def place_request_withdraw(
    *, actor: User | System, place_request: PlaceRequest, now: datetime | None = None
) -> PlaceRequest:
    """Take an LA off the pool's waiting list."""
    now = now or timezone.now()
    Event.objects.select_for_update().get(pk=place_request.event_id)
    request = (
        PlaceRequest.objects.select_for_update()
        .select_related("local_authority")
        .get(pk=place_request.pk)
    )
    require(actor, "events.register_for_la", request.local_authority)
    if request.status != PlaceRequestStatus.WAITING:
        raise ValidationError("This request has already been granted or withdrawn.")
    request.status, request.decided_at = PlaceRequestStatus.WITHDRAWN, now
    request.save(update_fields=["status", "decided_at"])
    return request
