import itertools
import random

import pytest
from django.db.models import F

from events.models import Allocation, Event
from peer_challenge.models import Cycle, SelfAssessment, TriadMember
from peer_challenge.seed.scale import CYCLES_PER_REGION, seed_peer_challenge
from regions.models import Region
from regions.seed.scale import seed_people
from sli_portal.scale import ScaleContext


@pytest.mark.django_db
def test_scale_seeder_builds_every_region_with_repeat_free_triads_in_london():
    ctx = ScaleContext(factor=1, random=random.Random(2026))
    seed_people(ctx)
    seed_peer_challenge(ctx)
    assert Cycle.objects.count() == 9 * CYCLES_PER_REGION
    assert SelfAssessment.objects.count() == 153 * CYCLES_PER_REGION
    # Each cycle's challenge day is a published challenge_day event of its region, with places
    # for each of the region's LAs, as the events service makes them.
    days = Event.objects.filter(kind="challenge_day", status="published")
    assert days.count() == 9 * CYCLES_PER_REGION
    assert not Cycle.objects.filter(challenge_event__isnull=True).exists()
    assert not Cycle.objects.exclude(challenge_event__region=F("region")).exists()
    assert Allocation.objects.filter(event__in=days).count() == 153 * CYCLES_PER_REGION
    assert Event.history.filter(kind="challenge_day").count() == 9 * CYCLES_PER_REGION
    london = Region.objects.get(code="E12000007")
    met: set[tuple] = set()
    for cycle in Cycle.objects.filter(region=london).order_by("year"):
        groups: dict[int, list[int]] = {}
        for triad_id, la_id in TriadMember.objects.filter(cycle=cycle).values_list(
            "triad_id", "local_authority_id"
        ):
            groups.setdefault(triad_id, []).append(la_id)
        pairs = {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}
        assert not pairs & met, f"London repeats a pairing in {cycle.year}"
        met |= pairs
    latest = Cycle.objects.filter(region=london).order_by("-year").first()
    stages = set(latest.self_assessments.values_list("status", flat=True))
    assert stages == {"draft", "submitted", "moderated", "signed_off"}
