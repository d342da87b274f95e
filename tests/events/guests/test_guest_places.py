"""Guest places (issue 17): the programme manager grants a partner organisation places outside
the LAs' allocations; a partner of that organisation takes one for themselves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from events.models import DelegateStatus, GuestDelegate
from events.services import guests as guest_services
from regions.models import Membership, Organisation, OrganisationKind, Role
from tests.accounts.factories import UserFactory
from tests.helpers import assert_query_count_flat
from tests.regions.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _dfe(world) -> Organisation:
    return Membership.objects.get(user=world.users["partner"], role=Role.PARTNER).organisation


def _colleague(world, n: int, organisation=None) -> User:
    user = UserFactory(email=f"partner{n}@example.org", full_name=f"Partner {n}")
    MembershipFactory(
        user=user,
        role=Role.PARTNER,
        region=world.region,
        local_authority=None,
        organisation=organisation or _dfe(world),
    )
    return user


def _grant(world, event, places, organisation=None):
    return guest_services.guest_places_grant(
        actor=world.users["programme_manager"],
        event=event,
        organisation=organisation or _dfe(world),
        places=places,
    )


def test_a_partner_takes_a_guest_place_once_and_the_places_hold(world, summit):
    _grant(world, summit, 2)
    partner = world.users["partner"]
    held = guest_services.guest_register_self(actor=partner, event=summit)
    assert (held.full_name, held.email) == ("Rhia Sloane", "partner@example.org")
    # A double submit returns the same place.
    assert guest_services.guest_register_self(actor=partner, event=summit).pk == held.pk
    guest_services.guest_register_self(actor=_colleague(world, 1), event=summit)
    with pytest.raises(ValidationError, match="All 2 guest places for Department for Education"):
        guest_services.guest_register_self(actor=_colleague(world, 2), event=summit)
    # LA places are untouched: guest places are outside the allocations.
    assert summit.delegates.count() == 0
    # Giving one back frees it for a colleague, and the history says when.
    assert guest_services.guest_cancel_self(actor=partner, event=summit) == 1
    guest_services.guest_register_self(
        actor=User.objects.get(email="partner2@example.org"), event=summit
    )
    assert held.history.first().status == DelegateStatus.CANCELLED


def test_no_places_for_the_organisation_is_refused_with_the_reason(world, summit):
    other = Organisation.objects.create(name="Ofsted", kind=OrganisationKind.INSPECTORATE)
    _colleague(world, 3, organisation=other)
    _grant(world, summit, 1)  # for DfE only
    with pytest.raises(ValidationError, match="Your organisation has no guest places at Summer"):
        guest_services.guest_register_self(
            actor=User.objects.get(email="partner3@example.org"), event=summit
        )


@pytest.mark.parametrize("persona", ["dcs", "member", "outsider", "staff"])
def test_only_partners_of_the_region_may_take_a_guest_place(world, summit, persona):
    _grant(world, summit, 5)
    with pytest.raises(PermissionDenied):
        guest_services.guest_register_self(actor=world.users[persona], event=summit)
    assert not GuestDelegate.objects.exists()


def test_granting_checks_who_the_organisation_is_and_what_is_taken(world, summit):
    with pytest.raises(PermissionDenied):
        guest_services.guest_places_grant(
            actor=world.users["dcs"], event=summit, organisation=_dfe(world), places=3
        )
    stranger = Organisation.objects.create(name="Police", kind=OrganisationKind.POLICE)
    with pytest.raises(ValidationError, match="Police is not a partner of South West"):
        _grant(world, summit, 1, organisation=stranger)
    _grant(world, summit, 2)
    guest_services.guest_register_self(actor=world.users["partner"], event=summit)
    with pytest.raises(
        ValidationError, match="1 person from Department for Education already holds"
    ):
        _grant(world, summit, 0)
    changed = _grant(world, summit, 3)
    assert changed.places == 3
    assert [h.places for h in changed.history.all()] == [3, 2]


def test_the_pages_show_the_places_and_bad_input_is_named(client, world, summit):
    client.force_login(world.users["programme_manager"])
    url = reverse("events:guest_places", kwargs={"pk": summit.pk})
    response = client.post(url, {"organisation": _dfe(world).pk, "places": "-1"})
    assert response.status_code == 400
    assert "Guest places cannot be negative." in response.content.decode()
    response = client.post(url, {"organisation": _dfe(world).pk, "places": "2"}, follow=True)
    assert "Department for Education has 2 guest places at Summer summit." in (
        response.content.decode()
    )

    client.force_login(world.users["partner"])
    url = reverse("events:guest_register", kwargs={"pk": summit.pk})
    page = client.get(url).content.decode()
    assert "0 of 2 taken" in page and "Register me on a guest place" in page
    page = client.post(url, follow=True).content.decode()
    assert "You are registered for Summer summit." in page and "1 of 2 taken" in page


def test_guest_places_page_queries_do_not_grow(client, world, summit):
    client.force_login(world.users["programme_manager"])

    def grow(n):
        for i in range(GuestDelegate.objects.count(), n):
            org = Organisation.objects.create(name=f"Org {i}", kind=OrganisationKind.OTHER)
            partner = _colleague(world, 100 + i, organisation=org)
            _grant(world, summit, 2, organisation=org)
            guest_services.guest_register_self(actor=partner, event=summit)

    assert_query_count_flat(
        client,
        reverse("events:guest_places", kwargs={"pk": summit.pk}),
        grow,
        small=1,
        large=6,
        budget=12,
    )


def test_guests_and_la_delegates_share_the_venues_capacity(world, summit):
    from events.services import delegates as delegates_services
    from events.services import events as events_services
    from sli_portal.access import SYSTEM

    events_services.event_update(actor=SYSTEM, event=summit, capacity=2)
    _grant(world, summit, 2)
    delegates_services.delegate_register(
        actor=SYSTEM,
        event=summit,
        local_authority=world.home_la,
        full_name="Sam Delegate",
        email="sam@example.org",
    )
    guest_services.guest_register_self(actor=world.users["partner"], event=summit)
    with pytest.raises(ValidationError, match="Summer summit is full: all 2 places are taken"):
        guest_services.guest_register_self(actor=_colleague(world, 4), event=summit)
    with pytest.raises(ValidationError, match="Summer summit is full"):
        delegates_services.delegate_register(
            actor=SYSTEM,
            event=summit,
            local_authority=world.home_la,
            full_name="Kit Delegate",
            email="kit@example.org",
        )
    with pytest.raises(ValidationError, match="2 delegates are already registered"):
        events_services.event_update(actor=SYSTEM, event=summit, capacity=1)


def test_the_partner_is_emailed_a_confirmation_once(world, summit):
    from events.models import Notice, NoticeKind

    _grant(world, summit, 1)
    guest_services.guest_register_self(actor=world.users["partner"], event=summit)
    guest_services.guest_register_self(actor=world.users["partner"], event=summit)
    notice = Notice.objects.get(email="partner@example.org")
    assert notice.kind == NoticeKind.CONFIRMATION


def test_writing_to_everyone_registered_reaches_the_guests(world, summit):
    from events.models import Audience
    from events.selectors.messages import audience_of

    _grant(world, summit, 1)
    guest_services.guest_register_self(actor=world.users["partner"], event=summit)
    assert audience_of(event=summit, audience=Audience.DELEGATES) == [
        ("partner@example.org", "Rhia Sloane")
    ]


def test_guests_are_told_when_the_event_is_cancelled(world, summit):
    from events.models import Notice, NoticeKind
    from events.services import events as events_services

    _grant(world, summit, 1)
    guest_services.guest_register_self(actor=world.users["partner"], event=summit)
    events_services.event_cancel(actor=world.users["programme_manager"], event=summit)
    kinds = set(Notice.objects.filter(email="partner@example.org").values_list("kind", flat=True))
    assert kinds == {NoticeKind.CONFIRMATION, NoticeKind.EVENT_CANCELLED}
