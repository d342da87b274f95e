import pytest

from events.models import EventKind, EventStatus
from events.services import delegates as delegates_services
from events.services import events as events_services
from sli_portal.access import SYSTEM


@pytest.fixture
def summit(world):
    """A published summit of the South West, a month ahead, four places per LA."""
    from datetime import timedelta

    from django.utils import timezone

    starts = (timezone.now() + timedelta(days=30)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    return events_services.event_create(
        actor=world.users["programme_manager"],
        region=world.region,
        kind=EventKind.SUMMIT,
        title="Summer summit",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6, minutes=30),
        status=EventStatus.PUBLISHED,
        venue="Taunton",
        places_per_la=4,
    )


@pytest.fixture
def workshops(summit):
    from datetime import timedelta

    return [
        events_services.session_create(
            actor=SYSTEM,
            event=summit,
            title=title,
            starts_at=summit.starts_at + timedelta(hours=3),
            ends_at=summit.starts_at + timedelta(hours=4),
            is_workshop=True,
            capacity=capacity,
        )
        for title, capacity in (("Neglect", 2), ("Early help", 10))
    ]


def register(event, la, n, *, actor=SYSTEM, **extra):
    return delegates_services.delegate_register(
        actor=actor,
        event=event,
        local_authority=la,
        full_name=f"Delegate {la.slug} {n}",
        email=f"d{n}.{la.slug}@example.org",
        **extra,
    )
