"""Guest places hold under simultaneous requests: real threads on PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError

from events.models import DelegateStatus, GuestDelegate
from events.services import guests as guest_services
from regions.models import Membership, Role
from sli_portal.access import SYSTEM
from tests.accounts.factories import UserFactory
from tests.events.places.test_concurrency import THREADS, _race, _summit
from tests.regions.factories import MembershipFactory
from tests.world import build_world


@pytest.mark.django_db(transaction=True)
def test_simultaneous_partners_never_exceed_their_organisations_guest_places():
    world = build_world()
    event = _summit(world)
    organisation = Membership.objects.get(user=world.users["partner"]).organisation
    guest_services.guest_places_grant(
        actor=SYSTEM, event=event, organisation=organisation, places=3
    )
    partners = []
    for i in range(THREADS):
        user = UserFactory(email=f"racer{i}@example.org")
        MembershipFactory(
            user=user,
            role=Role.PARTNER,
            region=world.region,
            local_authority=None,
            organisation=organisation,
        )
        partners.append(user)

    results = _race(
        lambda i: guest_services.guest_register_self(actor=partners[i], event=event), THREADS
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    taken = GuestDelegate.objects.filter(
        guest_place__event=event, status=DelegateStatus.REGISTERED
    ).count()
    assert taken == 3, results
    assert len(refused) == THREADS - 3, results
