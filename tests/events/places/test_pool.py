"""The regional pool: released places shared fairly between LAs."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events.models import PlaceRequestStatus
from events.services import delegates as delegates_services
from events.services import events as events_services
from events.services import places as places_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register
from tests.regions.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


class TestRegionalPool:
    def test_released_places_are_shared_round_robin_not_first_click(self, world, summit, dcs):
        third_la = LocalAuthorityFactory(name="Torbay", slug="torbay", region=world.region)
        places_services.allocation_set(
            actor=SYSTEM, event=summit, local_authority=third_la, places=1
        )
        events_services.event_update(
            actor=SYSTEM, event=summit, pool_release_at=summit.starts_at - timedelta(days=7)
        )
        for n in range(4):
            register(summit, world.home_la, n)
        register(summit, world.peer_la, 1)  # Devon leaves 3 unused
        # Somerset asks three times (one waiting at a time), Torbay once, after Somerset's first.
        first = places_services.place_request(
            actor=dcs, event=summit, local_authority=world.home_la
        )
        assert first.status == PlaceRequestStatus.WAITING
        with pytest.raises(ValidationError, match="already waiting"):
            places_services.place_request(actor=dcs, event=summit, local_authority=world.home_la)
        places_services.place_request(actor=SYSTEM, event=summit, local_authority=third_la)
        released = places_services.pool_release(actor=SYSTEM, event=summit)
        assert released == 3 + 1  # Devon's 3 unused and Torbay's 1
        summit.refresh_from_db()
        assert summit.pool_places == 2
        # A later Somerset request is granted at once: the pool has places and nobody waits.
        again = places_services.place_request(
            actor=dcs, event=summit, local_authority=world.home_la
        )
        assert again.status == PlaceRequestStatus.GRANTED
        places = dict(summit.allocations.values_list("local_authority__name", "places"))
        assert places == {"Somerset": 6, "Devon": 1, "Torbay": 1}

    def test_withdrawn_request_is_not_served(self, world, summit, dcs, peer_dcs):
        events_services.event_update(
            actor=SYSTEM, event=summit, pool_release_at=summit.starts_at - timedelta(days=7)
        )
        waiting = places_services.place_request(
            actor=dcs, event=summit, local_authority=world.home_la
        )
        with pytest.raises(PermissionDenied):
            places_services.place_request_withdraw(actor=peer_dcs, place_request=waiting)
        places_services.place_request_withdraw(actor=dcs, place_request=waiting)
        places_services.pool_release(actor=SYSTEM, event=summit)
        waiting.refresh_from_db()
        assert waiting.status == PlaceRequestStatus.WITHDRAWN
        assert summit.allocations.get(local_authority=world.home_la).places == 0

    def test_fair_order_serves_the_la_with_fewest_grants_first(self, world, summit, dcs, peer_dcs):
        events_services.event_update(
            actor=SYSTEM, event=summit, pool_release_at=summit.starts_at - timedelta(days=7)
        )
        for n in range(4):
            register(summit, world.home_la, n)
        register(summit, world.peer_la, 1)
        register(summit, world.peer_la, 2)
        register(summit, world.peer_la, 3)
        places_services.pool_release(actor=SYSTEM, event=summit)  # one place: Devon's fourth
        places_services.place_request(
            actor=dcs, event=summit, local_authority=world.home_la
        )  # granted
        places_services.place_request(
            actor=dcs, event=summit, local_authority=world.home_la
        )  # waits
        places_services.place_request(actor=peer_dcs, event=summit, local_authority=world.peer_la)
        # A Devon delegate cancels: the freed place goes to the pool and on to Devon, whose
        # request came later but who has had fewer pool places than Somerset.
        devon = summit.delegates.filter(local_authority=world.peer_la).first()
        delegates_services.delegate_cancel(actor=SYSTEM, delegate=devon)
        granted = list(
            summit.place_requests.filter(status=PlaceRequestStatus.GRANTED).values_list(
                "local_authority__name", flat=True
            )
        )
        assert sorted(granted) == ["Devon", "Somerset"]
