"""Cycle pages."""

import pytest
from django.urls import reverse

from events.services import delegates as event_services
from peer_challenge.models import (
    Cycle,
    SelfAssessment,
)
from peer_challenge.services.findings import finding_create, finding_promote
from peer_challenge.services.triads import triads_propose
from regions.models import LocalAuthority
from sli_portal.access import SYSTEM
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_programme_manager_creates_cycle_and_bad_dates_get_a_clear_400(world, client_for):
    client = client_for(world.users["programme_manager"])
    url = reverse("peer_challenge:cycle_create", kwargs={"slug": world.region.slug})
    data = {
        "kind": "annual_triad",
        "year": 2026,
        "title": "SA 2026",
        "remainder": "larger",
        "self_assessment_due": "2026-05-01",
        "moderation_due": "2026-04-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Moderation cannot be due before the self-assessments" in response.content.decode()
    assert not Cycle.objects.exists()
    data["moderation_due"] = "2026-06-01"
    response = client.post(url, data)
    cycle = Cycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == cycle.get_absolute_url()
    assert SelfAssessment.objects.filter(cycle=cycle).count() == 2


def test_cycle_page_query_count_is_flat(world, client_for):
    from tests.helpers import count_queries

    pm = world.users["programme_manager"]
    client = client_for(pm)
    counts = []
    for year, size in ((2026, 6), (2027, 18)):
        current = (
            SelfAssessment._meta.get_field("local_authority")
            .related_model.objects.filter(region=world.region)
            .count()
        )
        f.add_las(world, size - current)
        cycle = f.annual_cycle(world, year=year)
        triads_propose(actor=pm, cycle=cycle, seed=1)
        sa = f.submitted(world, cycle=cycle)
        f.commented(world, sa=sa)
        for n in range(size // 6):  # 1, then 3, themes proposed for the next plan
            theme = finding_create(actor=pm, cycle=cycle, kind="theme", text=f"t{n}")
            finding_promote(actor=pm, finding=theme)
        for la in LocalAuthority.objects.filter(region=world.region):
            event_services.delegate_register(
                actor=SYSTEM,
                event=cycle.challenge_event,
                local_authority=la,
                full_name=f"Delegate of {la.name}",
                email=f"delegate-{la.pk}@example.org",
            )
        counts.append(count_queries(client, cycle.get_absolute_url()))
    assert counts[0] == counts[1], f"{counts[0]} queries with 6 LAs, {counts[1]} with 18"
    assert counts[1] <= 20
