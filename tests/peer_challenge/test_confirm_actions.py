"""Confirming triads, submitting a self-assessment and sending moderation comments ask first
(issue 14): the GET says what will happen and who is told and changes nothing; the POST acts."""

import pytest
from django.urls import reverse

from peer_challenge.models import Notice, NoticeOccasion, SelfAssessmentStatus
from peer_challenge.services.triads import triads_propose
from tests.confirming import assert_confirmation_changes_nothing
from tests.peer_challenge import factories as f

pytestmark = pytest.mark.django_db


def test_confirming_triads_asks_first(world, programme_manager, client_for):
    cycle = f.annual_cycle(world)
    triads_propose(actor=programme_manager, cycle=cycle, seed=1)
    client = client_for(programme_manager)
    triads_page = reverse("peer_challenge:triads", args=[cycle.pk])
    url = reverse("peer_challenge:triads_confirm", args=[cycle.pk])
    assert f'href="{url}">Confirm triads' in client.get(triads_page).content.decode()
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            f"Are you sure you want to confirm the triads for {cycle.title}?",
            "The 1 triad of 2 local authorities becomes final",
            "Nobody can edit or generate the triads again",
            "Nobody is sent an email or notification.",
            "You cannot undo this",
        ],
        cancel_url=triads_page,
    )
    cycle.refresh_from_db()
    assert cycle.triads_confirmed_at is None
    assert client.post(url).status_code == 302
    cycle.refresh_from_db()
    assert cycle.triads_confirmed_at is not None


def test_generating_triads_again_asks_first_the_first_time_does_not(
    world, programme_manager, client_for
):
    cycle = f.annual_cycle(world)
    client = client_for(programme_manager)
    triads_page = reverse("peer_challenge:triads", args=[cycle.pk])
    url = reverse("peer_challenge:triads_propose", args=[cycle.pk])
    assert f'<form method="post" action="{url}">' in client.get(triads_page).content.decode()
    assert client.post(url).status_code == 302
    assert cycle.triads.count() == 1
    assert f'href="{url}">Generate the triads again' in client.get(triads_page).content.decode()
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            f"Are you sure you want to generate the triads for {cycle.title} again?",
            "The proposed 1 triad of 2 local authorities is replaced",
            "Any changes you made to them by hand are lost.",
        ],
        cancel_url=triads_page,
    )


def test_submitting_a_self_assessment_asks_first(world, dcs, client_for):
    sa = f.sa_of(f.annual_cycle(world), world.home_la)
    f.write(sa, dcs)
    client = client_for(dcs)
    url = reverse("peer_challenge:self_assessment_submit", args=[sa.pk])
    assert (
        f'href="{url}">Submit for moderation' in client.get(sa.get_absolute_url()).content.decode()
    )
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to submit Somerset's self-assessment for moderation?",
            "Nobody in your local authority can edit it any more",
            "0 moderators are assigned to it so far.",
            "No, keep it as a draft",
        ],
        cancel_url=sa.get_absolute_url(),
    )
    sa.refresh_from_db()
    assert sa.status == SelfAssessmentStatus.DRAFT
    assert client.post(url).status_code == 302
    sa.refresh_from_db()
    assert sa.status == SelfAssessmentStatus.SUBMITTED


def test_sending_moderation_comments_asks_first_with_who_is_emailed(world, peer_dcs, client_for):
    sa, _ = f.commented(world, release=False)
    client = client_for(peer_dcs)
    url = reverse("peer_challenge:moderation_release", args=[sa.pk])
    assert f'href="{url}">Send my comments to Somerset' in (
        client.get(sa.get_absolute_url()).content.decode()
    )
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to send your comments to Somerset?",
            "Somerset can read your 1 comment and respond to each.",
            "Somerset's DCS and performance leads (2 people), by email",
            "You cannot take the comments back once they are sent.",
        ],
        cancel_url=sa.get_absolute_url(),
    )
    ready = Notice.objects.filter(occasion=NoticeOccasion.COMMENTS_READY)
    assert not ready.exists()
    assert client.post(url).status_code == 302
    sa.refresh_from_db()
    assert sa.status == SelfAssessmentStatus.MODERATED
    assert sorted(n.recipient.email for n in ready) == ["dcs@example.org", "lead@example.org"]


def test_someone_else_gets_the_same_refusal_on_the_confirmation_as_on_the_post(world, client_for):
    sa, _ = f.commented(world, release=False)
    url = reverse("peer_challenge:moderation_release", args=[sa.pk])
    for persona, status in (("dcs", 403), ("outsider", 404)):
        client = client_for(world.users[persona])
        assert client.get(url).status_code == status
        assert client.post(url).status_code == status
    assert not Notice.objects.filter(occasion=NoticeOccasion.COMMENTS_READY).exists()
