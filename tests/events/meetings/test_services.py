"""Meetings: invitations, replies with deputies, quorum warnings."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from events.models import EventKind, EventStatus, Response
from events.selectors.meetings import meeting_expected_count
from events.services import events as events_services
from events.services import meetings as meetings_services
from events.services import sweep as sweep_services
from sli_portal.access import SYSTEM

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
        assert "Steering group: 1 of 2 invited people expected; quorum 2" in page

    def test_enough_expected_means_no_warning(self, world, dcs, peer_dcs, meeting):
        meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs")
        meetings_services.invitee_respond(actor=dcs, event=meeting, attending=True)
        meetings_services.invitee_respond(actor=peer_dcs, event=meeting, attending=True)
        assert (
            meetings_services.quorum_check(actor=SYSTEM, now=meeting.starts_at - timedelta(days=3))
            == 0
        )
        assert meeting.invitees.filter(response=Response.ATTENDING).count() == 2


def test_partners_of_the_region_are_invited_and_reply(world, meeting):
    assert meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="partner") == 1
    invitee = meeting.invitees.get()
    assert (invitee.user, invitee.local_authority) == (world.users["partner"], None)
    meetings_services.invitee_respond(actor=world.users["partner"], event=meeting, attending=True)
    assert meeting_expected_count(meeting) == 1
