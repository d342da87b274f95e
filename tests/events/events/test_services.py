"""Creating events: places for every LA, refusals, clashes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events.models import EventKind
from events.services import events as events_services
from sli_portal.access import SYSTEM


@pytest.mark.django_db
class TestEventCreate:
    def test_gives_every_la_of_the_region_the_default_places(self, world, summit):
        places = dict(summit.allocations.values_list("local_authority__name", "places"))
        assert places == {"Somerset": 4, "Devon": 4}

    def test_programme_manager_of_another_region_is_refused(self, world, outsider):
        with pytest.raises(PermissionDenied):
            events_services.event_create(
                actor=outsider,
                region=world.region,
                kind=EventKind.SUMMIT,
                title="Not mine",
                starts_at=timezone.now(),
                ends_at=timezone.now() + timedelta(hours=1),
            )

    def test_event_ending_before_it_starts_is_refused(self, world, programme_manager):
        with pytest.raises(ValidationError, match="end after it starts"):
            events_services.event_create(
                actor=programme_manager,
                region=world.region,
                kind=EventKind.CHALLENGE_DAY,
                title="Backwards",
                starts_at=timezone.now() + timedelta(days=2),
                ends_at=timezone.now() + timedelta(days=1),
            )

    def test_challenge_day_kind_is_available_to_other_apps(self, world):
        event = events_services.event_create(
            actor=SYSTEM,
            region=world.region,
            kind="challenge_day",
            title="Peer challenge day",
            starts_at=timezone.now() + timedelta(days=5),
            ends_at=timezone.now() + timedelta(days=5, hours=7),
        )
        assert event.get_kind_display() == "Peer-challenge day"

    def test_clash_with_same_day_event_and_external_date_is_reported(self, world, summit):
        from events.models import ExternalDate
        from events.selectors.events import event_clashes

        ExternalDate.objects.create(
            title="National children's services conference",
            date=timezone.localtime(summit.starts_at).date(),
        )
        meeting = events_services.event_create(
            actor=SYSTEM,
            region=world.region,
            kind=EventKind.STEERING_GROUP,
            title="Steering group",
            starts_at=summit.starts_at + timedelta(hours=7),
            ends_at=summit.starts_at + timedelta(hours=8),
        )
        clashes = event_clashes(meeting)
        assert any("Summer summit" in c for c in clashes)
        assert any("National children's services conference" in c for c in clashes)
