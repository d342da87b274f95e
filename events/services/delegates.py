"""Delegates: register, change, substitute, cancel, check in; and erasing their needs."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority
from sli_portal.access import System, require, user_of

from ..models.delegates import Delegate, DelegateStatus, Substitution
from ..models.events import Event, EventStatus, Session
from ..models.guests import guests_registered
from ..models.notices import Notice, NoticeKind
from ..models.places import Allocation
from ..selectors.registrations import self_registration_la
from .notices import _notify, _undo_deadline, _withdraw_unsent
from .places import _check_registration_open, _lock_for_places, _pool_serve
from .workshops import _book_workshops


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
        # Partners on guest places take room at the venue too (issue 17).
        total = Delegate.objects.filter(
            event=event, status=DelegateStatus.REGISTERED
        ).count() + guests_registered(event)
        if total >= event.capacity:
            raise ValidationError(f"{event.title} is full: all {event.capacity} places are taken.")


def _clean_person(full_name: str, email: str) -> tuple[str, str]:
    full_name = " ".join((full_name or "").split())
    email = (email or "").strip().lower()
    if not full_name:
        raise ValidationError({"full_name": "Enter the delegate's full name."})
    if not email or "@" not in email:
        raise ValidationError({"email": "Enter the delegate's email address."})
    return full_name, email


def _check_email_free(event: Event, email: str, exclude_pk: int | None = None) -> None:
    clash = Delegate.objects.filter(event=event, email=email, status=DelegateStatus.REGISTERED)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"email": f"{email} already has a place at {event.title}."})


@transaction.atomic
def delegate_register(
    *,
    actor: User | System,
    event: Event,
    local_authority: LocalAuthority,
    full_name: str,
    email: str,
    job_title: str = "",
    dietary_needs: str = "",
    access_needs: str = "",
    workshops: Iterable[int | str] = (),
    user: User | None = None,
    now: datetime | None = None,
) -> Delegate:
    """Take one of the LA's places for a person, with their workshop choices (in order)."""
    require(actor, "events.register_for_la", local_authority)
    return _register(
        actor,
        event,
        local_authority,
        full_name=full_name,
        email=email,
        job_title=job_title,
        dietary_needs=dietary_needs,
        access_needs=access_needs,
        workshops=workshops,
        user=user,
        now=now or timezone.now(),
    )


@transaction.atomic
def delegate_register_colleagues(
    *,
    actor: User | System,
    event: Event,
    local_authority: LocalAuthority,
    users: Iterable[User],
    now: datetime | None = None,
) -> list[Delegate]:
    """Register several of the LA's people at once (each with their name, email and job title
    from their account): all of them, or none when one cannot have a place."""
    require(actor, "events.register_for_la", local_authority)
    now = now or timezone.now()
    return [
        _register(
            actor,
            event,
            local_authority,
            full_name=person.full_name,
            email=person.email,
            job_title=person.job_title,
            dietary_needs="",
            access_needs="",
            workshops=(),
            user=person,
            now=now,
        )
        for person in users
    ]


@transaction.atomic
def delegate_register_self(
    *,
    actor: User | System,
    event: Event,
    job_title: str = "",
    dietary_needs: str = "",
    access_needs: str = "",
    workshops: Iterable[int | str] = (),
    now: datetime | None = None,
) -> Delegate:
    """A member of an LA registers themselves, using one of their LA's places (and is recorded
    as having registered themselves)."""
    require(actor, "events.register_self", event)
    event = Event.objects.get(pk=event.pk)
    if not event.members_may_self_register:
        raise ValidationError(
            f"Places at {event.title} are booked by each LA's director of children's services."
        )
    member = user_of(actor)
    la = self_registration_la(member, event) if member is not None else None
    if member is None or la is None:
        raise PermissionDenied("Only a member of an LA of the event's region may do this.")
    return _register(
        member,
        event,
        la,
        full_name=member.full_name,
        email=member.email,
        job_title=job_title or member.job_title,
        dietary_needs=dietary_needs,
        access_needs=access_needs,
        workshops=workshops,
        user=member,
        now=now or timezone.now(),
    )


def _register(
    actor: User | System,
    event: Event,
    local_authority: LocalAuthority,
    *,
    full_name: str,
    email: str,
    job_title: str,
    dietary_needs: str,
    access_needs: str,
    workshops: Iterable[int | str],
    user: User | None,
    now: datetime,
) -> Delegate:
    """Take the place, once the caller has checked who may. The caller holds a transaction."""
    if local_authority.region_id != event.region_id:
        raise ValidationError(f"{local_authority.name} is not invited to {event.title}.")
    full_name, email = _clean_person(full_name, email)
    workshop_ids = [int(pk) for pk in workshops]
    if len(set(workshop_ids)) != len(workshop_ids):
        raise ValidationError({"workshops": "Choose each workshop once."})
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
        registered_by=user_of(actor),
    )
    _book_workshops(event, delegate, locked_workshops, workshop_ids)
    _notify(event, NoticeKind.CONFIRMATION, f"confirmation:{delegate.pk}", delegate)
    return delegate


def _lock_delegate(
    delegate: Delegate, workshop_ids: Iterable[int] = ()
) -> tuple[Event, Allocation, list[Session], Delegate]:
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
    actor: User | System,
    delegate: Delegate,
    job_title: str,
    workshops: Iterable[int | str] | None = None,
    dietary_needs: str | None = None,
    access_needs: str | None = None,
    now: datetime | None = None,
) -> Delegate:
    """Change a delegate's job title, workshops or needs (None leaves the needs as they are)."""
    require(actor, "events.change_delegate", delegate)
    now = now or timezone.now()
    workshop_ids = [int(pk) for pk in workshops] if workshops is not None else None
    event, _allocation, locked, delegate = _lock_delegate(delegate, workshop_ids or ())
    _check_changeable(event, delegate, now)
    delegate.job_title = job_title.strip()
    if dietary_needs is not None:
        delegate.dietary_needs = dietary_needs.strip()
    if access_needs is not None:
        delegate.access_needs = access_needs.strip()
    delegate._change_reason = "Details changed"  # type: ignore[attr-defined]
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
    actor: User | System,
    delegate: Delegate,
    full_name: str,
    email: str,
    job_title: str = "",
    dietary_needs: str = "",
    access_needs: str = "",
    user: User | None = None,
    now: datetime | None = None,
) -> Delegate:
    """Hand the place to someone else: the place and workshop choices stay, the person (and
    their needs) change, both people are told, and the change is kept in history."""
    require(actor, "events.change_delegate", delegate)
    full_name, email = _clean_person(full_name, email)
    event, _allocation, _workshops, delegate = _lock_delegate(delegate)
    now = now or timezone.now()  # taken under the lock, after any change we waited for
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
        made_by=user_of(actor),
    )
    delegate.full_name, delegate.email, delegate.user = full_name, email, user
    delegate.job_title = job_title.strip()
    delegate.dietary_needs, delegate.access_needs = dietary_needs.strip(), access_needs.strip()
    delegate.checked_in_at = None
    delegate._change_reason = f"Substituted for {substitution.previous_name}"  # type: ignore[attr-defined]
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
def delegate_cancel(
    *, actor: User | System, delegate: Delegate, now: datetime | None = None
) -> Delegate:
    """Give the place back to the LA (and the workshop places back to the event)."""
    require(actor, "events.change_delegate", delegate)
    event, _allocation, _workshops, delegate = _lock_delegate(delegate)
    now = now or timezone.now()  # taken under the lock, after any change we waited for
    if not delegate.is_active:
        return delegate
    if event.ends_at <= now:
        raise ValidationError(f"{event.title} is over: record a no-show instead of cancelling.")
    delegate.status = DelegateStatus.CANCELLED
    delegate.cancelled_at = now
    delegate._change_reason = "Place cancelled"  # type: ignore[attr-defined]
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
        _notify(
            event,
            NoticeKind.DELEGATE_CANCELLED,
            f"withdrawn:{delegate.pk}",
            delegate,
            send_after=_undo_deadline(now),
        )
    return delegate


@transaction.atomic
def delegate_cancel_undo(
    *, actor: User | System, delegate: Delegate, now: datetime | None = None
) -> Delegate:
    """Give a cancelled delegate their place (and workshops) back, while the email telling them
    of the cancellation has not gone, the place is still free and the event still ahead."""
    require(actor, "events.change_delegate", delegate)
    ranked_ids = list(delegate.choices.order_by("rank").values_list("session_id", flat=True))
    event, allocation, workshops, delegate = _lock_delegate(delegate, ranked_ids)
    now = now or timezone.now()
    if delegate.is_active:
        return delegate
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(f"{event.title} has been cancelled.")
    if event.starts_at <= now:
        raise ValidationError(f"{event.title} has started: register them again instead.")
    if event.pool_released_at is not None:
        raise ValidationError(
            "The place went back to the regional pool when it was cancelled: "
            "register them again if a place is free."
        )
    _withdraw_unsent(
        Notice.objects.filter(
            event=event, kind=NoticeKind.DELEGATE_CANCELLED, occasion=f"withdrawn:{delegate.pk}"
        ),
        f"{delegate.full_name} has already been emailed that their place is cancelled: "
        "register them again instead.",
    )
    _check_places(event, allocation)
    _check_email_free(event, delegate.email, exclude_pk=delegate.pk)
    delegate.status, delegate.cancelled_at = DelegateStatus.REGISTERED, None
    delegate._change_reason = "Cancellation undone"  # type: ignore[attr-defined]
    delegate.save()
    delegate.choices.all().delete()
    _book_workshops(event, delegate, workshops, ranked_ids)
    return delegate


@transaction.atomic
def delegate_check_in(
    *, actor: User | System, delegate: Delegate, attended: bool = True
) -> Delegate:
    delegate = Delegate.objects.select_for_update().select_related("event").get(pk=delegate.pk)
    require(actor, "events.manage_event", delegate.event)
    if not delegate.is_active:
        raise ValidationError(f"{delegate.full_name}'s place was cancelled.")
    delegate.checked_in_at = timezone.now() if attended else None
    delegate._change_reason = "Checked in" if attended else "Check-in undone"  # type: ignore[attr-defined]
    delegate.save(update_fields=["checked_in_at"])
    return delegate


def delegate_needs_erase(*, actor: User | System, now: datetime | None = None) -> int:
    """Erase dietary and access needs once the event ended EVENTS_NEEDS_RETENTION_DAYS ago."""
    require(actor, "events.run_jobs")
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVENTS_NEEDS_RETENTION_DAYS)
    return (
        Delegate.objects.filter(event__ends_at__lte=cutoff)
        .filter(~Q(dietary_needs="") | ~Q(access_needs=""))
        .update(dietary_needs="", access_needs="", needs_erased_at=now)
    )
