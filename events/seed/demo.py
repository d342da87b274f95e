"""Demo events for the South West: a summer summit in Taunton like the one of 14 June 2018
(four delegate places per LA, named speakers, good-practice workshops), a steering-group meeting
and the self-assessment peer-challenge day, all dated ahead of today. Idempotent."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sli_portal.access import SYSTEM
from sli_portal.demo import DemoContext

from ..models import Event, EventKind, EventStatus
from ..services.delegates import delegate_register
from ..services.events import event_create, session_create
from ..services.meetings import invitee_respond, meeting_invite

SUMMIT_TITLE = "South West summer summit"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def summer_summit_day(today: date) -> date:
    """The summer summit: the first Thursday of July, this year's if it is at least eight weeks
    away, else next year's, so the demo's summit is ahead of today and in summer."""
    for year in (today.year, today.year + 1):
        day = _next_weekday(date(year, 7, 1), 3)
        if day >= today + timedelta(days=56):
            return day
    raise AssertionError("unreachable")  # next year's July is always far enough ahead


def build(demo: DemoContext) -> None:
    region = demo.region
    today = timezone.localdate()
    if Event.objects.filter(region=region, title=SUMMIT_TITLE).exists():
        demo.log.append("Events: demo events already present.")
        return
    summit_day = summer_summit_day(today)
    summit = _summit(demo, summit_day)
    _programme(demo, summit, summit_day)
    _delegates(demo, summit)
    _meeting(demo, _next_weekday(today + timedelta(days=6), 1))  # a Tuesday, within a week
    challenge_day = _next_weekday(today + timedelta(days=112), 4)  # a Friday, 16 weeks ahead
    _challenge_day(demo, challenge_day)
    demo.log.append(
        f"Events: {SUMMIT_TITLE} ({summit_day:%d %B %Y}, Taunton), a steering-group meeting and "
        "a peer-challenge day."
    )


def _summit(demo: DemoContext, summit_day: date) -> Event:
    return event_create(
        actor=SYSTEM,
        region=demo.region,
        kind=EventKind.SUMMIT,
        title=SUMMIT_TITLE,
        focus="Improving outcomes for children in need of help and protection",
        description="The region's summer summit: national and regional speakers in the morning, "
        "good-practice workshops from inside and outside the region in the afternoon.",
        venue="Somerset County Cricket Ground",
        address="The Cooper Associates County Ground, Priory Avenue, Taunton TA1 1JT",
        starts_at=_at(summit_day, 9, 30),
        ends_at=_at(summit_day, 16, 0),
        status=EventStatus.PUBLISHED,
        registration_closes_at=_at(summit_day - timedelta(days=7), 17, 0),
        pool_release_at=_at(summit_day - timedelta(days=21), 9, 0),
        places_per_la=4,
        capacity=80,
        is_public=True,
        audience="Directors, assistant directors and principal social workers of the region's "
        "LAs, and partners",
        how_to_book="Each LA has four delegate places: ask your director of children's services.",
    )


def _plenaries(demo: DemoContext) -> list[tuple]:
    """(title, start hour, minute, end hour, minute, speakers) of the summit's morning."""
    return [
        (
            "Welcome and the regional improvement plan",
            9,
            30,
            9,
            50,
            [
                (
                    demo.users["programme_manager"].full_name,
                    "SLI programme manager",
                    "South West ADCS",
                ),
            ],
        ),
        (
            "Help and protection: learning from Essex",
            9,
            50,
            10,
            30,
            [
                ("Helen Lincoln", "Director of children's services", "Essex County Council"),
            ],
        ),
        (
            "The national picture",
            10,
            45,
            11,
            15,
            [
                (
                    "A DfE representative",
                    "Children's social care policy",
                    "Department for Education",
                ),
            ],
        ),
        (
            "Reducing parental conflict",
            11,
            15,
            12,
            0,
            [
                (
                    "Sue Chapman",
                    "Reducing parental conflict programme",
                    "Department for Work and Pensions",
                ),
            ],
        ),
    ]


def _programme(demo: DemoContext, summit: Event, summit_day: date) -> None:
    for title, h1, m1, h2, m2, speakers in _plenaries(demo):
        session_create(
            actor=SYSTEM,
            event=summit,
            title=title,
            starts_at=_at(summit_day, h1, m1),
            ends_at=_at(summit_day, h2, m2),
            location="Main hall",
            speakers=speakers,
        )
    for title, room in (
        ("Neglect: the regional practice guide in use", "Room 1"),
        ("Early help front doors that work", "Room 2"),
        ("Working with the DWP on parental conflict", "Room 3"),
    ):
        session_create(
            actor=SYSTEM,
            event=summit,
            title=title,
            starts_at=_at(summit_day, 13, 0),
            ends_at=_at(summit_day, 14, 15),
            location=room,
            is_workshop=True,
            capacity=25,
        )


def _delegates(demo: DemoContext, summit: Event) -> None:
    workshops = list(summit.sessions.filter(is_workshop=True).order_by("pk"))
    home = demo.home_la
    for n, (name, job) in enumerate(
        (
            (demo.users["dcs"].full_name, "Director of children's services"),
            (demo.users["member"].full_name, "Assistant director"),
        )
    ):
        person = demo.users["dcs"] if n == 0 else demo.users["member"]
        delegate_register(
            actor=SYSTEM,
            event=summit,
            local_authority=home,
            full_name=name,
            email=person.email,
            job_title=job,
            workshops=[workshops[n].pk],
            user=person,
        )


def _meeting(demo: DemoContext, meeting_day: date) -> None:
    home = demo.home_la
    meeting = event_create(
        actor=SYSTEM,
        region=demo.region,
        kind=EventKind.STEERING_GROUP,
        title="SLI steering group",
        focus="Terms of reference; the benchmarking report; summit planning",
        venue="Online",
        online_url="https://meet.example.org/sli-steering-group",
        starts_at=_at(meeting_day, 10, 0),
        ends_at=_at(meeting_day, 12, 0),
        status=EventStatus.PUBLISHED,
        places_per_la=1,
        quorum=6,
        quorum_warning_days=14,
    )
    # Every DCS is invited; two have replied, one sending a deputy: below quorum, so the
    # programme manager's dashboard warns (as the 2016 meetings cancelled for low attendance).
    meeting_invite(actor=SYSTEM, event=meeting, role="dcs")
    invitee_respond(actor=demo.users["dcs"], event=meeting, attending=True)
    others = [users["dcs"] for la_id, users in demo.la_users.items() if la_id != home.pk]
    if others:
        invitee_respond(
            actor=others[0], event=meeting, attending=False, deputy_name="Deputy director"
        )


def _challenge_day(demo: DemoContext, challenge_day: date) -> None:
    event_create(
        actor=SYSTEM,
        region=demo.region,
        kind=EventKind.CHALLENGE_DAY,
        title="Self-assessment peer challenge day",
        focus="LAs work in triads on their self-assessments; the day identifies next year's "
        "regional priorities",
        venue="Exeter Racecourse conference centre",
        address="Kennford, Exeter EX6 7XS",
        starts_at=_at(challenge_day, 9, 30),
        ends_at=_at(challenge_day, 16, 30),
        status=EventStatus.PUBLISHED,
        places_per_la=3,
    )
