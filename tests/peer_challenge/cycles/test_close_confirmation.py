"""Closing a cycle asks first (issue 14): the confirmation page says what happens, going back
changes nothing, and only the confirming POST closes it."""

import pytest
from django.urls import reverse

from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_closing_a_cycle_shows_a_confirmation_and_going_back_changes_nothing(world, client_for):
    cycle = f.annual_cycle(world)
    client = client_for(world.users["programme_manager"])
    url = reverse("peer_challenge:cycle_close", kwargs={"pk": cycle.pk})

    page = client.get(url).content.decode()
    assert f"Close {cycle.title}?" in page
    assert "stops showing on everyone&#x27;s dashboard" in page
    assert "A closed cycle cannot be opened again." in page
    assert "Yes, close the cycle" in page
    assert f'href="{cycle.get_absolute_url()}">No, go back</a>' in page
    cycle.refresh_from_db()
    assert cycle.status == "open", "looking at the question closes nothing"

    response = client.post(url)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == "closed"
