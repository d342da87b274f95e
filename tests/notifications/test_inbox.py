"""The inbox page: unread first, open marks read and goes to the thing, mark all read; the
header's count cached per person and forgotten when it changes; query counts flat."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.cache import unread_key
from notifications.models import Notification
from notifications.selectors import unread_count
from notifications.services import notification_mark_read, notify
from sli_portal.access import SYSTEM
from tests.helpers import assert_query_count_flat

pytestmark = pytest.mark.django_db


def _tell(user, n, text="Thing"):
    notify(
        actor=SYSTEM,
        recipients=[user],
        kind="test",
        occasion=f"test:{n}",
        text=f"{text} {n}",
        url=f"/regions/?n={n}",
    )


def test_unread_come_first_and_opening_one_marks_it_read_and_follows_its_link(world, client):
    dcs = world.users["dcs"]
    for n in (1, 2, 3):
        _tell(dcs, n)
    first = dcs.notifications.get(occasion="test:1")
    notification_mark_read(actor=dcs, notification=dcs.notifications.get(occasion="test:3"))
    client.force_login(dcs)

    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.index("Thing 2") < page.index("Thing 1") < page.index("Thing 3")
    assert "2 unread notifications." in page

    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/regions/?n=1"
    first.refresh_from_db()
    assert first.is_read
    assert "1 unread notification." in client.get(reverse("notifications:inbox")).content.decode()


def test_mark_all_read_and_the_header_count(world, client, django_capture_on_commit_callbacks):
    dcs = world.users["dcs"]
    client.force_login(dcs)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            _tell(dcs, n)
    header = client.get(reverse("dashboard")).content.decode()
    assert 'id="header-unread-count">4<' in header

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Marked 4 notifications as read." in response.content.decode()
    assert "header-unread-count" not in response.content.decode()
    assert not Notification.objects.filter(recipient=dcs, read_at__isnull=True).exists()


def test_a_link_to_another_site_is_not_followed(world, client):
    dcs = world.users["dcs"]
    notify(
        actor=SYSTEM,
        recipients=[dcs],
        kind="t",
        occasion="x",
        text="x",
        url="https://evil.example/",
    )
    client.force_login(dcs)
    response = client.get(reverse("notifications:open", args=[dcs.notifications.get().pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_the_header_count_is_cached_and_forgotten_when_it_changes(
    world, django_capture_on_commit_callbacks
):
    dcs = world.users["dcs"]
    with django_capture_on_commit_callbacks(execute=True):
        _tell(dcs, 1)
    cache.delete(unread_key(dcs.pk))  # e.g. expired
    with CaptureQueriesContext(connection) as first:
        assert unread_count(user=dcs) == 1
    with CaptureQueriesContext(connection) as second:
        assert unread_count(user=dcs) == 1
    assert (len(first), len(second)) == (1, 0)  # one indexed count, then the cache

    _tell(dcs, 2)  # not committed yet: others still see 1, and so does the cache
    assert unread_count(user=dcs) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _tell(dcs, 3)  # committed: the number is counted again and stored
    with CaptureQueriesContext(connection) as third:
        assert unread_count(user=dcs) == 3
    assert len(third) == 0
    with django_capture_on_commit_callbacks(execute=True):
        notification_mark_read(actor=dcs, notification=dcs.notifications.first())
    assert unread_count(user=dcs) == 2


def test_inbox_and_header_query_counts_are_flat(world, client):
    dcs = world.users["dcs"]
    client.force_login(dcs)
    made = [0]

    def grow(n):
        Notification.objects.bulk_create(
            Notification(
                recipient=dcs,
                kind="t",
                occasion=f"g:{i}",
                text=f"Thing {i}",
                url="/",
                status="skipped",
            )
            for i in range(made[0], n)
        )
        made[0] = n
        cache.delete(unread_key(dcs.pk))

    assert_query_count_flat(
        client, reverse("notifications:inbox"), grow, small=3, large=120, budget=8
    )
