"""Closing a vote, withdrawing an invitation and the email edition of an update ask first
(issue 14): the GET says what will happen and who is told and changes nothing; the POST acts."""

import pytest
from django.urls import reverse

from regions.models import Invitation, UpdateEmail, UpdateStatus, Vote
from tests.confirming import assert_confirmation_changes_nothing
from tests.regions.factories import VoteFactory
from tests.regions.updates.url_cases import _update
from tests.regions.url_cases import _invitation

pytestmark = pytest.mark.django_db


def test_closing_a_vote_asks_first_with_who_has_not_voted(world, programme_manager, client_for):
    vote = VoteFactory(region=world.region, title="Summit vote")
    client = client_for(programme_manager)
    url = reverse("regions:vote_close", args=[vote.pk])
    assert (
        f'href="{url}">Close the vote now' in client.get(vote.get_absolute_url()).content.decode()
    )
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to close the vote “Summit vote” now?",
            "0 of 2 local authorities have voted.",
            "The 2 local authorities that have not voted can no longer vote.",
            "a closed vote cannot be opened again",
        ],
        cancel_url=vote.get_absolute_url(),
    )
    assert Vote.objects.get(pk=vote.pk).closed_at is None
    assert client.post(url).status_code == 302
    assert Vote.objects.get(pk=vote.pk).closed_at is not None


def test_withdrawing_an_invitation_asks_first(world, programme_manager, client_for):
    invitation = _invitation(world)
    client = client_for(programme_manager)
    url = reverse("regions:invitation_revoke", args=[invitation.pk])
    page = client.get(world.region.get_absolute_url()).content.decode()
    assert f'href="{url}">Withdraw' in page
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            "Are you sure you want to withdraw the invitation for New Person?",
            "The link emailed to new.person@example.org stops working",
            "Nobody is sent an email or notification.",
        ],
        cancel_url=world.region.get_absolute_url(),
    )
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    assert client.post(url).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def test_sending_the_email_edition_asks_first_with_how_many_are_emailed(
    world, programme_manager, client_for
):
    update = _update(world)
    client = client_for(programme_manager)
    url = reverse("regions:update_send", args=[update.pk])
    assert f'href="{url}">Send the email edition' in (
        client.get(update.get_absolute_url()).content.decode()
    )
    # Members of the region: the programme manager and the people of Somerset and Devon.
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            f"Are you sure you want to send “{update.title}” by email?",
            "6 members of South West, by email",
            "You cannot take the emails back once they are sent.",
        ],
        cancel_url=update.get_absolute_url(),
    )
    assert client.post(url).status_code == 302
    assert UpdateEmail.objects.filter(update=update).count() == 6
    # Sent to everyone already: the page says nobody new is emailed.
    assert_confirmation_changes_nothing(
        client, url, says=["nobody new is emailed", "Nobody is sent an email or notification."]
    )


def test_publish_and_send_asks_first_publish_alone_does_not_email(
    world, programme_manager, client_for
):
    update = _update(world, published=False)
    client = client_for(programme_manager)
    url = reverse("regions:update_publish", args=[update.pk])
    text = assert_confirmation_changes_nothing(
        client,
        url,
        data={"send": "1"},
        says=[
            f"Are you sure you want to publish “{update.title}” and send it by email?",
            "6 members of South West, by email",
        ],
    )
    assert '<input type="hidden" name="send" value="1">' in text
    assert client.post(url, {"send": "1"}).status_code == 302
    update.refresh_from_db()
    assert update.status == UpdateStatus.PUBLISHED
    assert UpdateEmail.objects.filter(update=update).count() == 6


def test_taking_an_update_back_to_draft_asks_first(world, programme_manager, client_for):
    update = _update(world)
    client = client_for(programme_manager)
    url = reverse("regions:update_unpublish", args=[update.pk])
    assert_confirmation_changes_nothing(
        client,
        url,
        says=[
            f"Are you sure you want to take “{update.title}” back to draft?",
            "It disappears from the region's public pages",
        ],
        cancel_url=update.get_absolute_url(),
    )
    assert client.post(url).status_code == 302
    update.refresh_from_db()
    assert update.status == UpdateStatus.DRAFT
