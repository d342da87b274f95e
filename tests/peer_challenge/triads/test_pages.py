"""Triad pages."""

import pytest
from django.urls import reverse

from peer_challenge.services.triads import triads_confirm
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_triad_proposal_page_explains_repeats_and_the_region_sees_triads_only_once_confirmed(
    world, client_for
):
    cycle = f.annual_cycle(world)
    pm = client_for(world.users["programme_manager"])
    pm.post(reverse("peer_challenge:triads_propose", kwargs={"pk": cycle.pk}))
    page = pm.get(reverse("peer_challenge:triads", kwargs={"pk": cycle.pk})).content.decode()
    assert "0 repeated pairings with earlier cycles" in page
    dcs = client_for(world.users["dcs"])
    assert "Triad 1:" not in dcs.get(cycle.get_absolute_url()).content.decode()
    triads_confirm(actor=world.users["programme_manager"], cycle=cycle)
    assert "Triad 1:" in dcs.get(cycle.get_absolute_url()).content.decode()
