"""The email edition: to the region's members and confirmed subscribers, double opt-in, one-click
unsubscribe (List-Unsubscribe headers, a POST with no cookie), plain text and HTML, hostile
Markdown inert, each recipient once even when sent twice at the same moment (real threads)."""

import re
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from regions.models import OptInEmail, Subscriber, UpdateEmail, unsubscribe_token
from regions.services import subscriptions as subscription_services
from regions.services import updates as services
from sli_portal import outbox
from sli_portal.access import SYSTEM
from tests.regions.updates.conftest import make_update
from tests.world import build_world

MEMBERS = {
    "pm@example.org",
    "dcs@example.org",
    "lead@example.org",
    "member@example.org",
    "peer@example.org",
    "analyst@example.org",
}


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """Run a call and then what it queued after commit (delivery), as a worker would."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def _subscribe(client, world, email="partner@example.org", delivered=None):
    url = reverse("regions:subscribe", kwargs={"slug": world.region.slug})
    data = {"email": email, "name": "Pat Partner", "organisation": "LGA"}
    if delivered is None:
        return client.post(url, data)
    return delivered(lambda: client.post(url, data))


def _confirm_link(message) -> str:
    site = re.escape(settings.SITE_URL)  # the deployment's address (.env in CI)
    return re.search(site + r"(/public/\S+/subscribe/\S+/)", message.body)[1]


def _recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_members_and_confirmed_subscribers_get_it_unconfirmed_and_unsubscribed_do_not(
    client, world, public_profile, delivered
):
    _subscribe(client, world, delivered=delivered)  # never confirms
    assert [m.subject for m in mail.outbox] == ["Confirm you want South West regional updates"]
    _subscribe(client, world, "council@example.org", delivered=delivered)
    link = _confirm_link(mail.outbox[-1])
    assert client.get(link).status_code == 200
    assert client.get(link).status_code == 200  # a second click is harmless
    mail.outbox.clear()

    update = make_update(world)
    pm = world.users["programme_manager"]
    assert delivered(lambda: services.update_send(actor=pm, update=update)) == 7
    assert _recipients() == MEMBERS | {"council@example.org"}
    assert "partner@example.org" not in _recipients()
    assert "outsider@example.org" not in _recipients()

    # Unsubscribed with one click (a POST with no cookie or CSRF token, as a mail client does).
    message = next(m for m in mail.outbox if m.to == ["council@example.org"])
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = Client(enforce_csrf_checks=True)
    assert one_click.post(unsubscribe_url.replace(settings.SITE_URL, "")).status_code == 302
    mail.outbox.clear()
    second = make_update(world, title="Next update")
    delivered(lambda: services.update_send(actor=pm, update=second))
    assert _recipients() == MEMBERS


def test_an_address_that_unsubscribes_after_the_email_was_recorded_is_not_sent_it(
    world, public_profile, monkeypatch
):
    monkeypatch.setattr(outbox, "enqueue_on_commit", lambda *args, **kwargs: None)  # no worker
    update = make_update(world)
    services.update_send(actor=world.users["programme_manager"], update=update)
    subscription_services.subscriber_unsubscribe(
        actor=SYSTEM, region=world.region, email="Member@Example.org"
    )
    outbox.sweep(UpdateEmail)
    assert "member@example.org" not in _recipients()
    row = UpdateEmail.objects.get(email="member@example.org")
    assert (row.status, row.skipped_reason) == (
        "skipped",
        "Unsubscribed before the email went out.",
    )


def test_the_email_has_text_and_html_and_hostile_markdown_is_inert(
    world, public_profile, delivered
):
    update = make_update(
        world,
        body="<script>alert('x')</script>\n\n[click](javascript:alert(1)) "
        "and [the plan](https://example.org/plan)",
    )
    delivered(lambda: services.update_send(actor=world.users["programme_manager"], update=update))
    message = next(m for m in mail.outbox if m.to == ["member@example.org"])
    html = message.alternatives[0][0]
    assert message.subject == "South West Regional Update June 2018"
    # The text part is text/plain: what was typed reads as typed; no link keeps a javascript: URL.
    assert message.content_subtype == "plain" and "javascript:" not in message.body
    assert "the plan (https://example.org/plan)" in message.body
    assert f"/public/south-west/updates/{update.pk}/" in message.body
    assert not re.search(r"<script\b", html) and "javascript:" not in html
    assert '<a href="https://example.org/plan" rel="noopener noreferrer">the plan</a>' in html
    token = unsubscribe_token(world.region.pk, "member@example.org")
    assert f"/public/south-west/unsubscribe/{token}/" in message.body


def test_subscribing_twice_sends_one_confirmation_a_day_and_reveals_nothing(
    client, world, public_profile, delivered
):
    first = _subscribe(client, world, delivered=delivered)
    second = _subscribe(client, world, "PARTNER@example.org", delivered=delivered)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert OptInEmail.objects.count() == 1 and len(mail.outbox) == 1
    assert Subscriber.objects.get().confirmed_at is None
    bad = _subscribe(client, world, "not an address")
    assert (
        bad.status_code == 400
        and "Enter an email address in the correct format" in bad.content.decode()
    )


def test_a_tampered_or_foreign_link_confirms_nothing(client, world, public_profile, delivered):
    _subscribe(client, world, delivered=delivered)
    link = _confirm_link(mail.outbox[0])
    assert client.get(link[:-3] + "xx/").status_code == 400
    other = link.replace("/south-west/", "/south-east/")
    assert client.get(other).status_code == 404  # the other region has no public pages
    assert Subscriber.objects.get().confirmed_at is None


def test_only_a_published_update_is_sent_and_only_by_the_programme_manager(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    draft = make_update(world, publish=False)
    with pytest.raises(ValidationError):
        services.update_send(actor=world.users["programme_manager"], update=draft)
    with pytest.raises(PermissionDenied):
        services.update_send(actor=world.users["dcs"], update=draft)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_sending_twice_at_the_same_moment_sends_each_recipient_one_email():
    world = build_world()
    update = make_update(world)
    pm = world.users["programme_manager"]
    barrier = threading.Barrier(2)
    added = []

    def press():
        try:
            barrier.wait(timeout=5)
            added.append(services.update_send(actor=pm, update=update))
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(added) == [0, 6]
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(MEMBERS)
    assert UpdateEmail.objects.filter(status="sent").count() == 6


def test_the_send_log_is_for_the_programme_manager(client, world, delivered):
    update = make_update(world)
    delivered(lambda: services.update_send(actor=world.users["programme_manager"], update=update))
    url = reverse("regions:update_emails", kwargs={"pk": update.pk})
    client.force_login(world.users["programme_manager"])
    text = client.get(url).content.decode()
    assert "member@example.org" in text and "Sent" in text
    client.force_login(world.users["member"])
    assert client.get(url).status_code == 403
