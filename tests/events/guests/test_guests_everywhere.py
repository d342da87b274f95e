"""Partners on guest places appear wherever an LA's delegate does (issue 17): the registrations
page, the delegates and attendance exports, check-in, and the reminders (once each); and every
page that counts places shows the same numbers (`events.selectors.counts`)."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from events.models import GuestDelegate, Notice, NoticeKind
from events.services import delegates as delegate_services
from events.services import events as events_services
from events.services import guests as guest_services
from events.services import sweep as sweep_services
from regions.models import Membership, Organisation, OrganisationKind, Role
from sli_portal.access import SYSTEM
from tests.accounts.factories import UserFactory
from tests.events.conftest import register
from tests.helpers import assert_query_count_flat
from tests.regions.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _dfe(world) -> Organisation:
    return Membership.objects.get(user=world.users["partner"], role=Role.PARTNER).organisation


def _guest(world, event, places=2) -> GuestDelegate:
    guest_services.guest_places_grant(
        actor=world.users["programme_manager"], event=event, organisation=_dfe(world), places=places
    )
    return guest_services.guest_register_self(actor=world.users["partner"], event=event)


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_registrations_page_lists_guests_and_checks_them_in(world, summit, client_for):
    register(summit, world.home_la, 1)
    guest = _guest(world, summit)
    client = client_for(world.users["programme_manager"])
    url = reverse("events:registrations", args=[summit.pk])
    page = client.get(url).content.decode()
    assert "Partners on guest places" in page
    assert "Department for Education" in page and "Rhia Sloane" in page

    response = client.post(reverse("events:guest_check_in", args=[guest.pk]), {"attended": "1"})
    assert response.status_code == 302 and response["Location"] == url
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
    assert guest.history.first().history_change_reason == "Checked in"
    assert guest.history.first().history_user == world.users["programme_manager"]
    assert "Checked in" in client.get(url).content.decode()

    # The attendance and delegates exports carry the guest after the LA's delegates.
    attendance = _rows(
        client.get(reverse("events:export", args=[summit.pk, "attendance", "csv"])).content
    )
    assert attendance[-1][:4] == [
        "Department for Education (guest place)",
        "Rhia Sloane",
        "partner@example.org",
        "Yes",
    ]
    assert attendance[1][0] == "Somerset"
    delegates = client.get(reverse("events:export", args=[summit.pk, "delegates", "xlsx"]))
    sheet = load_workbook(io.BytesIO(delegates.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Rhia Sloane" in names and len(names) == 2

    # Undo; a DCS of the region may not check anyone in, an outsider does not see the guest.
    client.post(reverse("events:guest_check_in", args=[guest.pk]), {"attended": "0"})
    guest.refresh_from_db()
    assert guest.checked_in_at is None
    check_in = reverse("events:guest_check_in", args=[guest.pk])
    assert client_for(world.users["dcs"]).post(check_in).status_code == 403
    assert client_for(world.users["outsider"]).post(check_in).status_code == 404
    guest.refresh_from_db()
    assert guest.checked_in_at is None


def test_a_guest_who_gave_the_place_back_cannot_be_checked_in(world, summit):
    guest = _guest(world, summit)
    guest_services.guest_cancel_self(actor=world.users["partner"], event=summit)
    with pytest.raises(Exception, match="guest place was given back"):
        guest_services.guest_check_in(actor=world.users["programme_manager"], guest=guest)


def _days_before(event, days, minutes=0):
    return event.starts_at - timedelta(days=days) + timedelta(minutes=minutes)


def test_reminders_reach_guests_once(world, summit):
    delegate = register(summit, world.home_la, 1)
    _guest(world, summit)
    # A second partner who also holds one of Somerset's places under the same address.
    both = UserFactory(email="both@example.org", full_name="Bo Th")
    MembershipFactory(
        user=both,
        role=Role.PARTNER,
        region=world.region,
        local_authority=None,
        organisation=_dfe(world),
    )
    guest_services.guest_register_self(actor=both, event=summit)
    delegate_services.delegate_register(
        actor=SYSTEM,
        event=summit,
        local_authority=world.home_la,
        full_name="Bo Th",
        email="both@example.org",
    )
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 10))  # confirmations
    mail.outbox.clear()

    for minutes in (1, 2):  # the daily job twice
        sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 7, minutes))
    reminded = sorted(m.to[0] for m in mail.outbox)
    assert reminded == sorted([delegate.email, "both@example.org", "partner@example.org"])
    assert Notice.objects.filter(kind=NoticeKind.REMINDER).count() == 3


def test_a_guest_reminder_is_not_sent_after_the_place_was_given_back(world, summit):
    _guest(world, summit)
    sweep_services.reminders_record_due(actor=SYSTEM, now=_days_before(summit, 7, 1))
    guest_services.guest_cancel_self(actor=world.users["partner"], event=summit)
    mail.outbox.clear()
    sweep_services.events_sweep(actor=SYSTEM, now=_days_before(summit, 7, 2))
    assert mail.outbox == []  # neither the confirmation nor the reminder
    for kind in (NoticeKind.CONFIRMATION, NoticeKind.REMINDER):
        notice = Notice.objects.get(kind=kind)
        assert notice.skipped_reason == "The person no longer holds the place."


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def test_every_page_counts_the_same_places(world, summit, client_for):
    """Somerset 2 of 4, Devon 1 of 4 (8 LA places), DfE 1 of 3 guest places, capacity 20."""
    events_services.event_update(actor=SYSTEM, event=summit, capacity=20)
    register(summit, world.home_la, 1)
    register(summit, world.home_la, 2)
    register(summit, world.peer_la, 3)
    _guest(world, summit, places=3)

    pm = client_for(world.users["programme_manager"])
    dashboard = pm.get(reverse("dashboard")).content.decode()
    assert "Summer summit: 3 of 8 LA places taken, 1 of 3 guest places" in dashboard

    registrations = pm.get(reverse("events:registrations", args=[summit.pk]))
    total = re.search(r'id="registrations-total">(.*?)</p>', registrations.content.decode()).group(
        1
    )
    assert _numbers(total) == [3, 8, 1, 3, 4, 20]

    event_page = pm.get(summit.get_absolute_url()).content.decode()
    places = re.search(r'id="event-places">(.*?)</span>', event_page, re.S).group(1)
    assert _numbers(places) == [4, 3, 8, 1, 3, 4, 20]

    # The LA page (hub) and the DCS's event page: Somerset's own 2 of 4.
    hub = client_for(world.users["dcs"]).get(reverse("regions:la_detail", args=["somerset"]))
    row = re.search(r"Summer summit</a>.*?</tr>", hub.content.decode(), re.S).group(0)
    assert re.findall(r'cell--numeric">(\d+)<', row) == ["4", "2"]
    dcs_page = client_for(world.users["dcs"]).get(summit.get_absolute_url()).content.decode()
    assert "2 of 4 places used" in dcs_page
    dashboard = client_for(world.users["dcs"]).get(reverse("dashboard")).content.decode()
    assert "Summer summit: 2 of 4 places used" in dashboard


def test_a_guest_fills_the_venue_for_the_las_too(world, summit, client_for):
    events_services.event_update(actor=SYSTEM, event=summit, capacity=2)
    register(summit, world.peer_la, 1)
    _guest(world, summit)
    page = client_for(world.users["dcs"]).get(summit.get_absolute_url()).content.decode()
    assert "Summer summit is full" in page
    assert "Register a delegate" not in page


def test_registrations_page_queries_do_not_grow_with_guests(world, summit, client_for):
    client = client_for(world.users["programme_manager"])

    def grow(n):
        for i in range(GuestDelegate.objects.count(), n):
            org = Organisation.objects.create(name=f"Org {i}", kind=OrganisationKind.OTHER)
            partner = UserFactory(email=f"guest{i}@example.org")
            MembershipFactory(
                user=partner,
                role=Role.PARTNER,
                region=world.region,
                local_authority=None,
                organisation=org,
            )
            guest_services.guest_places_grant(
                actor=SYSTEM, event=summit, organisation=org, places=1
            )
            guest_services.guest_register_self(actor=partner, event=summit)
            register(summit, world.home_la if i < 4 else world.peer_la, i)

    assert_query_count_flat(
        client,
        reverse("events:registrations", args=[summit.pk]),
        grow,
        small=2,
        large=8,
        budget=11,
    )
