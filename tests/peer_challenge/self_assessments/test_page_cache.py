"""The self-assessment page's body is kept in the cache (sli_portal.fragments): a few queries
however many sections, comments and files; a change shows on the next request however it was
made; each viewer sees what they may (the LA's writers, the programme manager, a moderator)."""

import pytest

from peer_challenge.models import ModerationComment, SelfAssessment, SelfAssessmentSection
from peer_challenge.services.moderation import moderation_comment, moderation_release
from tests.fragment_race import write_just_before_the_stamp
from tests.helpers import assert_query_count_flat, count_queries
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def _page(client, sa) -> str:
    response = client.get(sa.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_costs_the_same_few_queries_however_many_comments(world, client_for):
    """Frame, the self-assessment (permission), the stamp: flat as comments are released."""
    sa, _ = f.commented(world, release=False)
    section = sa.sections.first()

    def grow(n):
        while ModerationComment.objects.filter(section__self_assessment=sa).count() < n:
            moderation_comment(
                actor=world.users["peer_dcs"], self_assessment=sa, section=section, body="More"
            )

    for persona in ("dcs", "programme_manager"):
        client = client_for(world.users[persona])
        assert_query_count_flat(client, sa.get_absolute_url(), grow, small=3, large=30, budget=4)


def test_a_saved_section_shows_on_the_next_request(world, client_for):
    cycle = f.annual_cycle(world)
    sa = f.sa_of(cycle, world.home_la)
    client = client_for(world.users["dcs"])
    assert "We know our children." not in _page(client, sa)
    assert "We know our children." not in _page(client, sa)  # from the cache
    f.write(sa, world.users["dcs"], text="We know our children.")
    page = _page(client, sa)
    assert "We know our children. (Leadership)" in page


def test_a_change_made_past_the_services_shows_too(world, client_for):
    sa, _ = f.commented(world)
    client = client_for(world.users["dcs"])
    assert "Say more." in _page(client, sa)
    SelfAssessmentSection.objects.filter(self_assessment=sa).update(strengths="Fixed by hand")
    ModerationComment.objects.filter(section__self_assessment=sa).update(body="Edited by hand")
    page = _page(client, sa)
    assert "Fixed by hand" in page and "Edited by hand" in page and "Say more." not in page
    assert count_queries(client, sa.get_absolute_url()) <= 4  # cached again


def test_a_change_committed_after_the_permission_check_is_not_kept_stale(
    world, client_for, monkeypatch
):
    """The body reads the self-assessment after its stamp, not the copy fetched to check who
    may see it: rendered from older rows it would be kept under the newer stamp."""
    sa = f.submitted(world)
    client = client_for(world.users["dcs"])
    write_just_before_the_stamp(
        monkeypatch, lambda: SelfAssessment.objects.filter(pk=sa.pk).update(status="moderated")
    )
    for _ in range(2):
        page = _page(client, sa)
        assert "Record sign-off" in page and ">Moderated<" in page


def test_each_viewer_sees_their_own_body(world, client_for):
    """The moderator sees their comment before release, the LA does not; the DCS may edit a
    draft, the programme manager assigns moderators: whoever's body was cached first."""
    sa, _ = f.commented(world, release=False)
    expected = {
        "peer_dcs": {"Say more.": True, "Send my comments to": True, "Moderators</a>": False},
        "dcs": {"Say more.": False, "Send my comments to": False, "Moderators</a>": False},
        "programme_manager": {"Say more.": False, "Moderators</a>": True},
    }
    for persona in ["peer_dcs", "dcs", "programme_manager"] * 2:
        page = _page(client_for(world.users[persona]), sa)
        for text, shown in expected[persona].items():
            assert (text in page) is shown, (persona, text)
    moderation_release(actor=world.users["peer_dcs"], self_assessment=sa)
    assert "Say more." in _page(client_for(world.users["dcs"]), sa)
    assert "Send my comments to" not in _page(client_for(world.users["peer_dcs"]), sa)


def test_with_redis_down_the_page_still_answers(world, client):
    """Slower (the body rendered every time), never an error."""
    from django.test import override_settings

    from sli_portal import cache as failsafe_cache
    from tests.sli_portal.test_redis_outage import _caches, _closed_port

    sa, _ = f.commented(world)
    failsafe_cache.reset_outages()
    try:
        with override_settings(
            CACHES=_caches(_closed_port()), SESSION_ENGINE="sli_portal.sessions"
        ):
            client.force_login(world.users["dcs"])
            for _ in range(2):
                assert "Say more." in _page(client, sa)
    finally:
        failsafe_cache.reset_outages()
