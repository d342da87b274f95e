import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from regions.models import Invitation, Membership, Role, invitation_token
from regions.services import people as people_services
from sli_portal import outbox
from sli_portal.access import SYSTEM


def _invite(actor, la, **overrides):
    values = {
        "actor": actor,
        "email": "Nia.Okafor@Example.org",
        "full_name": "Nia Okafor",
        "role": Role.PERFORMANCE_LEAD,
        "local_authority": la,
    }
    values.update(overrides)
    return people_services.invitation_create(**values)


def _link_from_last_email() -> str:
    return re.search(r"/invitations/accept/\S+", mail.outbox[-1].body).group(0)


def test_programme_manager_invites_a_performance_lead_who_gets_one_email(
    programme_manager, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(programme_manager, world.home_la)
    assert invitation.email == "nia.okafor@example.org"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nia.okafor@example.org"]
    assert "Performance lead for Somerset" in mail.outbox[0].body
    assert mail.outbox[0].reply_to == ["pm@example.org"]
    # The task is idempotent: running it again sends nothing.
    assert outbox.deliver("regions.Invitation", invitation.pk) is False
    assert outbox.sweep(Invitation) == 0
    assert len(mail.outbox) == 1


def test_programme_manager_cannot_invite_into_another_region(programme_manager, world):
    with pytest.raises(PermissionDenied):
        _invite(programme_manager, world.other_la)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["dcs", "performance_lead", "member", "outsider"])
def test_la_roles_cannot_invite(persona, world):
    with pytest.raises(PermissionDenied):
        _invite(world.users[persona], world.home_la)


def test_second_dcs_for_an_la_is_refused_with_the_current_dcs_named(programme_manager, world):
    with pytest.raises(ValidationError, match="Dan Clarke is already the director"):
        _invite(programme_manager, world.home_la, role=Role.DCS)


def test_inviting_someone_to_a_role_they_hold_is_refused(programme_manager, world):
    with pytest.raises(ValidationError, match="already has this role"):
        _invite(programme_manager, world.home_la, email="lead@example.org")


def test_duplicate_pending_invitation_is_refused(programme_manager, world):
    _invite(programme_manager, world.home_la)
    with pytest.raises(ValidationError, match="pending invitation"):
        _invite(programme_manager, world.home_la)
    assert Invitation.objects.count() == 1


def test_new_person_accepts_sets_password_and_lands_on_dashboard(
    programme_manager, world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(programme_manager, world.home_la)
    link = _link_from_last_email()
    page = client.get(link)
    assert page.status_code == 200
    assert "nia.okafor@example.org" in page.content.decode()

    response = client.post(
        link,
        {
            "full_name": "Nia Okafor",
            "password1": "a-long-new-pass-phrase",
            "password2": "a-long-new-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(email="nia.okafor@example.org")
    assert Membership.objects.filter(
        user=user, role=Role.PERFORMANCE_LEAD, local_authority=world.home_la
    ).exists()
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Performance lead, Somerset" in dashboard
    # The link is single-use.
    assert client.get(link).status_code == 404


def test_weak_password_is_refused_and_nothing_is_created(programme_manager, world, client):
    invitation = _invite(programme_manager, world.home_la)
    link = reverse("regions:invitation_accept", kwargs={"token": invitation_token(invitation)})
    response = client.post(
        link, {"full_name": "Nia", "password1": "password", "password2": "password"}
    )
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="nia.okafor@example.org").exists()


def test_existing_user_accepts_while_signed_in_and_gains_the_role(programme_manager, world, client):
    invitation = _invite(
        programme_manager, world.peer_la, email="member@example.org", role=Role.MEMBER
    )
    client.force_login(world.users["member"])
    link = reverse("regions:invitation_accept", kwargs={"token": invitation_token(invitation)})
    assert client.post(link).status_code == 302
    assert Membership.objects.filter(
        user=world.users["member"], local_authority=world.peer_la
    ).exists()


def test_expired_or_tampered_links_do_not_work(programme_manager, world, client):
    invitation = _invite(programme_manager, world.home_la)
    token = invitation_token(invitation)
    assert (
        client.get(reverse("regions:invitation_accept", kwargs={"token": token + "x"})).status_code
        == 404
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(reverse("regions:invitation_accept", kwargs={"token": token}))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_withdrawn_invitation_cannot_be_accepted(programme_manager, world, client):
    invitation = _invite(programme_manager, world.home_la)
    people_services.invitation_revoke(actor=programme_manager, invitation=invitation)
    link = reverse("regions:invitation_accept", kwargs={"token": invitation_token(invitation)})
    assert client.get(link).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_double_submitted_acceptance_creates_one_account(programme_manager, world):
    invitation = _invite(programme_manager, world.home_la)
    barrier = threading.Barrier(2)
    outcomes = []

    def accept():
        try:
            barrier.wait()
            people_services.invitation_accept(
                actor=SYSTEM,
                invitation=invitation,
                full_name="Nia Okafor",
                password="a-long-new-pass-phrase",
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert User.objects.filter(email="nia.okafor@example.org").count() == 1


def test_invitation_form_names_the_missing_la(programme_manager, world, client):
    client.force_login(programme_manager)
    url = reverse("regions:invitation_create", kwargs={"slug": world.region.slug})
    response = client.post(url, {"full_name": "Nia", "email": "nia@example.org", "role": Role.DCS})
    assert response.status_code == 200
    assert "Choose the local authority for this role." in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_form_offers_only_the_regions_las(programme_manager, world, client):
    client.force_login(programme_manager)
    url = reverse("regions:invitation_create", kwargs={"slug": world.region.slug})
    response = client.post(
        url,
        {
            "full_name": "Nia",
            "email": "nia@example.org",
            "role": Role.MEMBER,
            "local_authority": world.other_la.pk,
        },
    )
    assert "Choose a local authority from the list" in response.content.decode()
    assert not Invitation.objects.exists()
