"""Helpers shared by the events services."""

from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ..models import (
    Event,
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
