"""The event page's body: the event as the page shows it, the viewer's own place, and every row
the body reads (its stamp: sli_portal.fragments)."""

from django.db.models import Q, QuerySet

from accounts.models import User
from regions.models import LocalAuthority, Region

from ..models.delegates import Delegate, DelegateStatus, WorkshopChoice
from ..models.documents import EventDocument
from ..models.events import Event, ExternalDate, Session, Speaker
from ..models.guests import GuestDelegate, GuestPlace
from ..models.meetings import Invitee
from ..models.notices import Notice
from ..models.places import Allocation, PlaceRequest
from .counts import with_place_counts
from .events import with_programme


def event_for_page(*, pk: int) -> Event:
    """The event with its region, programme (sessions, speakers, workshop places taken) and
    place counts (`counts.counts_of`): two queries. For a user already allowed to see it."""
    return with_place_counts(with_programme(Event.objects.select_related("region"))).get(pk=pk)


def event_with_counts(*, pk: int) -> Event:
    """The event with its place counts (`counts.counts_of`): one query. For a user already
    allowed to see it."""
    return with_place_counts(Event.objects.all()).get(pk=pk)


def has_own_place(*, user, event: Event) -> bool:
    """The user holds a place at the event (registered under their account or email)."""
    return Delegate.objects.filter(
        Q(user=user) | Q(email__iexact=user.email),
        event=event,
        status=DelegateStatus.REGISTERED,
    ).exists()


def event_page_rows(event: Event) -> list[QuerySet]:
    """Every row the event page's body reads, unevaluated: the region's events (this one and its
    clashes) and dates to avoid, the programme, the places (allocations, LAs, delegates and their
    workshops, guest places, pool requests), held emails (undo), documents, and the invitees of
    a meeting with their people."""
    invitees = Invitee.objects.filter(event=event)
    return [
        Event.objects.filter(region_id=event.region_id),
        Region.objects.filter(pk=event.region_id),
        ExternalDate.objects.filter(Q(region_id=event.region_id) | Q(region__isnull=True)),
        Session.objects.filter(event=event),
        Speaker.objects.filter(session__event=event),
        Allocation.objects.filter(event=event),
        LocalAuthority.objects.filter(
            Q(region_id=event.region_id)
            | Q(pk__in=Allocation.objects.filter(event=event).values("local_authority_id"))
            | Q(pk__in=invitees.values("local_authority_id"))
        ),
        Delegate.objects.filter(event=event),
        WorkshopChoice.objects.filter(delegate__event=event),
        GuestPlace.objects.filter(event=event),
        GuestDelegate.objects.filter(guest_place__event=event),
        PlaceRequest.objects.filter(event=event),
        Notice.objects.filter(event=event),
        EventDocument.objects.filter(event=event),
        invitees,
        User.objects.filter(pk__in=invitees.values("user_id")),
    ]
