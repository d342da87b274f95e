"""Ranked workshop choices allocated fairly across LAs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import WorkshopMode
from events.services import events as events_services
from events.services import workshops as workshops_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register


@pytest.mark.django_db
class TestWorkshopAllocate:
    def test_ranked_preferences_are_allocated_fairly_across_las(self, world, summit, workshops):
        summit.workshop_mode = WorkshopMode.RANKED
        summit.save()
        neglect, early_help = workshops  # Neglect has 2 places
        first = [neglect.pk, early_help.pk]
        # Somerset registers three people first; Devon's one person must still get a Neglect place.
        for n in range(3):
            register(summit, world.home_la, n, workshops=first)
        register(summit, world.peer_la, 1, workshops=first)
        with pytest.raises(ValidationError, match="once registration has closed"):
            workshops_services.workshop_allocate(actor=SYSTEM, event=summit)
        events_services.event_update(
            actor=SYSTEM, event=summit, registration_closes_at=timezone.now() - timedelta(minutes=1)
        )
        result = workshops_services.workshop_allocate(actor=SYSTEM, event=summit)
        assert result == {"allocated": 4, "unplaced": 0}
        in_neglect = set(
            neglect.choices.filter(allocated=True).values_list(
                "delegate__local_authority__name", flat=True
            )
        )
        assert in_neglect == {"Somerset", "Devon"}
