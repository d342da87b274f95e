"""Peer challenge on the dashboard."""

import pytest

from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_dashboard_shows_next_step_for_la_and_progress_for_manager(world, client_for):
    sa = f.submitted(world)
    dcs_page = client_for(world.users["dcs"]).get("/").content.decode()
    assert "Somerset: Submitted: waiting for moderators" in dcs_page
    assert "Devon" not in dcs_page.split("Peer challenge")[1].split("</section>")[0]
    pm_page = client_for(world.users["programme_manager"]).get("/").content.decode()
    assert "0 of 2 signed off; 0 moderated, 1 submitted, 1 in draft" in pm_page
    f.with_moderator(world, sa)
    peer_page = client_for(world.users["peer_dcs"]).get("/").content.decode()
    assert "Moderate Somerset&#x27;s self-assessment" in peer_page


def test_only_the_dcs_gets_the_sign_off_to_do_the_others_see_who_it_waits_for(world, client_for):
    sa, _ = f.commented(world)
    assert sa.status == "moderated"
    dcs_page = client_for(world.users["dcs"]).get("/").content.decode()
    assert "Somerset: Read the moderators&#x27; comments and sign off" in dcs_page
    for persona in ("performance_lead", "member"):
        page = client_for(world.users[persona]).get("/").content.decode()
        assert "sign off with the chief executive" in page, persona
        assert "Read the moderators&#x27; comments and sign off" not in page, persona
        assert "Somerset: Moderated: waiting for the DCS to sign off" in page, persona
