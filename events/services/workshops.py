"""Workshop choices: booked at registration, or ranked and allocated in one batch."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from sli_portal.access import System, require

from ..models.delegates import Delegate, DelegateStatus, WorkshopChoice
from ..models.events import Event, Session, WorkshopMode


def _book_workshops(
    event: Event, delegate: Delegate, workshops: list[Session], ordered_ids: Sequence[int]
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


def _workshop_taken(session_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        WorkshopChoice.objects.filter(
            session_id__in=session_ids, allocated=True, delegate__status=DelegateStatus.REGISTERED
        )
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )


@transaction.atomic
def workshop_check_in(
    *, actor: User | System, choice: WorkshopChoice, attended: bool = True
) -> WorkshopChoice:
    """Record that a delegate came to their workshop (attendance per session)."""
    choice = (
        WorkshopChoice.objects.select_for_update(of=("self",))
        .select_related("delegate__event", "session")
        .get(pk=choice.pk)
    )
    require(actor, "events.manage_event", choice.delegate.event)
    if not (choice.allocated and choice.delegate.is_active):
        raise ValidationError(
            f"{choice.delegate.full_name} does not have a place in “{choice.session.title}”."
        )
    choice.checked_in_at = timezone.now() if attended else None
    choice.save(update_fields=["checked_in_at"])
    return choice


@transaction.atomic
def workshop_allocate(
    *, actor: User | System, event: Event, now: datetime | None = None
) -> dict[str, int]:
    """Allocate ranked workshop preferences in one batch once registration has closed.

    Fair across LAs: delegates are taken in rounds, one per LA per round (each LA's delegates in
    the order they registered, LAs rotating their turn each round), and each gets their
    highest-ranked workshop that still has room.
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(actor, "events.manage_event", event)
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
