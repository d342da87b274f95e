"""The frame's one query (sli_portal/sessions.py, sli_portal/authentication.py): a warm signed-in
request reads its session, its user's row and the header's unread count together, with no cache
round trip; and whatever must end a session or change the header does so on the next request."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from notifications.cache import unread_key
from notifications.models import Notification
from notifications.services.notifications import notify
from sli_portal import cache as failsafe_cache
from sli_portal import sessions
from sli_portal.access import SYSTEM
from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.sli_portal.frame_urls")]

LAYOUT = "/bench/layout/"
UNREAD = re.compile(r'id="header-unread-count">(\d+)<')


def _get(client, url=LAYOUT):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured]


def _unread_in_header(response) -> int:
    found = UNREAD.search(response.content.decode())
    return int(found.group(1)) if found else 0


def _unread(user, how_many: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", occasion=f"frame:{i}", text=f"Note {i}")
        for i in range(how_many)
    )
    cache.delete(unread_key(user.pk))  # as if its cached count had expired


@pytest.fixture
def cache_reads(monkeypatch):
    """Every read of the default cache (Redis in production) during the test."""
    reads = []
    backend = type(caches["default"])
    for name in ("get", "get_many", "has_key"):
        original = getattr(backend, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            reads.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(backend, name, counted)
    return reads


@pytest.mark.parametrize("unread", [0, 3, 40])
def test_a_warm_signed_in_request_is_one_query_and_no_cache_read(
    world, client, cache_reads, unread
):
    """Pinned at three sizes of the header's count (none, a few, many)."""
    user = world.users["dcs"]
    _unread(user, unread)
    client.force_login(user)
    client.get(LAYOUT)  # the scope and navigation, read once per process
    cache_reads.clear()
    response, queries = _get(client)
    assert response.status_code == 200
    assert len(queries) == 1, queries
    (query,) = queries
    assert all(table in query for table in ("django_session", "accounts_user", "notifications_"))
    assert cache_reads == []
    assert _unread_in_header(response) == unread


def test_the_first_request_after_signing_in_is_one_query_too(world, client):
    client.post(reverse("login"), {"username": "dcs@example.org", "password": PASSWORD})
    client.get(LAYOUT)  # the scope, read once per process
    response, queries = _get(client)
    assert response.status_code == 200 and len(queries) == 1


def test_more_unread_than_the_query_counts_still_shows_the_exact_number(world, client):
    user = world.users["dcs"]
    _unread(user, sessions.COUNT_LIMIT + 5)
    client.force_login(user)
    client.get(LAYOUT)
    assert _unread_in_header(client.get(LAYOUT)) == sessions.COUNT_LIMIT + 5


def test_the_header_count_follows_new_and_read_notifications_on_the_next_request(
    world, client, django_capture_on_commit_callbacks
):
    user = world.users["dcs"]
    client.force_login(user)
    assert _unread_in_header(client.get(LAYOUT)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        notify(actor=SYSTEM, recipients=[user], kind="test", occasion="one", text="One")
        notify(actor=SYSTEM, recipients=[user], kind="test", occasion="two", text="Two")
    assert _unread_in_header(client.get(LAYOUT)) == 2
    client.post(reverse("notifications:mark_all_read"))
    assert _unread_in_header(client.get(LAYOUT)) == 0


def test_each_person_sees_their_own_count(world):
    dcs, manager = world.users["dcs"], world.users["programme_manager"]
    _unread(dcs, 4)
    for user, expected in ((dcs, 4), (manager, 0), (dcs, 4)):
        client = Client()
        client.force_login(user)
        client.get(LAYOUT)
        assert _unread_in_header(client.get(LAYOUT)) == expected


def test_a_password_reset_elsewhere_signs_this_session_out_on_its_next_request(world, client):
    """Django's promise, kept with the user row read with the session: the session's password
    hash no longer matches, so the session ends (its row is deleted)."""
    client.force_login(world.users["dcs"])
    assert client.get(LAYOUT).status_code == 200
    other = Client()
    other.post(reverse("password_reset"), {"email": "dcs@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form_page = other.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    new = "another-long-pass-phrase"
    other.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    response = client.get(LAYOUT)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()


@pytest.mark.parametrize("how", ["save", "update"])
def test_a_deactivated_person_is_signed_out_on_their_next_request(world, client, how):
    """Deactivated by the admin form (save) or by a bulk update that sends no signal."""
    user = world.users["dcs"]
    client.force_login(user)
    assert client.get(LAYOUT).status_code == 200
    if how == "save":
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(LAYOUT).status_code == 302


def test_a_deleted_person_is_signed_out_on_their_next_request(world, client):
    user = User.objects.create_user("leaver@example.org", PASSWORD, full_name="Leaver")
    client.force_login(user)
    assert client.get(LAYOUT).status_code == 200
    user.delete()
    assert client.get(LAYOUT).status_code == 302


def test_signing_out_ends_a_copied_session_at_once(world, client):
    client.force_login(world.users["dcs"])
    copy = Client()
    copy.cookies["sessionid"] = client.cookies["sessionid"].value
    assert copy.get(LAYOUT).status_code == 200
    client.post(reverse("logout"))
    assert copy.get(LAYOUT).status_code == 302


def test_a_sign_out_made_while_redis_was_unreachable_holds_once_it_is_back(world, client):
    """A session is only in the database: there is no copy elsewhere to outlive a sign-out."""
    client.force_login(world.users["dcs"])
    copy = Client()
    copy.cookies["sessionid"] = client.cookies["sessionid"].value
    assert copy.get(LAYOUT).status_code == 200
    unreachable = {
        "default": {
            "BACKEND": "sli_portal.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    failsafe_cache.reset_outages()
    try:
        with override_settings(CACHES=unreachable):
            client.post(reverse("logout"))
    finally:
        failsafe_cache.reset_outages()
    assert copy.get(LAYOUT).status_code == 302


def test_a_session_is_only_ever_its_own_user_s(world, client):
    """The process's note of which user a session is signed in as only chooses what to read with
    it: a wrong note (it cannot happen, a key never changes hands) shows the session's own user."""
    dcs, manager = world.users["dcs"], world.users["programme_manager"]
    client.force_login(dcs)
    client.get(LAYOUT)
    sessions._users_of_sessions.set(client.cookies["sessionid"].value, str(manager.pk))
    _unread(manager, 7)
    page = client.get(LAYOUT)
    html = page.content.decode()
    assert page.context["user"].pk == dcs.pk
    assert dcs.full_name in html and manager.full_name not in html
    assert _unread_in_header(page) == 0


def test_a_session_s_data_is_read_afresh_after_each_save_and_never_shared(world, client):
    """Decoded session data is kept per process by the data as stored: a save is seen by the next
    load, and what one request changes without saving stays its own."""
    client.force_login(world.users["dcs"])
    key = client.cookies["sessionid"].value
    first = sessions.SessionStore(key)
    first["basket"] = ["a"]
    first.save()
    seen = sessions.SessionStore(key)
    assert seen["basket"] == ["a"]
    seen["basket"].append("b")  # changed in memory, not saved
    assert sessions.SessionStore(key)["basket"] == ["a"]
    second = sessions.SessionStore(key)
    second["basket"] = ["c"]
    second.save()
    assert sessions.SessionStore(key)["basket"] == ["c"]
    assert client.get(LAYOUT).status_code == 200
