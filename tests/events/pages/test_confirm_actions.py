"""Every destructive or mass-email action on events asks first (issue 14): the GET of its URL
says what will happen and who is told and changes nothing (no row, no email); the POST acts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import (
    Event,
    EventDocument,
    ExternalDate,
    Invitee,
    Notice,
    PlaceRequest,
    PlaceRequestStatus,
    Session,
    WorkshopChoice,
    WorkshopMode,
)
from events.services import documents as documents_services
from events.services import events as events_services
from events.services import places as places_services
from notifications.models import Notification
from sli_portal.access import SYSTEM
from tests.confirming import assert_confirmation_changes_nothing
from tests.events.conftest import register

pytestmark = pytest.mark.django_db


def _pooling(summit):
    return events_services.event_update(
        actor=SYSTEM, event=summit, pool_release_at=summit.starts_at - timedelta(days=7)
    )


def test_pool_release_asks_first_with_the_places_and_who_is_told(
    world, summit, dcs, programme_manager, client_for
):
    summit = _pooling(summit)
    register(summit, world.home_la, 1)  # Somerset leaves 3 of 4 unused, Devon 4
    places_services.place_request(actor=dcs, event=summit, local_authority=world.home_la)
    client = client_for(programme_manager)
    url = reverse("events:pool_release", args=[summit.pk])
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to pool the unused places now?",
            "7 unused places from 2 local authorities go to the regional pool now",
            "1 request is waiting for a pool place",
            "Whoever asked for each place that is granted, by email",
            "The 2 DCSs of the region's local authorities, by a notification",
            "You cannot undo this",
        ],
        cancel_url=reverse("events:registrations", args=[summit.pk]),
    )
    summit.refresh_from_db()
    assert summit.pool_released_at is None

    response = client.post(url)
    assert response.status_code == 302
    summit.refresh_from_db()
    assert summit.pool_released_at is not None
    assert PlaceRequest.objects.get().status == PlaceRequestStatus.GRANTED


def test_registrations_page_links_to_the_pool_confirmation(summit, programme_manager, client_for):
    summit = _pooling(summit)
    page = client_for(programme_manager).get(reverse("events:registrations", args=[summit.pk]))
    text = page.content.decode()
    url = reverse("events:pool_release", args=[summit.pk])
    assert f'href="{url}">Pool unused places now' in text
    assert f'action="{url}"' not in text  # no longer a one-click POST


def test_session_removal_asks_first(summit, programme_manager, client_for):
    session = events_services.session_create(
        actor=SYSTEM,
        event=summit,
        title="Plenary",
        starts_at=summit.starts_at,
        ends_at=summit.starts_at + timedelta(hours=1),
    )
    client = client_for(programme_manager)
    url = reverse("events:session_delete", args=[session.pk])
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to remove the session “Plenary”?",
            "removed from the event's programme",
            "Nobody is sent an email or notification.",
        ],
        cancel_url=summit.get_absolute_url(),
    )
    assert client.post(url).status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()


def test_document_removal_asks_first(summit, programme_manager, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = documents_services.document_add(
        actor=SYSTEM,
        event=summit,
        title="Agenda",
        upload=SimpleUploadedFile("agenda.txt", b"1. Welcome", content_type="text/plain"),
    )
    client = client_for(programme_manager)
    url = reverse("events:document_delete", args=[document.pk])
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to remove “Agenda”?",
            "nobody can download it from the event page",
            "You cannot undo this",
        ],
        cancel_url=summit.get_absolute_url(),
    )
    assert document.file.storage.exists(document.file.name)
    assert client.post(url).status_code == 302
    assert not EventDocument.objects.filter(pk=document.pk).exists()


def test_date_to_avoid_removal_asks_first(world, programme_manager, client_for):
    external = ExternalDate.objects.create(
        region=world.region,
        title="National conference",
        date=timezone.localdate() + timedelta(days=40),
    )
    client = client_for(programme_manager)
    url = reverse("events:external_date_delete", args=[external.pk])
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to remove the date to avoid “National conference”?",
            "Events in South West on",
            "no longer warn of a clash with it",
        ],
        cancel_url=reverse("events:external_dates"),
    )
    assert client.post(url).status_code == 302
    assert not ExternalDate.objects.filter(pk=external.pk).exists()


def test_date_to_avoid_confirmation_refuses_who_the_post_refuses(world, dcs, client_for):
    external = ExternalDate.objects.create(
        region=world.region, title="Conference", date=timezone.localdate()
    )
    url = reverse("events:external_date_delete", args=[external.pk])
    assert client_for(dcs).get(url).status_code == 403
    assert client_for(world.users["outsider"]).get(url).status_code == 404
    assert ExternalDate.objects.filter(pk=external.pk).exists()


@pytest.fixture
def steering_group(world):
    from events.models import EventKind, EventStatus

    starts = timezone.now() + timedelta(days=20)
    return events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.STEERING_GROUP,
        title="Steering group",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=EventStatus.PUBLISHED,
    )


def test_invite_by_role_asks_first_with_how_many_are_emailed(
    world, steering_group, programme_manager, client_for
):
    client = client_for(programme_manager)
    url = reverse("events:meeting_invite", args=[steering_group.pk])
    text = assert_confirmation_changes_nothing(
        client,
        url,
        data={"role": "dcs"},
        says=[
            "Are you sure you want to invite everyone in the region who is a director of "
            "children's services?",
            "2 people are added to the invitations",
            "The 2 people invited, by email",
            "You cannot take the invitations back once they are emailed.",
        ],
        cancel_url=steering_group.get_absolute_url(),
    )
    assert '<input type="hidden" name="role" value="dcs">' in text
    response = client.post(url, {"role": "dcs"}, follow=True)
    assert "2 people invited; each will get an email." in response.content.decode()
    assert set(Invitee.objects.values_list("user__email", flat=True)) == {
        world.users["dcs"].email,
        world.users["peer_dcs"].email,
    }
    assert Notice.objects.filter(kind="meeting_invitation").count() == 2
    # Asked again: nobody new, so nobody is emailed.
    assert_confirmation_changes_nothing(
        client,
        url,
        data={"role": "dcs"},
        says=["0 people are added to the invitations", "Nobody is sent an email"],
    )


def test_invite_by_role_without_a_role_goes_back_with_an_error(
    steering_group, programme_manager, client_for
):
    client = client_for(programme_manager)
    response = client.get(reverse("events:meeting_invite", args=[steering_group.pk]), follow=True)
    assert "Choose who to invite." in response.content.decode()
    assert not Invitee.objects.exists()


def test_event_page_invites_through_the_confirmation(steering_group, programme_manager, client_for):
    text = client_for(programme_manager).get(steering_group.get_absolute_url()).content.decode()
    url = reverse("events:meeting_invite", args=[steering_group.pk])
    assert f'<form method="get" action="{url}"' in text


def test_workshop_allocation_asks_first(world, summit, workshops, programme_manager, client_for):
    summit.workshop_mode = WorkshopMode.RANKED
    summit.save()
    neglect, early_help = workshops
    for n in range(3):
        register(summit, world.home_la, n, workshops=[neglect.pk, early_help.pk])
    summit = events_services.event_update(
        actor=SYSTEM, event=summit, registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    client = client_for(programme_manager)
    url = reverse("events:workshop_allocate", args=[summit.pk])
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to allocate the workshops now?",
            "3 delegates who ranked workshops are each given a place in the highest-ranked of "
            "the 2 workshops",
            "Workshops are allocated once",
        ],
    )
    assert not WorkshopChoice.objects.filter(allocated=True).exists()
    assert client.post(url).status_code == 302
    assert WorkshopChoice.objects.filter(allocated=True).count() == 3


def test_withdrawing_a_pool_request_asks_first(world, summit, dcs, client_for):
    summit = _pooling(summit)
    waiting = places_services.place_request(actor=dcs, event=summit, local_authority=world.home_la)
    client = client_for(dcs)
    url = reverse("events:place_request_withdraw", args=[waiting.pk])
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to withdraw Somerset's request for a pool place?",
            "waits behind those made before it",
            "Nobody is sent an email",
        ],
        cancel_url=summit.get_absolute_url(),
    )
    assert client.post(url).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == PlaceRequestStatus.WITHDRAWN


def test_confirmation_pages_refuse_other_methods(summit, programme_manager, client_for):
    client = client_for(programme_manager)
    response = client.put(reverse("events:pool_release", args=[summit.pk]))
    assert response.status_code == 405


def test_giving_back_a_guest_place_asks_first(world, client_for):
    from events.models import GuestDelegate
    from events.services import guests as guests_services
    from tests.events.url_cases import _guest_event

    pk = _guest_event(world)["pk"]
    partner = world.users["partner"]
    event = Event.objects.get(pk=pk)
    guests_services.guest_register_self(actor=partner, event=event)
    client = client_for(partner)
    url = reverse("events:guest_register", args=[pk])
    assert f'href="{url}?action=cancel">Give back my place' in client.get(url).content.decode()
    text = assert_confirmation_changes_nothing(
        client,
        url,
        data={"action": "cancel"},
        says=[
            "Are you sure you want to give back your place at Summit?",
            "guest places: a colleague can take it at once.",
            "No, keep my place",
        ],
        cancel_url=url,
    )
    assert '<input type="hidden" name="action" value="cancel">' in text
    assert client.post(url, {"action": "cancel"}).status_code == 302
    assert not GuestDelegate.objects.filter(user=partner, status="registered").exists()


def test_confirmation_pages_cost_the_same_queries_for_more_las_and_delegates(
    world, summit, programme_manager, client_for
):
    """The counts on the pool and invitation pages are aggregates: flat in the data."""
    from tests.helpers import assert_query_count_flat
    from tests.regions.factories import LocalAuthorityFactory, MembershipFactory

    summit = _pooling(summit)
    client = client_for(programme_manager)

    def grow(n):
        for i in range(summit.allocations.count(), n):
            la = LocalAuthorityFactory(region=world.region, name=f"Extra {i:03d}")
            MembershipFactory(role="dcs", local_authority=la)
            places_services.allocation_set(actor=SYSTEM, event=summit, local_authority=la, places=3)
            register(summit, la, i)

    assert_query_count_flat(
        client,
        reverse("events:pool_release", args=[summit.pk]),
        grow,
        small=3,
        large=9,
        budget=16,
    )
    assert_query_count_flat(
        client,
        reverse("events:meeting_invite", args=[summit.pk]) + "?role=dcs",
        grow,
        small=9,
        large=14,
        budget=16,
    )


def test_pool_page_tells_nobody_when_the_waiting_requests_take_every_place(
    world, summit, dcs, programme_manager, client_for
):
    summit = _pooling(summit)
    for n in range(4):
        register(summit, world.home_la, n)
    for n in range(3):  # Devon leaves 1 unused place, and Somerset waits for one
        register(summit, world.peer_la, n)
    places_services.place_request(actor=dcs, event=summit, local_authority=world.home_la)
    url = reverse("events:pool_release", args=[summit.pk])
    client = client_for(programme_manager)
    text = assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "1 unused place from 1 local authority goes to the regional pool now",
            "Whoever asked for each place that is granted, by email",
        ],
    )
    assert "DCSs of the region" not in text
    client.post(url)
    assert not Notification.objects.filter(kind="place_released").exists()
    text = assert_confirmation_changes_nothing(client, url, says=["nothing more happens"])
    assert "You cannot undo this" not in text
