"""Reads for events' pages. Each selector returns only what its user may see."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone

from regions.models import LocalAuthority
from regions.scope import user_scope
from sli_portal.dashboard import Item, Section

from .models import (
    Allocation,
    Delegate,
    DelegateStatus,
    Event,
    EventDocument,
    EventStatus,
    ExternalDate,
    FeedbackResponse,
    Invitee,
    PlaceRequest,
    PlaceRequestStatus,
    Response,
    Session,
    Speaker,
    WorkshopChoice,
)

ACTIVE = Q(delegates__status=DelegateStatus.REGISTERED)


def visible_events(user):
    """Events of the user's regions: drafts only for the region's organisers; all for admins."""
    scope = user_scope(user)
    events = Event.objects.select_related("region")
    if scope.is_admin:
        return events
    return events.filter(
        Q(region_id__in=scope.managed_region_ids)
        | (Q(region_id__in=scope.region_ids) & ~Q(status=EventStatus.DRAFT))
    )


def event_list(user):
    return (
        visible_events(user)
        .annotate(registered=Count("delegates", filter=ACTIVE))
        .order_by("starts_at", "pk")
    )


def _programme_prefetch():
    return Prefetch(
        "sessions",
        queryset=Session.objects.prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("order", "pk"))
        )
        .annotate(
            taken=Count(
                "choices",
                filter=Q(
                    choices__allocated=True,
                    choices__delegate__status=DelegateStatus.REGISTERED,
                ),
            )
        )
        .order_by("starts_at", "title", "pk"),
        to_attr="programme",
    )


def event_detail(*, user, pk: int) -> Event:
    """The event with its programme, workshops' places taken and the overall count.
    Raises Event.DoesNotExist when the user may not know of it."""
    return (
        visible_events(user)
        .annotate(registered=Count("delegates", filter=ACTIVE))
        .prefetch_related(_programme_prefetch())
        .get(pk=pk)
    )


def event_plain(*, user, pk: int) -> Event:
    """The event alone, for pages that do not show its programme (e.g. registrations).
    Raises Event.DoesNotExist when the user may not know of it."""
    return visible_events(user).get(pk=pk)


def workshops_of(event: Event) -> list[Session]:
    return list(
        event.sessions.filter(is_workshop=True)
        .annotate(
            taken=Count(
                "choices",
                filter=Q(
                    choices__allocated=True,
                    choices__delegate__status=DelegateStatus.REGISTERED,
                ),
            )
        )
        .order_by("starts_at", "title", "pk")
    )


def _delegates_with_choices():
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

    @property
    def free(self) -> int:
        return max(self.places - self.used, 0)


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


def registrations_by_la(*, event: Event) -> list[LAPlaces]:
    """Every LA of the region: places, used, delegates, and no-shows across the region's past
    events (organisers only)."""
    allocations = {a.local_authority_id: a.places for a in Allocation.objects.filter(event=event)}
    rows = {
        la.pk: LAPlaces(
            local_authority=la, places=allocations.get(la.pk, event.places_per_la), used=0
        )
        for la in LocalAuthority.objects.filter(
            Q(region_id=event.region_id, is_active=True) | Q(pk__in=list(allocations))
        ).order_by("name")
    }
    for delegate in (
        _delegates_with_choices()
        .filter(event=event, status=DelegateStatus.REGISTERED)
        .order_by("full_name", "pk")
    ):
        row = rows.get(delegate.local_authority_id)
        if row is not None:
            row.delegates.append(delegate)
            row.used += 1
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
    """All active delegates, for organisers' exports and check-in."""
    return list(
        _delegates_with_choices()
        .filter(event=event, status=DelegateStatus.REGISTERED)
        .order_by("local_authority__name", "full_name", "pk")
    )


def delegate_for_change(*, user, pk: int) -> Delegate:
    """A delegate the user may see (404 otherwise); rules decide whether they may change it."""
    delegate = _delegates_with_choices().select_related("event__region").get(pk=pk)
    if not user.has_perm("events.view_event", delegate.event):
        raise Delegate.DoesNotExist
    return delegate


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


def personal_delegations(user) -> list[Delegate]:
    """Places held by the user (or held and cancelled), latest per event, for their calendar."""
    delegations = (
        Delegate.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("event__region")
        .order_by("event_id", "-status", "-registered_at")
    )
    latest: dict[int, Delegate] = {}
    for delegate in delegations:
        current = latest.get(delegate.event_id)
        if current is None or (delegate.is_active and not current.is_active):
            latest[delegate.event_id] = delegate
    return list(latest.values())


def dashboard_sections(user) -> list[Section]:
    """DCSs: events with unused places and closing dates. Programme managers: registrations
    against places per LA for the region's events ahead."""
    scope = user_scope(user)
    sections: list[Section] = []
    now = timezone.now()
    dcs_las = scope.las_with_role("dcs")
    if dcs_las:
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
                Q(event__registration_closes_at__isnull=True)
                | Q(event__registration_closes_at__gt=now)
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
        sections.append(section)
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
    if replies:
        sections.append(
            Section(
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
        )
    if scope.managed_region_ids:
        section = Section(
            title="Registrations for your events",
            empty_text="No published event is coming up in your region.",
            link_url=reverse("events:event_list"),
            link_text="All events",
        )
        events = (
            Event.objects.filter(
                region_id__in=scope.managed_region_ids,
                status=EventStatus.PUBLISHED,
                starts_at__gt=now,
            )
            .annotate(registered=Count("delegates", filter=ACTIVE, distinct=True))
            .order_by("starts_at")[:10]
        )
        events = list(events)
        places = dict(
            Allocation.objects.filter(event__in=events)
            .values("event_id")
            .annotate(total=Sum("places"), las=Count("pk"))
            .values_list("event_id", "total")
        )
        las_with_delegates = dict(
            Delegate.objects.filter(event__in=events, status=DelegateStatus.REGISTERED)
            .values("event_id")
            .annotate(n=Count("local_authority_id", distinct=True))
            .values_list("event_id", "n")
        )
        for event in below_quorum(scope.managed_region_ids, now):
            section.items.append(
                Item(
                    text=f"{event.title}: {event.expected} expected, quorum {event.quorum}",
                    url=event.get_absolute_url(),
                    detail=f"{timezone.localtime(event.starts_at):%d %B %Y}: chase replies, "
                    "or move or cancel the meeting",
                    level="danger",
                    badge="Below quorum",
                )
            )
        for event in events:
            section.items.append(
                Item(
                    text=f"{event.title}: {event.registered} of {places.get(event.pk, 0)} "
                    "LA places taken",
                    url=reverse("events:registrations", kwargs={"pk": event.pk}),
                    detail=f"{timezone.localtime(event.starts_at):%d %B %Y}; "
                    f"{las_with_delegates.get(event.pk, 0)} LAs have registered delegates",
                )
            )
        sections.append(section)
    return sections


def event_documents(*, event: Event) -> list[EventDocument]:
    return list(EventDocument.objects.filter(event=event).order_by("uploaded_at", "pk"))


@dataclass
class MeetingSummary:
    invitees: list
    expected: int
    apologies: int
    no_reply: int
    quorum: int | None

    @property
    def below_quorum(self) -> bool:
        return self.quorum is not None and self.expected < self.quorum


def meeting_summary(*, event: Event) -> MeetingSummary | None:
    invitees = list(
        Invitee.objects.filter(event=event)
        .select_related("user", "local_authority")
        .order_by("user__full_name", "pk")
    )
    if not invitees and event.quorum is None:
        return None
    return MeetingSummary(
        invitees=invitees,
        expected=sum(1 for i in invitees if i.expected),
        apologies=sum(1 for i in invitees if i.response == Response.APOLOGIES),
        no_reply=sum(1 for i in invitees if i.response == Response.INVITED),
        quorum=event.quorum,
    )


def my_invitation(*, user, event: Event) -> Invitee | None:
    return Invitee.objects.filter(event=event, user=user).first()


def waiting_requests(*, event: Event, la_ids) -> dict[int, PlaceRequest]:
    """The LAs' waiting requests for a pool place, by LA id."""
    if not la_ids:
        return {}
    return {
        r.local_authority_id: r
        for r in PlaceRequest.objects.filter(
            event=event, local_authority_id__in=la_ids, status=PlaceRequestStatus.WAITING
        )
    }


def pool_requests(*, event: Event) -> list[PlaceRequest]:
    return list(
        PlaceRequest.objects.filter(event=event)
        .select_related("local_authority")
        .order_by("status", "requested_at", "pk")
    )


@dataclass
class FeedbackSummary:
    count: int
    average: float | None
    distribution: list[tuple[int, int]]
    responses: list


def feedback_summary(*, event: Event) -> FeedbackSummary:
    responses = list(
        FeedbackResponse.objects.filter(event=event)
        .select_related("delegate__local_authority")
        .order_by("submitted_at", "pk")
    )
    counts = dict.fromkeys(range(5, 0, -1), 0)
    for response in responses:
        counts[response.rating] += 1
    average = sum(r.rating for r in responses) / len(responses) if responses else None
    return FeedbackSummary(
        count=len(responses),
        average=average,
        distribution=list(counts.items()),
        responses=responses,
    )


def below_quorum(region_ids, now) -> list[Event]:
    """Published meetings of these regions inside their warning period with fewer expected
    than the quorum."""
    events = Event.objects.filter(
        region_id__in=region_ids,
        status=EventStatus.PUBLISHED,
        quorum__isnull=False,
        starts_at__gt=now,
    ).annotate(
        expected=Count(
            "invitees",
            filter=Q(invitees__response=Response.ATTENDING)
            | (Q(invitees__response=Response.APOLOGIES) & ~Q(invitees__deputy_name="")),
        )
    )
    return [
        event
        for event in events.order_by("starts_at")
        if event.expected < event.quorum
        and event.starts_at - timedelta(days=event.quorum_warning_days) <= now
    ]


def workshop_register(*, event: Event, session_pk: int) -> tuple[Session, list[WorkshopChoice]]:
    """A workshop of the event and the delegates with a place in it (organisers' check-in)."""
    session = Session.objects.get(event=event, pk=session_pk, is_workshop=True)
    choices = list(
        WorkshopChoice.objects.filter(
            session=session, allocated=True, delegate__status=DelegateStatus.REGISTERED
        )
        .select_related("delegate__local_authority")
        .order_by("delegate__local_authority__name", "delegate__full_name", "pk")
    )
    return session, choices


def personal_calendar(user) -> list[tuple[Event, bool]]:
    """(event, cancelled for this person) for the user's calendar feed: places they hold or
    held, and meetings they are invited to (apologies show as cancelled). No drafts."""
    entries: dict[int, tuple[Event, bool]] = {}
    for invitee in Invitee.objects.filter(user=user).select_related("event"):
        entries[invitee.event_id] = (invitee.event, invitee.response == Response.APOLOGIES)
    for delegate in personal_delegations(user):
        current = entries.get(delegate.event_id)
        if current is None or (delegate.is_active and current[1]):
            entries[delegate.event_id] = (delegate.event, not delegate.is_active)
    return sorted(
        (entry for entry in entries.values() if entry[0].status != EventStatus.DRAFT),
        key=lambda entry: (entry[0].starts_at, entry[0].pk),
    )


def external_dates(user) -> list[ExternalDate]:
    """Dates to avoid in the user's regions, and national ones, from today on."""
    scope = user_scope(user)
    dates = ExternalDate.objects.filter(date__gte=timezone.localdate()).select_related("region")
    if not scope.is_admin:
        dates = dates.filter(Q(region__isnull=True) | Q(region_id__in=scope.region_ids))
    return list(dates.order_by("date", "pk"))
