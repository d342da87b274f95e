"""Reads for the cycle pages: which cycles a user sees, a cycle with its challenge day."""

from collections import Counter
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from events.models import Event, EventKind, EventStatus
from events.selectors.registrations import registrations_by_la
from regions.models import Region
from regions.scope import user_scope

from ..models import Cycle, SelfAssessmentStatus


def visible_cycles(user: User) -> QuerySet[Cycle]:
    scope = user_scope(user)
    cycles = Cycle.objects.select_related("region", "challenge_event")
    if not scope.is_admin:
        cycles = cycles.filter(region_id__in=scope.region_ids)
    return cycles.order_by("region__name", "-year", "kind", "title")


def regions_for_index(user: User) -> list[Region]:
    scope = user_scope(user)
    regions = (
        Region.objects.all() if scope.is_admin else Region.objects.filter(pk__in=scope.region_ids)
    )
    return list(regions.order_by("name"))


def cycles_for_pages() -> QuerySet[Cycle]:
    """Cycles as the cycle pages read them (fetch one with `sli_portal.access.fetch`)."""
    return Cycle.objects.select_related("region", "created_by", "challenge_event").prefetch_related(
        "questions"
    )


def linkable_challenge_events(region: Region) -> QuerySet[Event]:
    """The region's peer-challenge days ahead, not cancelled and not yet any cycle's."""
    return (
        Event.objects.filter(
            region=region,
            kind=EventKind.CHALLENGE_DAY,
            peer_cycle__isnull=True,
            starts_at__gt=timezone.now(),
        )
        .exclude(status=EventStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )


def challenge_day_places(cycle: Cycle) -> dict[str, Any] | None:
    """Registrations against places at the cycle's challenge day, per LA (organisers only)."""
    event = cycle.challenge_event
    if event is None:
        return None
    rows = registrations_by_la(event=event)
    return {
        "rows": rows,
        "places": sum(row.places for row in rows),
        "used": sum(row.used for row in rows),
    }


def cycle_progress(cycle: Cycle) -> dict[str, int]:
    counts = Counter(cycle.self_assessments.values_list("status", flat=True))
    return {label: counts.get(value, 0) for value, label in SelfAssessmentStatus.choices}
