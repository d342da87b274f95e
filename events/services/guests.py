"""Guest places: the programme manager grants a partner organisation places at an event,
outside the LAs' allocations; a partner of that organisation takes one for themselves.

Capacity holds under simultaneous requests the way LA places do: every write locks the event
row, then the organisation's guest place row, and counts inside the lock."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Membership, Organisation, Role
from sli_portal.access import System, require, user_of

from ..models.delegates import Delegate, DelegateStatus
from ..models.events import Event
from ..models.guests import GuestDelegate, GuestPlace
from ..models.notices import NoticeKind
from .notices import _notify
from .places import _check_registration_open


def _partner_organisation_ids(event: Event) -> set[int]:
    return set(
        Membership.objects.filter(role=Role.PARTNER, region_id=event.region_id).values_list(
            "organisation_id", flat=True
        )
    )


def _lock_guest_place(event: Event, organisation_id: int) -> GuestPlace | None:
    return (
        GuestPlace.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(event=event, organisation_id=organisation_id)
        .first()
    )


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _taken(guest_place: GuestPlace) -> int:
    return guest_place.delegates.filter(status=DelegateStatus.REGISTERED).count()


@transaction.atomic
def guest_places_grant(
    *, actor: User | System, event: Event, organisation: Organisation, places: int
) -> GuestPlace:
    """Give a partner organisation of the event's region this many guest places (0 takes back
    the unused ones; never fewer than its partners already hold)."""
    event = Event.objects.select_related("region").select_for_update(of=("self",)).get(pk=event.pk)
    require(actor, "events.manage_event", event)
    if organisation.pk not in _partner_organisation_ids(event):
        raise ValidationError(
            {"organisation": f"{organisation.name} is not a partner of {event.region.name}."}
        )
    if places < 0:
        raise ValidationError({"places": "Guest places cannot be negative."})
    guest_place = _lock_guest_place(event, organisation.pk)
    if guest_place is None:
        try:
            with transaction.atomic():
                GuestPlace.objects.create(
                    event=event, organisation=organisation, places=places, granted_by=user_of(actor)
                )
        except IntegrityError:
            pass
        guest_place = _lock_guest_place(event, organisation.pk)
        assert guest_place is not None
    taken = _taken(guest_place)
    if places < taken:
        raise ValidationError(
            {
                "places": f"{_people(taken)} from {organisation.name} already "
                f"{'holds a guest place' if taken == 1 else 'hold guest places'}: "
                f"they give places back before you lower them to {places}."
            }
        )
    if guest_place.places != places:  # a repeat of the same grant records nothing new
        guest_place.places, guest_place.granted_by = places, user_of(actor)
        guest_place.save(update_fields=["places", "granted_by"])
    return guest_place


@transaction.atomic
def guest_register_self(
    *, actor: User | System, event: Event, now: datetime | None = None
) -> GuestDelegate:
    """A partner takes one of their organisation's guest places. Registering twice returns the
    place they already hold (a double submit is harmless)."""
    require(actor, "events.register_as_guest", event)
    partner = user_of(actor)
    if partner is None:
        raise PermissionDenied("Only a partner may take a guest place for themselves.")
    event = Event.objects.select_related("region").select_for_update(of=("self",)).get(pk=event.pk)
    _check_registration_open(actor, event, now or timezone.now())
    organisation_id = (
        Membership.objects.filter(user=partner, role=Role.PARTNER, region_id=event.region_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    guest_place = _lock_guest_place(event, organisation_id) if organisation_id else None
    if guest_place is None or guest_place.places == 0:
        raise ValidationError(
            f"Your organisation has no guest places at {event.title}. "
            f"Ask the programme manager of {event.region.name} for one."
        )
    held = guest_place.delegates.filter(
        email=partner.email.lower(), status=DelegateStatus.REGISTERED
    ).first()
    if held is not None:
        return held
    if _taken(guest_place) >= guest_place.places:
        raise ValidationError(
            f"All {guest_place.places} guest places for {guest_place.organisation.name} at "
            f"{event.title} are taken."
        )
    _check_capacity(event)
    guest = GuestDelegate.objects.create(
        guest_place=guest_place,
        user=partner,
        full_name=partner.full_name,
        email=partner.email.lower(),
    )
    _notify(
        event,
        NoticeKind.CONFIRMATION,
        f"guest-confirmation:{guest.pk}",
        email=guest.email,
        name=guest.full_name,
    )
    return guest


def _check_capacity(event: Event) -> None:
    """The venue's capacity counts LA delegates and guests alike (the caller holds the event's
    row lock, which every registration takes first)."""
    if event.capacity is None:
        return
    total = (
        Delegate.objects.filter(event=event, status=DelegateStatus.REGISTERED).count()
        + GuestDelegate.objects.filter(
            guest_place__event=event, status=DelegateStatus.REGISTERED
        ).count()
    )
    if total >= event.capacity:
        raise ValidationError(f"{event.title} is full: all {event.capacity} places are taken.")


@transaction.atomic
def guest_cancel_self(*, actor: User | System, event: Event, now: datetime | None = None) -> int:
    """A partner gives their guest place back (it is free for a colleague at once)."""
    require(actor, "events.register_as_guest", event)
    partner = user_of(actor)
    if partner is None:
        raise PermissionDenied("Only a partner may give back their own guest place.")
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    held = list(
        GuestDelegate.objects.select_for_update().filter(
            guest_place__event=event, user=partner, status=DelegateStatus.REGISTERED
        )
    )
    for delegate in held:  # saved one by one: the history records who gave it back, and when
        delegate.status, delegate.cancelled_at = DelegateStatus.CANCELLED, now or timezone.now()
        delegate.save(update_fields=["status", "cancelled_at"])
    return len(held)


@transaction.atomic
def guest_check_in(
    *, actor: User | System, guest: GuestDelegate, attended: bool = True
) -> GuestDelegate:
    """The organisers mark a partner on a guest place as attended (or undo it), as they do an
    LA's delegate; the history records who did it and when."""
    guest = (
        GuestDelegate.objects.select_for_update(of=("self",))
        .select_related("guest_place__event")
        .get(pk=guest.pk)
    )
    require(actor, "events.manage_event", guest.guest_place.event)
    if not guest.is_active:
        raise ValidationError(f"{guest.full_name}'s guest place was given back.")
    guest.checked_in_at = timezone.now() if attended else None
    guest._history_user = user_of(actor)  # type: ignore[attr-defined]
    guest._change_reason = "Checked in" if attended else "Check-in undone"  # type: ignore[attr-defined]
    guest.save(update_fields=["checked_in_at"])
    return guest
