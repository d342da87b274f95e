import pytest

from peer_challenge.models import Cycle, SelfAssessment
from peer_challenge.seed.demo import build_demo
from peer_challenge.selectors.challenges import take_up
from regions.seed.demo import build_people


@pytest.mark.django_db
def test_demo_has_seed_take_up_and_a_cycle_at_every_stage_and_is_idempotent():
    demo = build_people()
    build_demo(demo)
    build_demo(demo)  # seed_demo may run twice
    years = {y.year: y for y in take_up(demo.region)}
    assert years[2014].count == 6
    assert years[2015].count == 12
    # the South West had 16 LAs in 2015 (Bournemouth, Poole and the old Dorset until April 2019)
    assert years[2015].total == 16
    assert years[max(years)].total == 15  # today
    annual = Cycle.objects.get(region=demo.region, kind="annual_triad")
    assert annual.triads_confirmed
    stages = set(SelfAssessment.objects.filter(cycle=annual).values_list("status", flat=True))
    assert stages == {"draft", "submitted", "moderated", "signed_off"}
    home = SelfAssessment.objects.get(cycle=annual, local_authority=demo.home_la)
    assert home.status == "moderated"
    assert Cycle.objects.filter(region=demo.region).count() == 4
    # On its own the peer-challenge demo makes its challenge day an event of the region.
    assert annual.challenge_event.kind == "challenge_day"
    assert annual.challenge_event.region == demo.region
    assert annual.challenge_venue == "Taunton"
    # The plans page shows the day's regional theme as a candidate for the next plan, once.
    from regions.models import CandidatePriority

    candidate = CandidatePriority.objects.get(region=demo.region)
    assert candidate.source_label == f"Regional theme from {annual.title}"
    assert annual.findings.get(candidate_priority=candidate).status == "proposed"


@pytest.mark.django_db
def test_demo_cycle_adopts_the_events_demos_challenge_day():
    from events.models import Event
    from events.seed import demo as events_demo

    demo = build_people()
    events_demo.build(demo)
    build_demo(demo)
    build_demo(demo)
    annual = Cycle.objects.get(region=demo.region, kind="annual_triad")
    days = Event.objects.filter(region=demo.region, kind="challenge_day")
    assert list(days) == [annual.challenge_event]
    assert annual.findings_due > annual.challenge_day > annual.moderation_due
