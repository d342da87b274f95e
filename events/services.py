"""Writes for events: events and their programme, LA places, delegates, workshops and emails.

Capacity holds under concurrent requests because every write that changes who holds a place
locks rows in one order: the event, then the LA's allocation, then the workshops sorted by id.
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from regions.models import LocalAuthority, Membership, Region, Role
from regions.scope import user_scope
from sli_portal.queueing import enqueue_on_commit

from .models import (
    Allocation,
    Delegate,
    DelegateStatus,
    Event,
    EventDocument,
    EventKind,
    EventStatus,
    FeedbackResponse,
    Invitee,
    Notice,
    NoticeKind,
    PlaceRequest,
    PlaceRequestStatus,
    Response,
    Session,
    Speaker,
    Substitution,
    WorkshopChoice,
    WorkshopMode,
)

# Fields whose change a calendar must hear about (iCalendar SEQUENCE goes up).
_CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "venue", "address", "online_url", "status"}
EVENT_EDITABLE_FIELDS = (
    "kind",
    "title",
    "focus",
    "description",
    "venue",
    "address",
    "online_url",
    "starts_at",
    "ends_at",
    "status",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "places_per_la",
    "members_may_self_register",
    "workshop_mode",
    "pool_release_at",
    "quorum",
    "quorum_warning_days",
)


def _require(actor, perm: str, obj) -> None:
    """actor=None is the system itself (demo data, other apps' services acting for a user)."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def start_key(event: Event) -> str:
    """Identifies the event's current start, so reminders for a moved event are new occasions."""
    return event.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%MZ")


# --- events ---------------------------------------------------------------------------------


def _validate_event(event: Event) -> None:
    if event.kind not in EventKind.values:
        raise ValidationError({"kind": f"Unknown kind of event {event.kind!r}."})
    if event.status not in EventStatus.values:
        raise ValidationError({"status": f"Unknown status {event.status!r}."})
    if not (event.title or "").strip():
        raise ValidationError({"title": "Enter a title."})
    if event.starts_at is None or event.ends_at is None:
        raise ValidationError({"starts_at": "Enter when the event starts and ends."})
    if event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": "The event must end after it starts."})
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        raise ValidationError({"registration_closes_at": "Registration must close after it opens."})
    if closes and closes > event.ends_at:
        raise ValidationError(
            {"registration_closes_at": "Registration must close before the event ends."}
        )


@transaction.atomic
def event_create(
    *,
    actor,
    region: Region,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    status: str = EventStatus.DRAFT,
    places_per_la: int = 4,
    **details,
) -> Event:
    """Create an event of the region, with the default number of places for each of its LAs.

    `details` are any other editable fields (focus, venue, capacity, registration dates, ...).
    """
    _require(actor, "events.manage_event", region)
    unknown = set(details) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_create() got unknown fields {sorted(unknown)}")
    event = Event(
        region=region,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        places_per_la=places_per_la,
        created_by=actor,
        **details,
    )
    _validate_event(event)
    event.save()
    Allocation.objects.bulk_create(
        Allocation(event=event, local_authority=la, places=places_per_la)
        for la in LocalAuthority.objects.filter(region=region, is_active=True)
    )
    return event


def _places_used(event_id: int) -> dict[int, int]:
    return dict(
        Delegate.objects.filter(event_id=event_id, status=DelegateStatus.REGISTERED)
        .values("local_authority_id")
        .annotate(n=Count("pk"))
        .values_list("local_authority_id", "n")
    )


@transaction.atomic
def event_update(*, actor, event: Event, **changes) -> Event:
    """Change an event. Moving it reschedules reminders and tells delegates; lowering places
    below what an LA already uses is refused, naming the LA."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.manage_event", event)
    unknown = set(changes) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_update() got unknown fields {sorted(unknown)}")
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("This event has been cancelled and can no longer be changed.")
    if changes.get("status") == EventStatus.CANCELLED:
        raise ValidationError({"status": "Use “Cancel event” to cancel it, so delegates are told."})
    before = {name: getattr(event, name) for name in EVENT_EDITABLE_FIELDS}
    for name, value in changes.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    changed = {name for name in EVENT_EDITABLE_FIELDS if getattr(event, name) != before[name]}
    if not changed:
        return event
    _validate_event(event)

    used = _places_used(event.pk)
    if "capacity" in changed and event.capacity is not None:
        total = sum(used.values())
        if event.capacity < total:
            raise ValidationError(
                {
                    "capacity": f"{total} delegates are already registered: the capacity cannot be lower."
                }
            )
    if "places_per_la" in changed:
        defaults = Allocation.objects.filter(event=event, is_override=False).select_related(
            "local_authority"
        )
        over = [
            f"{a.local_authority.name} ({used[a.local_authority_id]})"
            for a in defaults
            if used.get(a.local_authority_id, 0) > event.places_per_la
        ]
        if over:
            raise ValidationError(
                {
                    "places_per_la": "These LAs already have more delegates than that: "
                    + ", ".join(over)
                    + "."
                }
            )
        defaults.update(places=event.places_per_la)
    moved = bool({"starts_at", "ends_at"} & changed)
    if changed & _CALENDAR_FIELDS:
        event.sequence += 1
    event.save()
    if moved and event.status == EventStatus.PUBLISHED and before["status"] != EventStatus.DRAFT:
        _notify_delegates(event, NoticeKind.EVENT_MOVED, f"moved:{event.sequence}")
    return event


@transaction.atomic
def event_cancel(*, actor, event: Event) -> Event:
    """Cancel the event: calendars get STATUS:CANCELLED, delegates an email, reminders stop."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.manage_event", event)
    if event.status == EventStatus.CANCELLED:
        return event
    was_draft = event.status == EventStatus.DRAFT
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    if not was_draft:
        _notify_delegates(event, NoticeKind.EVENT_CANCELLED, f"cancelled:{event.sequence}")
    return event


@transaction.atomic
def session_create(
    *,
    actor,
    event: Event,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    location: str = "",
    is_workshop: bool = False,
    capacity: int | None = None,
    speakers: list[tuple[str, str, str]] = (),
) -> Session:
    """Add a programme item; `speakers` are (name, role, organisation)."""
    _require(actor, "events.manage_event", event)
    if not title.strip():
        raise ValidationError({"title": "Enter a title."})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The session must end after it starts."})
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError(
            {
                "starts_at": f"The session must fall within the event "
                f"({_local(event.starts_at):%d %b %Y %H:%M} to {_local(event.ends_at):%H:%M})."
            }
        )
    if not is_workshop:
        capacity = None
    session = Session.objects.create(
        event=event,
        title=title.strip(),
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        is_workshop=is_workshop,
        capacity=capacity,
    )
    Speaker.objects.bulk_create(
        Speaker(session=session, name=name, role=role, organisation=organisation, order=order)
        for order, (name, role, organisation) in enumerate(speakers)
    )
    return session


@transaction.atomic
def session_delete(*, actor, session: Session) -> None:
    event = Event.objects.select_for_update().get(pk=session.event_id)
    _require(actor, "events.manage_event", event)
    booked = WorkshopChoice.objects.filter(
        session=session, delegate__status=DelegateStatus.REGISTERED
    ).count()
    if booked:
        raise ValidationError(
            f"{booked} delegates have chosen “{session.title}”: it cannot be removed."
        )
    session.delete()


# --- places ---------------------------------------------------------------------------------


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
    *, actor, event: Event, local_authority: LocalAuthority, places: int
) -> Allocation:
    """Give one LA a different number of places from the event's default."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.manage_event", event)
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


def _lock_for_places(event_id: int, la: LocalAuthority, workshop_ids) -> tuple:
    """Lock in the one order every writer uses: event, allocation, workshops by id."""
    event = Event.objects.select_related("region").select_for_update(of=("self",)).get(pk=event_id)
    allocation = _lock_allocation(event, la)
    workshops = list(
        Session.objects.select_for_update()
        .filter(event=event, is_workshop=True, pk__in=list(workshop_ids))
        .order_by("pk")
    )
    return event, allocation, workshops


def _check_registration_open(actor, event: Event, now: datetime) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(
            f"{event.title} is {event.get_status_display().lower()}: registration is closed."
        )
    if event.starts_at <= now:
        raise ValidationError(f"{event.title} has already started: registration is closed.")
    if actor is not None and actor.has_perm("events.manage_event", event):
        return  # organisers may still add people outside the registration window
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationError(
            f"Registration for {event.title} opens on "
            f"{_local(event.registration_opens_at):%d %B %Y at %H:%M}."
        )
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise ValidationError(
            f"Registration for {event.title} closed on "
            f"{_local(event.registration_closes_at):%d %B %Y at %H:%M}."
        )


def _check_places(event: Event, allocation: Allocation) -> None:
    used = Delegate.objects.filter(
        event=event,
        local_authority_id=allocation.local_authority_id,
        status=DelegateStatus.REGISTERED,
    ).count()
    if used >= allocation.places:
        raise ValidationError(
            f"{allocation.local_authority.name} has used all {allocation.places} of its places "
            f"at {event.title}. Cancel a delegate or substitute someone to change who comes."
        )
    if event.capacity is not None:
        total = Delegate.objects.filter(event=event, status=DelegateStatus.REGISTERED).count()
        if total >= event.capacity:
            raise ValidationError(f"{event.title} is full: all {event.capacity} places are taken.")


def _book_workshops(
    event: Event, delegate: Delegate, workshops: list[Session], ordered_ids
) -> None:
    """Choose mode books each workshop now (refusing full ones and clashing times);
    ranked mode records preferences for `workshop_allocate`."""
    by_id = {workshop.pk: workshop for workshop in workshops}
    missing = [pk for pk in ordered_ids if pk not in by_id]
    if missing:
        raise ValidationError({"workshops": "Choose workshops of this event only."})
    ordered = [by_id[pk] for pk in ordered_ids]
    ranked = event.workshop_mode == WorkshopMode.RANKED and event.workshops_allocated_at is None
    if not ranked:
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                if first.starts_at < second.ends_at and second.starts_at < first.ends_at:
                    raise ValidationError(
                        {
                            "workshops": f"“{first.title}” and “{second.title}” run at the same "
                            "time: choose one."
                        }
                    )
        taken = _workshop_taken([w.pk for w in ordered])
        for workshop in ordered:
            if workshop.capacity is not None and taken.get(workshop.pk, 0) >= workshop.capacity:
                raise ValidationError(
                    {
                        "workshops": f"The workshop “{workshop.title}” is full "
                        f"(all {workshop.capacity} places are taken): choose another."
                    }
                )
    WorkshopChoice.objects.bulk_create(
        WorkshopChoice(delegate=delegate, session=workshop, rank=rank, allocated=not ranked)
        for rank, workshop in enumerate(ordered, start=1)
    )


def _workshop_taken(session_ids) -> dict[int, int]:
    return dict(
        WorkshopChoice.objects.filter(
            session_id__in=session_ids, allocated=True, delegate__status=DelegateStatus.REGISTERED
        )
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )


def _clean_person(full_name: str, email: str) -> tuple[str, str]:
    full_name = " ".join((full_name or "").split())
    email = (email or "").strip().lower()
    if not full_name:
        raise ValidationError({"full_name": "Enter the delegate's full name."})
    if not email or "@" not in email:
        raise ValidationError({"email": "Enter the delegate's email address."})
    return full_name, email


def _check_email_free(event: Event, email: str, exclude_pk=None) -> None:
    clash = Delegate.objects.filter(event=event, email=email, status=DelegateStatus.REGISTERED)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"email": f"{email} already has a place at {event.title}."})


@transaction.atomic
def delegate_register(
    *,
    actor,
    event: Event,
    local_authority: LocalAuthority,
    full_name: str,
    email: str,
    job_title: str = "",
    dietary_needs: str = "",
    access_needs: str = "",
    workshops=(),
    user=None,
    now: datetime | None = None,
) -> Delegate:
    """Take one of the LA's places for a person, with their workshop choices (in order)."""
    _require(actor, "events.register_for_la", local_authority)
    if local_authority.region_id != event.region_id:
        raise ValidationError(f"{local_authority.name} is not invited to {event.title}.")
    full_name, email = _clean_person(full_name, email)
    workshop_ids = [int(pk) for pk in workshops]
    if len(set(workshop_ids)) != len(workshop_ids):
        raise ValidationError({"workshops": "Choose each workshop once."})
    now = now or timezone.now()
    event, allocation, locked_workshops = _lock_for_places(event.pk, local_authority, workshop_ids)
    _check_registration_open(actor, event, now)
    _check_email_free(event, email)
    _check_places(event, allocation)
    delegate = Delegate.objects.create(
        event=event,
        local_authority=local_authority,
        user=user,
        full_name=full_name,
        email=email,
        job_title=job_title.strip(),
        dietary_needs=dietary_needs.strip(),
        access_needs=access_needs.strip(),
        registered_by=actor,
    )
    _book_workshops(event, delegate, locked_workshops, workshop_ids)
    _notify(event, NoticeKind.CONFIRMATION, f"confirmation:{delegate.pk}", delegate)
    return delegate


def self_registration_la(user, event: Event) -> LocalAuthority | None:
    """The LA whose place a member would use at this event (their LA in the event's region)."""
    scope = user_scope(user)
    la_ids = sorted(la for la, region in scope.la_region_ids.items() if region == event.region_id)
    return LocalAuthority.objects.filter(pk__in=la_ids[:1]).first() if la_ids else None


@transaction.atomic
def delegate_register_self(
    *,
    actor,
    event: Event,
    job_title: str = "",
    dietary_needs: str = "",
    access_needs: str = "",
    workshops=(),
) -> Delegate:
    """A member of an LA registers themselves, using one of their LA's places."""
    event = Event.objects.get(pk=event.pk)
    if not event.members_may_self_register:
        raise ValidationError(
            f"Places at {event.title} are booked by each LA's director of children's services."
        )
    la = self_registration_la(actor, event)
    if la is None:
        raise PermissionDenied
    return delegate_register(
        actor=None,
        event=event,
        local_authority=la,
        full_name=actor.full_name,
        email=actor.email,
        job_title=job_title or actor.job_title,
        dietary_needs=dietary_needs,
        access_needs=access_needs,
        workshops=workshops,
        user=actor,
    )


def _lock_delegate(delegate: Delegate, workshop_ids=()) -> tuple:
    event, allocation, workshops = _lock_for_places(
        delegate.event_id, delegate.local_authority, workshop_ids
    )
    delegate = Delegate.objects.select_for_update().get(pk=delegate.pk)
    return event, allocation, workshops, delegate


def _check_changeable(event: Event, delegate: Delegate, now: datetime) -> None:
    if not delegate.is_active:
        raise ValidationError(f"{delegate.full_name}'s place has been cancelled.")
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(f"{event.title} has been cancelled.")
    if event.ends_at <= now:
        raise ValidationError(f"{event.title} is over: its delegates can no longer be changed.")


@transaction.atomic
def delegate_update(
    *,
    actor,
    delegate: Delegate,
    job_title: str,
    workshops=None,
    dietary_needs: str | None = None,
    access_needs: str | None = None,
    now: datetime | None = None,
) -> Delegate:
    """Change a delegate's job title, workshops or needs (None leaves the needs as they are)."""
    _require(actor, "events.change_delegate", delegate)
    now = now or timezone.now()
    workshop_ids = [int(pk) for pk in workshops] if workshops is not None else None
    event, _allocation, locked, delegate = _lock_delegate(delegate, workshop_ids or ())
    _check_changeable(event, delegate, now)
    delegate.job_title = job_title.strip()
    if dietary_needs is not None:
        delegate.dietary_needs = dietary_needs.strip()
    if access_needs is not None:
        delegate.access_needs = access_needs.strip()
    delegate._change_reason = "Details changed"
    delegate.save()
    current = list(delegate.choices.order_by("rank").values_list("session_id", flat=True))
    if workshop_ids is not None and workshop_ids != current:
        if len(set(workshop_ids)) != len(workshop_ids):
            raise ValidationError({"workshops": "Choose each workshop once."})
        delegate.choices.all().delete()
        _book_workshops(event, delegate, locked, workshop_ids)
    return delegate


@transaction.atomic
def delegate_substitute(
    *,
    actor,
    delegate: Delegate,
    full_name: str,
    email: str,
    job_title: str = "",
    dietary_needs: str = "",
    access_needs: str = "",
    user=None,
    now: datetime | None = None,
) -> Delegate:
    """Hand the place to someone else: the place and workshop choices stay, the person (and
    their needs) change, both people are told, and the change is kept in history."""
    _require(actor, "events.change_delegate", delegate)
    now = now or timezone.now()
    full_name, email = _clean_person(full_name, email)
    event, _allocation, _workshops, delegate = _lock_delegate(delegate)
    _check_changeable(event, delegate, now)
    if email == delegate.email:
        raise ValidationError({"email": "Enter the email of the person taking the place."})
    _check_email_free(event, email, exclude_pk=delegate.pk)
    substitution = Substitution.objects.create(
        delegate=delegate,
        previous_name=delegate.full_name,
        previous_email=delegate.email,
        new_name=full_name,
        new_email=email,
        made_by=actor,
    )
    delegate.full_name, delegate.email, delegate.user = full_name, email, user
    delegate.job_title = job_title.strip()
    delegate.dietary_needs, delegate.access_needs = dietary_needs.strip(), access_needs.strip()
    delegate.checked_in_at = None
    delegate._change_reason = f"Substituted for {substitution.previous_name}"
    delegate.save()
    occasion = f"substitution:{substitution.pk}"
    _notify(event, NoticeKind.SUBSTITUTED_IN, occasion, delegate)
    _notify(
        event,
        NoticeKind.SUBSTITUTED_OUT,
        occasion,
        delegate,
        email=substitution.previous_email,
        name=substitution.previous_name,
    )
    return delegate


@transaction.atomic
def delegate_cancel(*, actor, delegate: Delegate, now: datetime | None = None) -> Delegate:
    """Give the place back to the LA (and the workshop places back to the event)."""
    _require(actor, "events.change_delegate", delegate)
    now = now or timezone.now()
    event, _allocation, _workshops, delegate = _lock_delegate(delegate)
    if not delegate.is_active:
        return delegate
    if event.ends_at <= now:
        raise ValidationError(f"{event.title} is over: record a no-show instead of cancelling.")
    delegate.status = DelegateStatus.CANCELLED
    delegate.cancelled_at = now
    delegate._change_reason = "Place cancelled"
    delegate.save()
    delegate.choices.update(allocated=False)
    if event.pool_released_at is not None and event.status == EventStatus.PUBLISHED:
        # After the release date a freed place goes back to the regional pool.
        _allocation.places -= 1
        _allocation.save(update_fields=["places"])
        event.pool_places += 1
        event.save(update_fields=["pool_places"])
        _pool_serve(event, now)
    if event.status != EventStatus.CANCELLED:
        _notify(event, NoticeKind.DELEGATE_CANCELLED, f"withdrawn:{delegate.pk}", delegate)
    return delegate


@transaction.atomic
def delegate_check_in(*, actor, delegate: Delegate, attended: bool = True) -> Delegate:
    delegate = Delegate.objects.select_for_update().select_related("event").get(pk=delegate.pk)
    _require(actor, "events.manage_event", delegate.event)
    if not delegate.is_active:
        raise ValidationError(f"{delegate.full_name}'s place was cancelled.")
    delegate.checked_in_at = timezone.now() if attended else None
    delegate._change_reason = "Checked in" if attended else "Check-in undone"
    delegate.save(update_fields=["checked_in_at"])
    return delegate


@transaction.atomic
def workshop_check_in(*, actor, choice: WorkshopChoice, attended: bool = True) -> WorkshopChoice:
    """Record that a delegate came to their workshop (attendance per session)."""
    choice = (
        WorkshopChoice.objects.select_for_update(of=("self",))
        .select_related("delegate__event", "session")
        .get(pk=choice.pk)
    )
    _require(actor, "events.manage_event", choice.delegate.event)
    if not (choice.allocated and choice.delegate.is_active):
        raise ValidationError(
            f"{choice.delegate.full_name} does not have a place in “{choice.session.title}”."
        )
    choice.checked_in_at = timezone.now() if attended else None
    choice.save(update_fields=["checked_in_at"])
    return choice


@transaction.atomic
def workshop_allocate(*, actor, event: Event, now: datetime | None = None) -> dict[str, int]:
    """Allocate ranked workshop preferences in one batch once registration has closed.

    Fair across LAs: delegates are taken in rounds, one per LA per round (each LA's delegates in
    the order they registered, LAs rotating their turn each round), and each gets their
    highest-ranked workshop that still has room.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.manage_event", event)
    if event.workshop_mode != WorkshopMode.RANKED:
        raise ValidationError("Delegates book workshops as they register at this event.")
    if event.registration_closes_at is None or now < event.registration_closes_at:
        raise ValidationError("Workshops are allocated once registration has closed.")
    if event.workshops_allocated_at is not None:
        raise ValidationError("Workshops have already been allocated for this event.")
    workshops = list(
        Session.objects.select_for_update().filter(event=event, is_workshop=True).order_by("pk")
    )
    room = {w.pk: (w.capacity if w.capacity is not None else 10**9) for w in workshops}
    choices = WorkshopChoice.objects.filter(
        delegate__event=event, delegate__status=DelegateStatus.REGISTERED
    ).order_by("delegate__registered_at", "delegate_id", "rank")
    by_delegate: dict[int, list[WorkshopChoice]] = defaultdict(list)
    la_of: dict[int, int] = {}
    for choice in choices.select_related("delegate"):
        by_delegate[choice.delegate_id].append(choice)
        la_of[choice.delegate_id] = choice.delegate.local_authority_id
    queues: dict[int, list[int]] = defaultdict(list)
    for delegate_id in by_delegate:  # registration order
        queues[la_of[delegate_id]].append(delegate_id)
    la_order = sorted(queues)
    allocated, unplaced, round_no = [], 0, 0
    while any(queues.values()):
        turn = la_order[round_no % len(la_order) :] + la_order[: round_no % len(la_order)]
        for la_id in turn:
            if not queues[la_id]:
                continue
            delegate_id = queues[la_id].pop(0)
            for choice in by_delegate[delegate_id]:
                if room[choice.session_id] > 0:
                    room[choice.session_id] -= 1
                    allocated.append(choice.pk)
                    break
            else:
                unplaced += 1
        round_no += 1
    WorkshopChoice.objects.filter(delegate__event=event).update(allocated=False)
    WorkshopChoice.objects.filter(pk__in=allocated).update(allocated=True)
    event.workshops_allocated_at = now
    event.save(update_fields=["workshops_allocated_at", "updated_at"])
    return {"allocated": len(allocated), "unplaced": unplaced}


# --- emails ---------------------------------------------------------------------------------


def _notify(event, kind, occasion, delegate=None, *, email=None, name=None) -> Notice:
    """Record an email to send (once: the row is unique per recipient and occasion) and queue
    it after commit. If the broker is down the periodic sweep sends it later."""
    notice, created = Notice.objects.get_or_create(
        event=event,
        email=email or delegate.email,
        occasion=occasion,
        defaults={
            "kind": kind,
            "delegate": delegate,
            "name": name if name is not None else delegate.full_name,
        },
    )
    if created:
        from .tasks import send_notice

        enqueue_on_commit(send_notice, notice.pk)
    return notice


def _notify_delegates(event: Event, kind: str, occasion: str) -> None:
    for delegate in event.delegates.filter(status=DelegateStatus.REGISTERED):
        _notify(event, kind, occasion, delegate)


def _stale_reason(notice: Notice, now: datetime) -> str:
    event, delegate = notice.event, notice.delegate
    if notice.kind == NoticeKind.EVENT_CANCELLED:
        return ""
    if event.status == EventStatus.CANCELLED:
        return "The event was cancelled."
    if notice.kind in (NoticeKind.SUBSTITUTED_OUT, NoticeKind.DELEGATE_CANCELLED):
        return ""
    if notice.kind == NoticeKind.FEEDBACK_REQUEST:
        if delegate is None or not delegate.is_active or delegate.email != notice.email:
            return "The person no longer holds the place."
        if FeedbackResponse.objects.filter(delegate=delegate).exists():
            return "Feedback was already given."
        return ""
    if event.starts_at <= now:
        return "The event had already started."
    if notice.kind in (
        NoticeKind.MEETING_INVITATION,
        NoticeKind.QUORUM_WARNING,
        NoticeKind.PLACE_GRANTED,
    ):
        return ""
    if delegate is not None and (not delegate.is_active or delegate.email != notice.email):
        return "The person no longer holds the place."
    if notice.kind == NoticeKind.REMINDER and not notice.occasion.endswith(start_key(event)):
        return "The event moved after this reminder was due."
    return ""


def notice_send(*, notice_id: int, now: datetime | None = None) -> bool:
    """Send one recorded email unless it was sent already, is being sent by another worker
    (its row is locked), or no longer applies. True if this call sent it."""
    from sli_portal.emails import send_email

    now = now or timezone.now()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event__region", "delegate__local_authority")
            .filter(pk=notice_id, sent_at__isnull=True, skipped_reason="")
            .first()
        )
        if notice is None:
            return False
        reason = _stale_reason(notice, now)
        if reason:
            notice.skipped_reason = reason
            notice.save(update_fields=["skipped_reason"])
            return False
        choices = []
        if notice.delegate_id and notice.kind in (
            NoticeKind.CONFIRMATION,
            NoticeKind.REMINDER,
            NoticeKind.SUBSTITUTED_IN,
            NoticeKind.EVENT_MOVED,
        ):
            choices = list(
                notice.delegate.choices.select_related("session").order_by("session__starts_at")
            )
        context = {
            "notice": notice,
            "event": notice.event,
            "delegate": notice.delegate,
            "choices": choices,
        }
        if notice.kind == NoticeKind.FEEDBACK_REQUEST:
            from django.urls import reverse

            context["feedback_path"] = reverse(
                "events:feedback", kwargs={"token": feedback_token(notice.delegate)}
            )
        if notice.kind == NoticeKind.QUORUM_WARNING:
            context["expected"] = meeting_expected_count(notice.event)
        send_email("event_notice", [notice.email], context)
        notice.sent_at = now
        notice.save(update_fields=["sent_at"])
    return True


def reminder_offsets() -> list[int]:
    return sorted(set(getattr(settings, "EVENTS_REMINDER_DAYS", (7, 1))))


def reminders_record_due(*, now: datetime | None = None) -> int:
    """Record the reminders now due: for each published event ahead, the nearest offset
    (e.g. 7 or 1 days before) that has passed, one row per registered delegate."""
    now = now or timezone.now()
    offsets = reminder_offsets()
    if not offsets:
        return 0
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=max(offsets)),
    )
    rows = []
    for event in events.prefetch_related(
        "delegates",
    ):
        due = [days for days in offsets if event.starts_at - timedelta(days=days) <= now]
        days = min(due)
        occasion = f"reminder:{days}d:{start_key(event)}"
        rows.extend(
            Notice(
                event=event,
                delegate=delegate,
                kind=NoticeKind.REMINDER,
                occasion=occasion,
                email=delegate.email,
                name=delegate.full_name,
            )
            for delegate in event.delegates.all()
            if delegate.is_active
        )
    created = Notice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def unsent_notice_ids() -> list[int]:
    return list(
        Notice.objects.filter(sent_at__isnull=True, skipped_reason="")
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def send_due_reminders(*, now: datetime | None = None) -> int:
    """The periodic sweep: record due reminders, then send every email still to send
    (including any left behind while the broker was down). Returns how many this run sent."""
    now = now or timezone.now()
    reminders_record_due(now=now)
    return sum(notice_send(notice_id=pk, now=now) for pk in unsent_notice_ids())


# --- special-category data ------------------------------------------------------------------


def delegate_needs_erase(*, now: datetime | None = None) -> int:
    """Erase dietary and access needs once the event ended EVENTS_NEEDS_RETENTION_DAYS ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVENTS_NEEDS_RETENTION_DAYS)
    return (
        Delegate.objects.filter(event__ends_at__lte=cutoff)
        .filter(~Q(dietary_needs="") | ~Q(access_needs=""))
        .update(dietary_needs="", access_needs="", needs_erased_at=now)
    )


def events_sweep(*, now: datetime | None = None) -> int:
    """Everything periodic, in one idempotent pass: release pools that are due, warn about
    meetings below quorum, ask for feedback after events, record due reminders, then send every
    email still to send. Returns how many emails this run sent."""
    now = now or timezone.now()
    pools_release_due(now=now)
    quorum_check(now=now)
    feedback_requests_record(now=now)
    return send_due_reminders(now=now)


# --- the regional pool ----------------------------------------------------------------------


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
def pool_release(*, actor, event: Event, now: datetime | None = None) -> int:
    """Move every LA's unused places into the regional pool and serve waiting requests."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.manage_event", event)
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
    return released


def pools_release_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        pool_release_at__lte=now,
        pool_released_at__isnull=True,
        starts_at__gt=now,
    ).values_list("pk", flat=True)
    return sum(pool_release(actor=None, event=Event(pk=pk), now=now) for pk in list(due))


@transaction.atomic
def place_request(
    *, actor, event: Event, local_authority: LocalAuthority, now: datetime | None = None
) -> PlaceRequest:
    """Ask for one more place from the regional pool; granted at once if the pool has one and
    nobody is waiting, otherwise in fair turn."""
    _require(actor, "events.register_for_la", local_authority)
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
        event=event, local_authority=local_authority, requested_by=actor
    )
    _pool_serve(event, now)
    request.refresh_from_db()
    return request


# --- meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_invite(*, actor, event: Event, role: str) -> int:
    """Invite everyone of the region holding `role` (e.g. every DCS); returns how many are new."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require(actor, "events.manage_event", event)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError("Publish the meeting before inviting people.")
    memberships = (
        Membership.objects.filter(role=role)
        .filter(
            Q(region_id=event.region_id)
            | Q(local_authority__region_id=event.region_id, local_authority__is_active=True)
        )
        .select_related("user")
        .order_by("user_id")
    )
    already = set(event.invitees.values_list("user_id", flat=True))
    new = []
    for membership in memberships:
        if membership.user_id in already or not membership.user.is_active:
            continue
        already.add(membership.user_id)
        new.append(
            Invitee(
                event=event,
                user=membership.user,
                local_authority_id=membership.local_authority_id,
                role=role,
            )
        )
    Invitee.objects.bulk_create(new)
    for invitee in new:
        _notify(
            event,
            NoticeKind.MEETING_INVITATION,
            f"invited:{event.pk}",
            email=invitee.user.email,
            name=invitee.user.full_name,
        )
    return len(new)


@transaction.atomic
def invitee_respond(
    *,
    actor,
    event: Event,
    attending: bool,
    deputy_name: str = "",
    deputy_email: str = "",
    now: datetime | None = None,
) -> Invitee:
    """Accept, or send apologies (naming a deputy who comes instead, if any)."""
    now = now or timezone.now()
    invitee = (
        Invitee.objects.select_for_update()
        .select_related("event")
        .filter(event=event, user=actor)
        .first()
    )
    if invitee is None:
        raise PermissionDenied
    if invitee.event.starts_at <= now or invitee.event.status == EventStatus.CANCELLED:
        raise ValidationError("This meeting has started or been cancelled: replies are closed.")
    deputy_name = " ".join(deputy_name.split())
    deputy_email = deputy_email.strip().lower()
    if attending:
        deputy_name = deputy_email = ""
    elif deputy_email and not deputy_name:
        raise ValidationError({"deputy_name": "Enter the name of your deputy."})
    invitee.response = Response.ATTENDING if attending else Response.APOLOGIES
    invitee.deputy_name, invitee.deputy_email = deputy_name, deputy_email
    invitee.responded_at = now
    invitee.save()
    return invitee


def meeting_expected_count(event: Event) -> int:
    return (
        Invitee.objects.filter(event=event)
        .filter(
            Q(response=Response.ATTENDING) | (Q(response=Response.APOLOGIES) & ~Q(deputy_name=""))
        )
        .count()
    )


def quorum_check(*, now: datetime | None = None) -> int:
    """Warn the region's programme managers, once per meeting date, when fewer than the quorum
    are expected within the warning period before a meeting."""
    now = now or timezone.now()
    warned = 0
    candidates = Event.objects.filter(
        status=EventStatus.PUBLISHED, quorum__isnull=False, starts_at__gt=now
    ).annotate(
        expected=Count(
            "invitees",
            filter=Q(invitees__response=Response.ATTENDING)
            | (Q(invitees__response=Response.APOLOGIES) & ~Q(invitees__deputy_name="")),
        )
    )
    for event in candidates:
        if event.starts_at - timedelta(days=event.quorum_warning_days) > now:
            continue
        if event.expected >= event.quorum:
            continue
        managers = Membership.objects.filter(
            role=Role.PROGRAMME_MANAGER, region_id=event.region_id
        ).select_related("user")
        with transaction.atomic():
            for membership in managers:
                _notify(
                    event,
                    NoticeKind.QUORUM_WARNING,
                    f"quorum:{start_key(event)}",
                    email=membership.user.email,
                    name=membership.user.full_name,
                )
                warned += 1
    return warned


# --- feedback -------------------------------------------------------------------------------

_FEEDBACK_SALT = "events.feedback"
FEEDBACK_WINDOW = timedelta(days=14)


def feedback_token(delegate: Delegate) -> str:
    from django.core import signing

    return signing.Signer(salt=_FEEDBACK_SALT).sign(str(delegate.pk))


def delegate_from_feedback_token(token: str) -> Delegate | None:
    from django.core import signing

    try:
        pk = signing.Signer(salt=_FEEDBACK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        Delegate.objects.select_related("event", "local_authority")
        .filter(pk=pk, status=DelegateStatus.REGISTERED)
        .first()
    )


def feedback_requests_record(*, now: datetime | None = None) -> int:
    """After an event ends, ask its delegates (those checked in, or everyone if nobody was
    checked in) for feedback: one request each."""
    now = now or timezone.now()
    rows = []
    for event in Event.objects.filter(
        status=EventStatus.PUBLISHED, ends_at__lte=now, ends_at__gt=now - FEEDBACK_WINDOW
    ).prefetch_related("delegates"):
        delegates = [d for d in event.delegates.all() if d.is_active]
        if any(d.checked_in_at for d in delegates):
            delegates = [d for d in delegates if d.checked_in_at]
        rows.extend(
            Notice(
                event=event,
                delegate=d,
                kind=NoticeKind.FEEDBACK_REQUEST,
                occasion="feedback",
                email=d.email,
                name=d.full_name,
            )
            for d in delegates
        )
    return len(Notice.objects.bulk_create(rows, ignore_conflicts=True))


@transaction.atomic
def feedback_submit(
    *, delegate: Delegate, rating: int, most_useful: str = "", improve: str = "", now=None
) -> FeedbackResponse:
    now = now or timezone.now()
    if delegate.event.ends_at > now:
        raise ValidationError("Feedback opens when the event ends.")
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": "Choose a rating from 1 to 5."})
    if FeedbackResponse.objects.filter(delegate=delegate).exists():
        raise ValidationError("You have already given feedback on this event. Thank you.")
    try:
        with transaction.atomic():
            return FeedbackResponse.objects.create(
                event=delegate.event,
                delegate=delegate,
                rating=int(rating),
                most_useful=most_useful.strip(),
                improve=improve.strip(),
            )
    except IntegrityError:
        raise ValidationError("You have already given feedback on this event. Thank you.") from None


# --- documents ------------------------------------------------------------------------------

DOCUMENT_TYPES = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
    "csv": None,
    "txt": None,
}


@transaction.atomic
def document_add(*, actor, event: Event, title: str, upload) -> EventDocument:
    """Attach a paper. Only office documents, PDF and plain text, up to
    EVENTS_DOCUMENT_MAX_BYTES, whose content matches their extension."""
    _require(actor, "events.manage_event", event)
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "upload": f"“{name}” is not a file type the portal keeps. Upload a PDF, Word, "
                "Excel, PowerPoint, OpenDocument, CSV or text file."
            }
        )
    limit = settings.EVENTS_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "upload": f"“{name}” is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{limit / 1_048_576:.0f} MB."
            }
        )
    if upload.size == 0:
        raise ValidationError({"upload": f"“{name}” is empty."})
    head = upload.read(2048)
    upload.seek(0)
    signatures = DOCUMENT_TYPES[extension]
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not merely a character cut at the 2 KB boundary
                raise ValidationError(
                    {"upload": f"“{name}” is not a text file (it is not UTF-8 text)."}
                ) from None
    elif not head.startswith(signatures):
        raise ValidationError(
            {"upload": f"“{name}” is not really a .{extension} file: its content does not match."}
        )
    return EventDocument.objects.create(
        event=event,
        title=(title or "").strip() or name,
        file=upload,
        size=upload.size,
        uploaded_by=actor,
    )


@transaction.atomic
def document_delete(*, actor, document: EventDocument) -> None:
    _require(actor, "events.manage_event", document.event)
    document.file.delete(save=False)
    document.delete()
