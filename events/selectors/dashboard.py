"""The events sections of the dashboard."""

from collections.abc import Collection
from datetime import datetime, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from regions.scope import user_scope
from sli_portal.dashboard import Item, Section

from ..models.delegates import Delegate, DelegateStatus
from ..models.events import Event, EventStatus
from ..models.guests import GuestDelegate, GuestPlace
from ..models.meetings import Invitee, Response, expected_invitees
from ..models.places import Allocation
from .counts import counts_of, with_place_counts


def dashboard_sections(user) -> list[Section]:
    """DCSs: events with unused places and closing dates. Invitees: meetings to reply to.
    Programme managers: registrations against places per LA for the region's events ahead."""
    scope = user_scope(user)
    now = timezone.now()
    sections: list[Section] = []
    dcs_las = scope.las_with_role("dcs")
    if dcs_las:
        sections.append(_unused_places(dcs_las, now))
    replies = _meetings_to_reply_to(user, now)
    if replies is not None:
        sections.append(replies)
    if scope.managed_region_ids:
        sections.append(_organisers_registrations(scope.managed_region_ids, now))
    return sections


def _unused_places(dcs_las: Collection[int], now: datetime) -> Section:
    section = Section(
        title="Event places",
        empty_text="No open event has unused places for your local authority.",
        link_url=reverse("events:event_list"),
        link_text="All events",
    )
    allocations = (
        Allocation.objects.filter(
            local_authority_id__in=dcs_las,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=now,
        )
        .filter(
            Q(event__registration_closes_at__isnull=True) | Q(event__registration_closes_at__gt=now)
        )
        .select_related("event", "local_authority")
        .annotate(
            used=Count(
                "event__delegates",
                filter=Q(
                    event__delegates__status=DelegateStatus.REGISTERED,
                    event__delegates__local_authority_id=F("local_authority_id"),
                ),
            )
        )
        .order_by("event__starts_at")
    )
    for allocation in allocations:
        if allocation.used >= allocation.places:
            continue
        event = allocation.event
        closes = (
            f", registration closes {timezone.localtime(event.registration_closes_at):%d %B %Y}"
            if event.registration_closes_at
            else ""
        )
        section.items.append(
            Item(
                text=f"{event.title}: {allocation.used} of {allocation.places} places used",
                url=event.get_absolute_url(),
                detail=f"{allocation.local_authority.name}, "
                f"{timezone.localtime(event.starts_at):%d %B %Y}{closes}",
                level="warning" if allocation.used == 0 else "info",
                badge=f"{allocation.places - allocation.used} unused",
            )
        )
    return section


def _meetings_to_reply_to(user, now: datetime) -> Section | None:
    replies = list(
        Invitee.objects.filter(
            user=user,
            response=Response.INVITED,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=now,
        )
        .select_related("event")
        .order_by("event__starts_at")
    )
    if not replies:
        return None
    return Section(
        title="Meeting invitations",
        items=[
            Item(
                text=f"Reply: {invitee.event.title}",
                url=reverse("events:meeting_respond", kwargs={"pk": invitee.event_id}),
                detail=f"{timezone.localtime(invitee.event.starts_at):%d %B %Y, %H:%M}",
                level="info",
                badge="Reply",
            )
            for invitee in replies
        ],
    )


def _organisers_registrations(region_ids: Collection[int], now: datetime) -> Section:
    section = Section(
        title="Registrations for your events",
        empty_text="No published event is coming up in your region.",
        link_url=reverse("events:event_list"),
        link_text="All events",
    )
    # One query: each event with its place counts (`counts`, the same numbers as the event and
    # registrations pages) and how many LAs have delegates (subqueries per event, not a join).
    las_with_delegates = (
        Delegate.objects.filter(event_id=OuterRef("pk"), status=DelegateStatus.REGISTERED)
        .order_by()
        .values("event_id")
        .annotate(n=Count("local_authority_id", distinct=True))
        .values("n")
    )
    events = list(
        with_place_counts(
            Event.objects.filter(
                region_id__in=region_ids, status=EventStatus.PUBLISHED, starts_at__gt=now
            )
        )
        .annotate(las_with_delegates=Coalesce(Subquery(las_with_delegates), 0))
        .order_by("starts_at")[:10]
    )
    # Meetings by their invitations, in one query: invited and expected to come, per event.
    invitations = {
        row["event_id"]: row
        for row in Invitee.objects.filter(event__in=events)
        .values("event_id")
        .annotate(invited=Count("pk"), coming=Count("pk", filter=expected_invitees()))
    }
    for event in events:
        when = f"{timezone.localtime(event.starts_at):%-d %B %Y}"
        if event.is_meeting:
            # A meeting once, by its invitations (it has no LA places to count).
            counts = invitations.get(event.pk, {"invited": 0, "coming": 0})
            n, coming = counts["invited"], counts["coming"]
            quorum = f"; quorum {event.quorum}" if event.quorum is not None else ""
            # Below quorum inside its warning period (as meetings.below_quorum decides).
            below = (
                event.quorum is not None
                and coming < event.quorum
                and event.starts_at - timedelta(days=event.quorum_warning_days) <= now
            )
            section.items.append(
                Item(
                    text=f"{event.title}: {coming} of {n} "
                    f"invited {'person' if n == 1 else 'people'} expected{quorum}",
                    url=event.get_absolute_url(),
                    detail=f"{when}: chase replies, or move or cancel the meeting"
                    if below
                    else when,
                    level="danger" if below else "info",
                    badge="Below quorum" if below else "",
                )
            )
            continue
        las = event.las_with_delegates
        places = counts_of(event)
        guests = (
            f", {places.guests_taken} of {places.guest_places} guest places"
            if places.guest_places
            else ""
        )
        section.items.append(
            Item(
                text=f"{event.title}: {places.la_taken} of {places.la_places} LA places taken"
                f"{guests}",
                url=reverse("events:registrations", kwargs={"pk": event.pk}),
                detail=f"{when}; {las} {'LA has' if las == 1 else 'LAs have'} registered delegates",
            )
        )
    return section


def dashboard_rows(user) -> list[QuerySet]:
    """What dashboard_sections reads (sli_portal.dashboard): the events of the user's regions and
    those they are invited to, their delegates, guests and invitees, and their LAs' and partners'
    places."""
    scope = user_scope(user)
    regions = scope.region_ids | scope.partner_region_ids
    invited = Invitee.objects.filter(user=user)
    return [
        Event.objects.filter(region_id__in=regions),
        Event.objects.filter(pk__in=invited.values("event_id")),
        # The sections count places at events ahead only (the fragment's key has the minute).
        Delegate.objects.filter(event__region_id__in=regions, event__starts_at__gt=timezone.now()),
        Allocation.objects.filter(local_authority_id__in=scope.la_ids),
        # Partners' guest places, counted with the LA places (selectors.counts).
        GuestPlace.objects.filter(event__region_id__in=regions),
        GuestDelegate.objects.filter(
            guest_place__event__region_id__in=regions,
            guest_place__event__starts_at__gt=timezone.now(),
        ),
        invited,
        Invitee.objects.filter(event__region_id__in=scope.managed_region_ids),
        User.objects.filter(
            pk__in=Invitee.objects.filter(event__region_id__in=scope.managed_region_ids).values(
                "user_id"
            )
        ),
    ]
