import pytest

from events.models import Event, EventKind
from events.seed import demo as events_demo
from regions.seed import demo as regions_demo


@pytest.mark.django_db
def test_demo_has_a_future_summit_a_meeting_below_quorum_and_a_challenge_day_and_reruns(
    django_capture_on_commit_callbacks,
):
    from django.utils import timezone

    context = regions_demo.build_people()
    events_demo.build(context)
    events_demo.build(context)  # seed_demo may run twice
    events = {event.kind: event for event in Event.objects.filter(region=context.region)}
    assert set(events) == {EventKind.SUMMIT, EventKind.STEERING_GROUP, EventKind.CHALLENGE_DAY}
    summit = events[EventKind.SUMMIT]
    assert summit.starts_at > timezone.now()
    assert "Taunton" in summit.address
    assert (
        summit.allocations.filter(places=4).count()
        == context.region.local_authorities.filter(is_active=True).count()
    )
    assert summit.sessions.filter(is_workshop=True).count() == 3
    assert summit.sessions.filter(speakers__name="Helen Lincoln").exists()
    assert summit.delegates.count() == 2
    meeting = events[EventKind.STEERING_GROUP]
    assert (
        meeting.invitees.count() == context.region.local_authorities.filter(is_active=True).count()
    )
    from events.selectors.meetings import below_quorum

    assert below_quorum({context.region.pk}, timezone.now()) == [meeting]


@pytest.mark.parametrize("today", ["2026-12-01", "2027-05-20", "2027-03-31", "2027-07-15"])
def test_demo_dates_follow_today(today):
    """Seeded on any day, the demo has a current plan and a summer summit ahead."""
    from datetime import date, timedelta

    from events.seed.demo import summer_summit_day
    from regions.seed.demo import plan_title, plan_years

    day = date.fromisoformat(today)
    start, end = plan_years(day)
    financial_year = day.year if day.month >= 4 else day.year - 1
    assert start <= financial_year <= end  # the plan is current
    assert plan_title(day).endswith(f"{start}-{end + 1}")
    summit = summer_summit_day(day)
    assert summit >= day + timedelta(days=56)
    assert summit.month == 7 and summit.weekday() == 3  # a Thursday in July
