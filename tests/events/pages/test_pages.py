import csv
import io

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from events.models import Delegate
from events.services import delegates as delegates_services
from events.services import events as events_services
from events.services import meetings as meetings_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register
from tests.events.factories import DelegateFactory
from tests.helpers import assert_query_count_flat
from tests.regions.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def test_dcs_sees_places_used_and_a_clear_refusal_for_a_fifth(world, dcs, summit, client_for):
    client = client_for(dcs)
    for n in range(4):
        register(summit, world.home_la, n)
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "4 of 4 places used" in page
    response = client.post(
        reverse("events:delegate_create", args=[summit.pk, world.home_la.slug]),
        {"full_name": "Fifth Person", "email": "fifth@example.org"},
    )
    assert response.status_code == 400
    assert "Somerset has used all 4 of its places" in response.content.decode()
    assert not Delegate.objects.filter(email="fifth@example.org").exists()


def test_needs_are_shown_to_organisers_only(world, dcs, programme_manager, summit, client_for):
    register(summit, world.home_la, 1, dietary_needs="Coeliac", access_needs="Hearing loop")
    assert "Coeliac" not in client_for(dcs).get(summit.get_absolute_url()).content.decode()
    edit = client_for(dcs).get(reverse("events:delegate_edit", args=[summit.delegates.get().pk]))
    assert "Coeliac" not in edit.content.decode()
    url = reverse("events:registrations", args=[summit.pk])
    assert "Coeliac" in client_for(programme_manager).get(url).content.decode()
    assert client_for(dcs).get(url).status_code == 403


def test_exports_neutralise_formulas_in_csv_and_xlsx(world, programme_manager, summit, client_for):
    register(summit, world.home_la, 1, dietary_needs='=HYPERLINK("http://evil")')
    Delegate.objects.update(full_name="@SUM(1+1)")
    client = client_for(programme_manager)
    body = client.get(reverse("events:export", args=[summit.pk, "needs", "csv"])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][1] == "'@SUM(1+1)"
    assert rows[1][3].startswith("'=HYPERLINK")
    response = client.get(reverse("events:export", args=[summit.pk, "delegates", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == "'@SUM(1+1)"
    assert sheet["B2"].data_type == "s"
    assert client.get(reverse("events:export", args=[summit.pk, "needs", "pdf"])).status_code == 404


def test_ics_has_a_stable_uid_and_cancellation_is_cancelled(world, dcs, summit, client_for):
    client = client_for(dcs)
    url = reverse("events:event_ics", args=[summit.pk])
    first = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert first["STATUS"] == "CONFIRMED"
    assert first.decoded("DTSTART") == summit.starts_at
    events_services.event_cancel(actor=SYSTEM, event=summit)
    second = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(second["UID"]) == str(first["UID"])
    assert second["STATUS"] == "CANCELLED"
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])


def test_personal_feed_lists_my_places_and_withdrawn_ones_as_cancelled(world, dcs, summit, client):
    from events.views.calendar import feed_token

    mine = delegates_services.delegate_register(
        actor=SYSTEM, event=summit, local_authority=world.home_la, full_name="Dan", email=dcs.email
    )
    url = reverse("events:personal_feed", args=[feed_token(dcs)])
    events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert [(str(e["SUMMARY"]), str(e["STATUS"])) for e in events] == [
        ("Summer summit", "CONFIRMED")
    ]
    delegates_services.delegate_cancel(actor=SYSTEM, delegate=mine)
    events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert [str(e["STATUS"]) for e in events] == ["CANCELLED"]


def test_programme_manager_creates_an_event_in_london_time(world, programme_manager, client_for):
    response = client_for(programme_manager).post(
        reverse("events:event_create"),
        {
            "region": world.region.pk,
            "kind": "summit",
            "title": "Summer summit",
            "starts_at": "2030-06-14T09:30",
            "ends_at": "2030-06-14T16:00",
            "status": "published",
            "places_per_la": 4,
            "workshop_mode": "choose",
        },
    )
    assert response.status_code == 302
    event = world.region.events.get()
    assert event.starts_at.isoformat() == "2030-06-14T08:30:00+00:00"  # BST
    assert event.allocations.count() == 2


def test_event_form_with_end_before_start_names_the_field(world, programme_manager, client_for):
    response = client_for(programme_manager).post(
        reverse("events:event_create"),
        {
            "region": world.region.pk,
            "kind": "summit",
            "title": "Backwards",
            "starts_at": "2030-06-14T09:30",
            "ends_at": "2030-06-14T08:00",
            "status": "draft",
            "places_per_la": 4,
            "workshop_mode": "choose",
        },
    )
    assert response.status_code == 400
    assert "The event must end after it starts." in response.content.decode()
    assert not world.region.events.exists()


def _grow_delegates(event, n):
    have = Delegate.objects.filter(event=event).count()
    las = [LocalAuthorityFactory(region=event.region) for _ in range(max(0, (n - have) // 50 + 1))]
    DelegateFactory.create_batch(
        n - have,
        event=event,
        local_authority=las[0] if las else event.region.local_authorities.first(),
    )
    for la in las[1:]:
        DelegateFactory.create_batch(1, event=event, local_authority=la)


def test_event_page_and_registrations_query_counts_are_flat(
    world, programme_manager, dcs, summit, workshops, client_for
):
    def grow(n):
        have = Delegate.objects.filter(event=summit).count()
        for i in range(have, n):
            la = (
                world.home_la
                if i < 2
                else LocalAuthorityFactory(region=world.region)
                if i % 25 == 0
                else la_cache[-1]
            )
            la_cache.append(la)
            delegate = DelegateFactory(event=summit, local_authority=la)
            if i % 3 == 0:
                delegate.choices.create(session=workshops[1], allocated=True)

    la_cache = [world.home_la]
    client = client_for(programme_manager)
    assert_query_count_flat(
        client,
        reverse("events:registrations", args=[summit.pk]),
        grow,
        small=10,
        large=500,
        # warm: the frame, the event (who may see it), the body's stamp (tests/events/pages/
        # test_page_cache.py); the delegates are read a page at a time when the body is rendered
        budget=4,
    )
    client = client_for(dcs)
    assert_query_count_flat(
        client, summit.get_absolute_url(), lambda n: None, small=10, large=500, budget=4
    )
    assert_query_count_flat(
        client, reverse("events:event_list"), grow, small=500, large=520, budget=15
    )


def test_dashboard_shows_dcs_unused_places_and_pm_registrations(
    world, dcs, programme_manager, summit, client_for
):
    register(summit, world.home_la, 1)
    page = client_for(dcs).get(reverse("dashboard")).content.decode()
    assert "Summer summit: 1 of 4 places used" in page
    page = client_for(programme_manager).get(reverse("dashboard")).content.decode()
    assert "Summer summit: 1 of 8 LA places taken" in page


def test_workshop_check_in_is_recorded_per_session_and_exported(
    world, programme_manager, summit, workshops, client_for
):
    delegate = register(summit, world.home_la, 1, workshops=[workshops[0].pk])
    client = client_for(programme_manager)
    choice = delegate.choices.get()
    client.post(reverse("events:workshop_check_in", args=[choice.pk]), {"attended": "1"})
    page = client.get(reverse("events:workshop_register", args=[summit.pk, workshops[0].pk]))
    assert "Checked in" in page.content.decode()
    body = client.get(reverse("events:export", args=[summit.pk, "attendance", "csv"])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][3:] == ["No", "", "Neglect"]


def test_dashboard_query_count_is_flat_as_events_grow(world, dcs, programme_manager, client_for):
    from datetime import timedelta

    from django.utils import timezone

    from events.models import EventKind, EventStatus

    def grow(n):
        have = world.region.events.count()
        for i in range(have, n):
            starts = timezone.now() + timedelta(days=10 + i)
            event = events_services.event_create(
                actor=SYSTEM,
                region=world.region,
                kind=EventKind.STEERING_GROUP,
                title=f"Meeting {i}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                status=EventStatus.PUBLISHED,
                quorum=3,
                quorum_warning_days=60,
            )
            meetings_services.meeting_invite(actor=SYSTEM, event=event, role="dcs")
            register(event, world.home_la, i)

    assert_query_count_flat(
        client_for(dcs), reverse("dashboard"), grow, small=2, large=8, budget=10
    )
    assert_query_count_flat(
        client_for(programme_manager), reverse("dashboard"), grow, small=9, large=14, budget=10
    )


def test_programme_manager_marks_a_date_to_avoid_and_a_new_event_that_day_warns(
    world, programme_manager, client_for
):
    client = client_for(programme_manager)
    response = client.post(
        reverse("events:external_dates"),
        {"region": world.region.pk, "title": "ADCS annual conference", "date": "2030-07-03"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("events:event_create"),
        {
            "region": world.region.pk,
            "kind": "steering_group",
            "title": "Steering group",
            "starts_at": "2030-07-03T10:00",
            "ends_at": "2030-07-03T12:00",
            "status": "published",
            "places_per_la": 1,
            "workshop_mode": "choose",
        },
        follow=True,
    )
    assert "Clash: on the same day as ADCS annual conference (03 July 2030)" in (
        response.content.decode()
    )
    bad = client.post(reverse("events:external_dates"), {"region": world.region.pk, "title": ""})
    assert bad.status_code == 400
