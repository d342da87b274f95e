"""The scheduled jobs are the portal's own: nobody signed in may run them, not even an admin."""

import pytest
from django.core.exceptions import PermissionDenied

from events.services import delegates as delegates_services
from events.services import sweep as sweep_services
from sli_portal.access import SYSTEM


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin", "programme_manager", "dcs"])
def test_people_cannot_run_the_scheduled_jobs(world, persona, summit):
    user = world.user(persona)
    with pytest.raises(PermissionDenied):
        sweep_services.events_sweep(actor=user)
    with pytest.raises(PermissionDenied):
        delegates_services.delegate_needs_erase(actor=user)
    assert sweep_services.events_sweep(actor=SYSTEM) == 0
