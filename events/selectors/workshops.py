"""Workshops: who has a place in one (the organisers' check-in list)."""

from ..models.delegates import DelegateStatus, WorkshopChoice
from ..models.events import Event, Session


def workshop_register(*, event: Event, session_pk: int) -> tuple[Session, list[WorkshopChoice]]:
    """A workshop of the event and the delegates with a place in it (organisers' check-in).
    Raises Session.DoesNotExist for a session that is not a workshop of this event."""
    session = Session.objects.get(event=event, pk=session_pk, is_workshop=True)
    choices = list(
        WorkshopChoice.objects.filter(
            session=session, allocated=True, delegate__status=DelegateStatus.REGISTERED
        )
        .select_related("delegate__local_authority")
        .order_by("delegate__local_authority__name", "delegate__full_name", "pk")
    )
    return session, choices
