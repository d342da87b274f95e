"""England-scale events for the benchmark: 300 x factor events across the regions (summits,
steering groups, conferences, training, evaluation events), each with places for every LA of its
region, three workshops on summits, and about 10,000 x factor registered delegates in all."""

import datetime
from zoneinfo import ZoneInfo

from sli_portal.scale import ScaleContext

from ..models import (
    Allocation,
    Delegate,
    DelegateStatus,
    Event,
    EventKind,
    EventStatus,
    Session,
    WorkshopChoice,
)

LONDON = ZoneInfo("Europe/London")
# A fixed anchor keeps the data the same from run to run; events fall either side of it.
ANCHOR = datetime.datetime(2026, 9, 1, 9, 30, tzinfo=LONDON)
KINDS = [
    EventKind.SUMMIT,
    EventKind.STEERING_GROUP,
    EventKind.CONFERENCE,
    EventKind.TRAINING,
    EventKind.EVALUATION,
]
EVENTS_PER_FACTOR = 300
DELEGATES_PER_FACTOR = 10_000


def seed_events(ctx: ScaleContext) -> None:
    las_by_region: dict[int, list] = {}
    for la in ctx.las:
        las_by_region.setdefault(la.region_id, []).append(la)
    regions = [region for region in ctx.regions if las_by_region.get(region.pk)]
    total_events = EVENTS_PER_FACTOR * ctx.factor
    total_places = sum(
        4 * len(las_by_region[regions[i % len(regions)].pk]) for i in range(total_events)
    )
    # The share of places taken that gives ~10,000 delegates per factor.
    fill = min(1.0, DELEGATES_PER_FACTOR * ctx.factor / total_places)
    events = _events(ctx, regions, las_by_region, total_events)
    workshops = _workshops(events, las_by_region)
    _places_and_delegates(ctx, events, las_by_region, workshops, fill)


def _events(
    ctx: ScaleContext, regions: list, las_by_region: dict[int, list], total_events: int
) -> list[Event]:
    rng = ctx.random
    events = []
    for i in range(total_events):
        region = regions[i % len(regions)]
        kind = KINDS[i % len(KINDS)]
        starts = ANCHOR + datetime.timedelta(days=rng.randint(-540, 360))
        events.append(
            Event(
                region=region,
                kind=kind,
                title=f"{region.name} {kind.label.lower()} {i // len(regions) + 1}",
                focus="Sector-led improvement",
                venue="Regional venue",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=6),
                status=EventStatus.PUBLISHED,
                registration_opens_at=starts - datetime.timedelta(days=60),
                registration_closes_at=starts - datetime.timedelta(days=3),
                places_per_la=4,
                capacity=4 * len(las_by_region[region.pk]),
                created_by=ctx.programme_managers.get(region.pk),
                # Summits and conferences are on the region's public pages (regional updates).
                is_public=kind in (EventKind.SUMMIT, EventKind.CONFERENCE),
                audience="Directors, assistant directors and partners of the region",
                how_to_book="Four places per LA: ask your director of children's services.",
            )
        )
    return Event.objects.bulk_create(events, batch_size=500)


def _workshops(events: list[Event], las_by_region: dict[int, list]) -> dict[int, list[Session]]:
    """Three workshops on each summit, by event id."""
    sessions = []
    for event in events:
        if event.kind == EventKind.SUMMIT:
            for n in range(3):
                sessions.append(
                    Session(
                        event=event,
                        title=f"Workshop {n + 1}",
                        starts_at=event.starts_at + datetime.timedelta(hours=2),
                        ends_at=event.starts_at + datetime.timedelta(hours=3),
                        is_workshop=True,
                        capacity=len(las_by_region[event.region_id]) * 2,
                    )
                )
    sessions = Session.objects.bulk_create(sessions, batch_size=1000)
    workshops: dict[int, list[Session]] = {}
    for session in sessions:
        workshops.setdefault(session.event_id, []).append(session)
    return workshops


def _places_and_delegates(
    ctx: ScaleContext,
    events: list[Event],
    las_by_region: dict[int, list],
    workshops: dict[int, list[Session]],
    fill: float,
) -> None:
    rng = ctx.random
    allocations, delegates, chosen = [], [], []
    for event in events:
        for la in las_by_region[event.region_id]:
            allocations.append(Allocation(event=event, local_authority=la, places=4))
            taken = sum(1 for _ in range(4) if rng.random() < fill)
            people = ctx.la_users.get(la.pk, {})
            members = (
                people.get("dcs", [])
                + people.get("member", [])
                + people.get("performance_lead", [])
            )
            for n in range(taken):
                user = members[n] if n < len(members) else None
                email = user.email if user else f"delegate{n}.{la.slug}@scale.sli-portal.local"
                delegates.append(
                    Delegate(
                        event=event,
                        local_authority=la,
                        user=user,
                        full_name=user.full_name if user else f"Delegate {n} of {la.name}",
                        email=email,
                        job_title="Delegate",
                        status=DelegateStatus.REGISTERED,
                    )
                )
                chosen.append(event.pk)
    Allocation.objects.bulk_create(allocations, batch_size=2000)
    delegates = Delegate.objects.bulk_create(delegates, batch_size=2000)
    choices = []
    for delegate, event_id in zip(delegates, chosen, strict=True):
        options = workshops.get(event_id)
        if options:
            choices.append(
                WorkshopChoice(
                    delegate=delegate, session=options[delegate.pk % len(options)], rank=1
                )
            )
    WorkshopChoice.objects.bulk_create(choices, batch_size=2000)
