"""Guest places: an event's, with who holds them, and a partner's own."""

from django.db.models import Count, Prefetch, Q, QuerySet

from regions.models import Membership, Organisation, Role

from ..models.delegates import DelegateStatus
from ..models.events import Event
from ..models.guests import GuestDelegate, GuestPlace

_ACTIVE = Q(delegates__status=DelegateStatus.REGISTERED)


def guest_places_of(*, event: Event) -> list[GuestPlace]:
    """Every organisation's guest places at the event, with `taken` and the people holding them
    (two queries, whatever the number of organisations)."""
    return list(
        GuestPlace.objects.filter(event=event)
        .select_related("organisation")
        .annotate(taken=Count("delegates", filter=_ACTIVE))
        .prefetch_related(
            Prefetch(
                "delegates",
                queryset=GuestDelegate.objects.filter(status=DelegateStatus.REGISTERED),
                to_attr="holders",
            )
        )
    )


def event_guests(*, event: Event) -> list[GuestDelegate]:
    """The partners registered on the event's guest places, by organisation (one query), for
    the registrations page, the exports, check-in and reminders."""
    return list(
        GuestDelegate.objects.filter(guest_place__event=event, status=DelegateStatus.REGISTERED)
        .select_related("guest_place__organisation")
        .order_by("guest_place__organisation__name", "full_name", "pk")
    )


def partner_organisations(*, event: Event) -> QuerySet[Organisation]:
    """The organisations working with the event's region as partners (who may be granted places)."""
    return Organisation.objects.filter(
        memberships__role=Role.PARTNER, memberships__region_id=event.region_id
    ).distinct()


def my_guest_place(*, user, event: Event) -> tuple[GuestPlace | None, GuestDelegate | None]:
    """The partner's organisation's guest places at the event (with `taken`), and the place
    they hold themselves, if any."""
    organisation_id = (
        Membership.objects.filter(user_id=user.pk, role=Role.PARTNER, region_id=event.region_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if organisation_id is None:
        return None, None
    guest_place = (
        GuestPlace.objects.filter(event=event, organisation_id=organisation_id)
        .select_related("organisation")
        .annotate(taken=Count("delegates", filter=_ACTIVE))
        .first()
    )
    if guest_place is None:
        return None, None
    held = GuestDelegate.objects.filter(
        guest_place=guest_place, user_id=user.pk, status=DelegateStatus.REGISTERED
    ).first()
    return guest_place, held
