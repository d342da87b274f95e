from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import EventKind, EventStatus, PlaceRequestStatus, Response
from events.selectors.meetings import meeting_expected_count
from events.services import delegates as delegates_services
from events.services import documents as documents_services
from events.services import events as events_services
from events.services import feedback as feedback_services
from events.services import meetings as meetings_services
from events.services import places as places_services
from events.services import sweep as sweep_services
from sli_portal.access import SYSTEM
from tests.events.conftest import register
from tests.regions.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    starts = summit_start()
    return events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.STEERING_GROUP,
        title="Steering group",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=EventStatus.PUBLISHED,
        quorum=2,
        quorum_warning_days=7,
    )


def summit_start():
    from django.utils import timezone

    return (timezone.now() + timedelta(days=20)).replace(hour=10, minute=0, second=0, microsecond=0)


class TestMeetings:
    def test_inviting_every_dcs_of_the_region_emails_each_once(self, world, meeting):
        assert meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs") == 2
        assert meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs") == 0
        sweep_services.events_sweep(actor=SYSTEM, now=meeting.starts_at - timedelta(days=15))
        assert sorted(m.to[0] for m in mail.outbox) == ["dcs@example.org", "peer@example.org"]
        assert all(m.subject.startswith("Invitation: Steering group") for m in mail.outbox)

    def test_apologies_with_a_deputy_count_as_expected(self, world, dcs, peer_dcs, meeting):
        meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs")
        meetings_services.invitee_respond(
            actor=dcs, event=meeting, attending=False, deputy_name="Ann Deputy"
        )
        meetings_services.invitee_respond(actor=peer_dcs, event=meeting, attending=False)
        assert meeting_expected_count(meeting) == 1
        with pytest.raises(ValidationError, match="name of your deputy"):
            meetings_services.invitee_respond(
                actor=dcs, event=meeting, attending=False, deputy_email="x@example.org"
            )

    def test_personal_calendar_shows_meetings_and_apologies_as_cancelled(
        self, world, dcs, meeting, client
    ):
        from icalendar import Calendar

        from events.views.calendar import feed_token

        meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs")
        url = reverse("events:personal_feed", args=[feed_token(dcs)])
        statuses = [
            str(e["STATUS"]) for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")
        ]
        assert statuses == ["CONFIRMED"]
        meetings_services.invitee_respond(actor=dcs, event=meeting, attending=False)
        statuses = [
            str(e["STATUS"]) for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")
        ]
        assert statuses == ["CANCELLED"]

    def test_someone_not_invited_cannot_reply(self, world, member, meeting):
        with pytest.raises(PermissionDenied):
            meetings_services.invitee_respond(actor=member, event=meeting, attending=True)

    def test_programme_manager_is_warned_once_below_quorum_inside_the_window(
        self, world, dcs, programme_manager, meeting, client_for
    ):
        meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs")
        meetings_services.invitee_respond(actor=dcs, event=meeting, attending=True)
        sweep_services.events_sweep(actor=SYSTEM, now=meeting.starts_at - timedelta(days=8))
        mail.outbox.clear()
        sweep_services.events_sweep(actor=SYSTEM, now=meeting.starts_at - timedelta(days=6))
        sweep_services.events_sweep(actor=SYSTEM, now=meeting.starts_at - timedelta(days=5))
        warnings = [m for m in mail.outbox if m.subject.startswith("Below quorum")]
        assert [m.to for m in warnings] == [["pm@example.org"]]
        assert "Only 1 people are expected" in warnings[0].body
        # Today is 20 days before: inside a 30-day warning period the dashboard shows it too.
        events_services.event_update(actor=SYSTEM, event=meeting, quorum_warning_days=30)
        page = client_for(programme_manager).get(reverse("dashboard")).content.decode()
        assert "Steering group: 1 expected, quorum 2" in page

    def test_enough_expected_means_no_warning(self, world, dcs, peer_dcs, meeting):
        meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs")
        meetings_services.invitee_respond(actor=dcs, event=meeting, attending=True)
        meetings_services.invitee_respond(actor=peer_dcs, event=meeting, attending=True)
        assert (
            meetings_services.quorum_check(actor=SYSTEM, now=meeting.starts_at - timedelta(days=3))
            == 0
        )
        assert meeting.invitees.filter(response=Response.ATTENDING).count() == 2


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


class TestFeedback:
    def test_delegates_are_asked_once_after_the_event_and_results_are_summarised(
        self, world, programme_manager, summit, client, client_for
    ):
        came = register(summit, world.home_la, 1)
        register(summit, world.home_la, 2)
        delegates_services.delegate_check_in(actor=programme_manager, delegate=came)
        sweep_services.events_sweep(actor=SYSTEM, now=summit.starts_at - timedelta(days=20))
        mail.outbox.clear()
        after = summit.ends_at + timedelta(hours=2)
        sweep_services.events_sweep(actor=SYSTEM, now=after)
        sweep_services.events_sweep(actor=SYSTEM, now=after + timedelta(hours=1))
        requests = [m for m in mail.outbox if m.subject == "How was Summer summit?"]
        assert [m.to for m in requests] == [[came.email]]  # only the one checked in
        link = next(line for line in requests[0].body.split() if "/events/feedback/" in line)
        path = link.split("127.0.0.1:8000")[-1]
        type(summit).objects.filter(pk=summit.pk).update(
            starts_at=summit.starts_at - timedelta(days=40),
            ends_at=summit.ends_at - timedelta(days=40),
        )
        response = client.post(path, {"rating": 4, "most_useful": "=cmd|' /C calc'!A0"})
        assert response.status_code == 200
        assert "Your feedback on Summer summit has been recorded" in response.content.decode()
        again = client.post(path, {"rating": 5})
        assert "already given feedback" in again.content.decode()
        results = client_for(programme_manager).get(
            reverse("events:feedback_results", args=[summit.pk])
        )
        assert "1 response; average usefulness 4.0 out of 5" in results.content.decode()

    def test_feedback_before_the_event_ends_is_refused(self, world, summit):
        delegate = register(summit, world.home_la, 1)
        with pytest.raises(ValidationError, match="opens when the event ends"):
            feedback_services.feedback_submit(actor=SYSTEM, delegate=delegate, rating=5)


class TestDocuments:
    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    def test_organiser_uploads_and_region_downloads(self, world, summit, dcs, client_for):
        document = documents_services.document_add(
            actor=SYSTEM,
            event=summit,
            title="Agenda",
            upload=SimpleUploadedFile("agenda.pdf", b"%PDF-1.7 agenda"),
        )
        response = client_for(dcs).get(reverse("events:document_download", args=[document.pk]))
        assert b"".join(response.streaming_content) == b"%PDF-1.7 agenda"

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("run.exe", b"MZ", "not a file type the portal keeps"),
            ("slides.pdf", b"PK\x03\x04", "not really a .pdf file"),
            ("empty.txt", b"", "is empty"),
            ("data.csv", b"\xff\xfe\x00\x00binary\x00" * 10, "not a text file"),
        ],
    )
    def test_wrong_files_are_refused_naming_the_file(self, world, summit, name, content, message):
        with pytest.raises(ValidationError, match=message):
            documents_services.document_add(
                actor=SYSTEM, event=summit, title="", upload=SimpleUploadedFile(name, content)
            )
        assert not summit.documents.exists()

    def test_huge_file_is_refused_with_its_size(self, world, summit, settings):
        settings.EVENTS_DOCUMENT_MAX_BYTES = 1024
        with pytest.raises(ValidationError, match="the limit is"):
            documents_services.document_add(
                actor=SYSTEM,
                event=summit,
                title="",
                upload=SimpleUploadedFile("big.txt", b"a" * 2048),
            )

    def test_upload_page_answers_400_naming_the_problem(
        self, world, programme_manager, summit, client_for
    ):
        response = client_for(programme_manager).post(
            reverse("events:document_add", args=[summit.pk]),
            {"title": "", "upload": SimpleUploadedFile("virus.exe", b"MZ")},
        )
        assert response.status_code == 400
        assert "“virus.exe” is not a file type the portal keeps" in response.content.decode()
