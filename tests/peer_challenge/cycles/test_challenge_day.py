"""The cycle's challenge day is the region's `challenge_day` event, made and changed through the
events services: created with the cycle, moved with it, cancelled when the cycle closes first."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventKind, EventStatus, Notice, NoticeKind
from events.selectors import events as event_selectors
from events.services import delegates as event_services
from events.services.events import event_create, event_update
from peer_challenge.models import Cycle
from peer_challenge.services.cycles import cycle_close, cycle_create, cycle_update
from sli_portal.access import SYSTEM
from tests.peer_challenge import factories as f
from tests.regions.factories import ProgrammeManagerFactory

pytestmark = pytest.mark.django_db


def _delegate(world, event, la=None, name="Ada Delegate"):
    return event_services.delegate_register(
        actor=SYSTEM,
        event=event,
        local_authority=la or world.home_la,
        full_name=name,
        email=f"{name.split()[0].lower()}@example.org",
    )


def _local(moment):
    return timezone.localtime(moment)


def _reload(cycle):
    return Cycle.objects.select_related("challenge_event").get(pk=cycle.pk)


def test_cycle_with_a_challenge_day_creates_the_regions_published_challenge_day_event(world):
    day = timezone.localdate() + datetime.timedelta(days=40)
    cycle = f.annual_cycle(world)
    event = cycle.challenge_event
    assert event.kind == EventKind.CHALLENGE_DAY
    assert event.region == world.region
    assert event.status == EventStatus.PUBLISHED
    assert event.title == "Self-assessment 2026: challenge day"
    assert event.venue == "Taunton"
    assert (_local(event.starts_at).date(), _local(event.starts_at).time()) == (
        day,
        datetime.time(9, 30),
    )
    assert _local(event.ends_at).time() == datetime.time(16, 30)
    # Every LA of the region has places, so its DCS can register delegates.
    assert set(event.allocations.values_list("local_authority", flat=True)) == {
        world.home_la.pk,
        world.peer_la.pk,
    }
    assert _reload(cycle).challenge_day == day
    assert _reload(cycle).challenge_venue == "Taunton"
    # It is in the region's events list and calendar for the LAs.
    assert event in event_selectors.event_list(world.users["dcs"])
    assert event not in event_selectors.event_list(world.users["outsider"])


def test_another_event_on_the_challenge_day_is_flagged_as_a_clash(world):
    cycle = f.annual_cycle(world)
    day = cycle.challenge_event.starts_at
    summit = event_create(
        actor=world.users["programme_manager"],
        region=world.region,
        kind=EventKind.SUMMIT,
        title="Summit",
        starts_at=day,
        ends_at=day + datetime.timedelta(hours=2),
    )
    assert any(
        "Self-assessment 2026: challenge day" in c for c in event_selectors.event_clashes(summit)
    )


def test_cycle_without_a_challenge_day_has_no_event(world):
    cycle = f.thematic_cycle(world)
    assert cycle.challenge_event is None
    assert cycle.challenge_day is None
    assert not Event.objects.filter(kind=EventKind.CHALLENGE_DAY).exists()


def test_moving_the_challenge_day_moves_the_event_and_tells_its_delegates(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    event = cycle.challenge_event
    delegate = _delegate(world, event)
    new_day = cycle.challenge_day + datetime.timedelta(days=150)  # across a clock change
    cycle_update(
        actor=pm,
        cycle=cycle,
        title=cycle.title,
        self_assessment_due=cycle.self_assessment_due,
        moderation_due=cycle.moderation_due,
        challenge_day=new_day,
        challenge_venue="Taunton",
    )
    event.refresh_from_db()
    assert _local(event.starts_at).date() == new_day
    assert _local(event.starts_at).time() == datetime.time(9, 30)
    assert _local(event.ends_at).time() == datetime.time(16, 30)
    assert event.sequence == 1  # calendar feeds see the change
    assert Notice.objects.filter(
        event=event, delegate=delegate, kind=NoticeKind.EVENT_MOVED
    ).exists()
    assert _reload(cycle).challenge_day == new_day
    assert Event.objects.filter(kind=EventKind.CHALLENGE_DAY).count() == 1


def test_changing_only_the_venue_tells_no_one_of_a_move(world):
    cycle = f.annual_cycle(world)
    _delegate(world, cycle.challenge_event)
    cycle_update(
        actor=world.users["programme_manager"],
        cycle=cycle,
        title="Renamed cycle",
        challenge_day=cycle.challenge_day,
        challenge_venue="Exeter",
    )
    cycle = _reload(cycle)
    assert cycle.title == "Renamed cycle"
    assert cycle.challenge_event.venue == "Exeter"
    assert not Notice.objects.filter(kind=NoticeKind.EVENT_MOVED).exists()


def test_a_first_challenge_day_on_edit_creates_the_event_and_clearing_it_cancels_it(world):
    pm = world.users["programme_manager"]
    cycle = f.thematic_cycle(world)
    day = timezone.localdate() + datetime.timedelta(days=60)
    cycle_update(actor=pm, cycle=cycle, title=cycle.title, challenge_day=day)
    event = _reload(cycle).challenge_event
    assert event.status == EventStatus.PUBLISHED
    delegate = _delegate(world, event)
    cycle_update(actor=pm, cycle=cycle, title=cycle.title, challenge_day=None)
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert Notice.objects.filter(delegate=delegate, kind=NoticeKind.EVENT_CANCELLED).exists()
    assert _reload(cycle).challenge_event is None


def test_closing_a_cycle_before_its_day_cancels_the_event(world):
    cycle = f.annual_cycle(world)
    delegate = _delegate(world, cycle.challenge_event)
    cycle_close(actor=world.users["programme_manager"], cycle=cycle)
    cycle = _reload(cycle)
    assert cycle.challenge_event.status == EventStatus.CANCELLED
    assert Notice.objects.filter(delegate=delegate, kind=NoticeKind.EVENT_CANCELLED).count() == 1
    # A closed cycle's timetable stays as it is.
    with pytest.raises(ValidationError):
        cycle_update(
            actor=world.users["programme_manager"],
            cycle=cycle,
            title=cycle.title,
            challenge_day=timezone.localdate() + datetime.timedelta(days=90),
        )


def test_closing_a_cycle_after_its_day_leaves_the_event_as_it_happened(world):
    pm = world.users["programme_manager"]
    cycle = f.annual_cycle(world)
    event = cycle.challenge_event
    event_update(
        actor=pm,
        event=event,
        starts_at=timezone.now() - datetime.timedelta(days=3, hours=6),
        ends_at=timezone.now() - datetime.timedelta(days=3),
    )
    cycle_close(actor=pm, cycle=cycle)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_a_programme_manager_of_another_region_cannot_move_or_cancel_the_challenge_day(world):
    other_pm = ProgrammeManagerFactory(region=world.other_region).user
    cycle = f.annual_cycle(world)
    before = cycle.challenge_event.starts_at
    for attempt in (
        lambda: cycle_update(
            actor=other_pm, cycle=cycle, title="Mine", challenge_day=datetime.date(2030, 1, 4)
        ),
        lambda: cycle_close(actor=other_pm, cycle=cycle),
        lambda: cycle_update(
            actor=world.users["dcs"], cycle=cycle, title="Mine", challenge_day=None
        ),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    cycle = _reload(cycle)
    assert cycle.title == "Self-assessment 2026"
    assert cycle.challenge_event.starts_at == before
    assert cycle.challenge_event.status == EventStatus.PUBLISHED


def test_moving_the_event_in_the_events_app_moves_the_cycles_challenge_day(world):
    cycle = f.annual_cycle(world)
    event = cycle.challenge_event
    event_update(
        actor=world.users["programme_manager"],
        event=event,
        starts_at=event.starts_at + datetime.timedelta(days=7),
        ends_at=event.ends_at + datetime.timedelta(days=7),
    )
    assert _reload(cycle).challenge_day == cycle.challenge_day + datetime.timedelta(days=7)


def test_a_cycle_adopts_an_existing_challenge_day_of_its_region_once(world):
    pm = world.users["programme_manager"]
    start = timezone.now() + datetime.timedelta(days=30)
    existing = event_create(
        actor=pm,
        region=world.region,
        kind=EventKind.CHALLENGE_DAY,
        title="Challenge day",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        status=EventStatus.PUBLISHED,
    )
    cycle = f.annual_cycle(world, challenge_day=None, challenge_event=existing)
    assert _reload(cycle).challenge_event == existing
    assert Event.objects.filter(kind=EventKind.CHALLENGE_DAY).count() == 1
    with pytest.raises(ValidationError, match="already the challenge day"):
        cycle_create(
            actor=pm,
            region=world.region,
            kind="bilateral",
            year=2026,
            title="Another",
            questions=[],
            challenge_event=existing,
        )
    elsewhere = event_create(
        actor=SYSTEM,
        region=world.other_region,
        kind=EventKind.CHALLENGE_DAY,
        title="Their day",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )
    with pytest.raises(ValidationError, match="of this region"):
        f.annual_cycle(world, year=2027, challenge_day=None, challenge_event=elsewhere)
    with pytest.raises(ValidationError, match="not both"):
        f.annual_cycle(world, year=2028, challenge_event=elsewhere)


# --- pages ------------------------------------------------------------------------------------


def test_cycle_page_links_to_the_challenge_day_and_shows_the_manager_places_taken(
    world, client_for
):
    cycle = f.annual_cycle(world)
    event = cycle.challenge_event
    _delegate(world, event)
    url = cycle.get_absolute_url()
    page = client_for(world.users["programme_manager"]).get(url).content.decode()
    assert f'href="{event.get_absolute_url()}"' in page
    assert "Challenge-day registrations" in page
    assert "1 of 8 places taken" in page
    dcs_page = client_for(world.users["dcs"]).get(url).content.decode()
    assert f'href="{event.get_absolute_url()}"' in dcs_page
    assert "Challenge-day registrations" not in dcs_page


def test_cycle_page_says_when_the_challenge_day_is_cancelled(world, client_for):
    cycle = f.annual_cycle(world)
    cycle_close(actor=world.users["programme_manager"], cycle=cycle)
    page = client_for(world.users["dcs"]).get(cycle.get_absolute_url()).content.decode()
    assert "Cancelled" in page
    assert "Challenge-day registrations" not in page


def test_timetable_form_moves_the_challenge_day_and_bad_dates_change_nothing(world, client_for):
    cycle = f.annual_cycle(world)
    client = client_for(world.users["programme_manager"])
    url = reverse("peer_challenge:cycle_edit", kwargs={"pk": cycle.pk})
    assert client.get(url).context["form"].initial["challenge_day"] == cycle.challenge_day
    bad = client.post(
        url,
        {
            "title": "Renamed",
            "self_assessment_due": "2030-05-01",
            "moderation_due": "2030-04-01",
            "challenge_day": "2030-06-07",
        },
    )
    assert bad.status_code == 400
    assert "Moderation cannot be due before the self-assessments." in bad.content.decode()
    assert _reload(cycle).challenge_day == cycle.challenge_day
    response = client.post(
        url, {"title": "Renamed", "challenge_day": "2030-06-07", "challenge_venue": "Exeter"}
    )
    assert response.status_code == 302
    cycle = _reload(cycle)
    assert cycle.challenge_day == datetime.date(2030, 6, 7)
    assert cycle.challenge_venue == "Exeter"


def test_new_cycle_form_offers_the_regions_unlinked_challenge_days(world, client_for):
    pm = world.users["programme_manager"]
    start = timezone.now() + datetime.timedelta(days=30)
    existing = event_create(
        actor=pm,
        region=world.region,
        kind=EventKind.CHALLENGE_DAY,
        title="Spring challenge day",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        status=EventStatus.PUBLISHED,
    )
    client = client_for(pm)
    url = reverse("peer_challenge:cycle_create", kwargs={"slug": world.region.slug})
    assert "Spring challenge day" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "annual_triad",
            "year": 2026,
            "title": "Self-assessment 2026",
            "remainder": "larger",
            "challenge_event": existing.pk,
        },
    )
    assert response.status_code == 302
    assert Cycle.objects.get(title="Self-assessment 2026").challenge_event == existing
    assert "Spring challenge day" not in client.get(url).content.decode()
