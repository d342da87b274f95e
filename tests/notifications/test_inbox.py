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

    with django_capture_on_commit_callbacks(execute=True):  # the POST commits, then...
        response = client.post(reverse("notifications:mark_all_read"))
    response = client.get(response["Location"])  # ...the browser follows the redirect
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

    # Warm: the frame and the list's stamp (the list itself comes from the cache).
    assert_query_count_flat(
        client, reverse("notifications:inbox"), grow, small=3, large=120, budget=2
    )


def _inbox(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    return response.content.decode()


def test_marking_one_read_and_a_new_one_show_at_once(world, client):
    """The list is cached per person: every change to their notifications shows on the next
    view of the inbox."""
    dcs = world.users["dcs"]
    for n in (1, 2):
        _tell(dcs, n)
    client.force_login(dcs)
    assert "2 unread notifications." in _inbox(client)
    assert "2 unread notifications." in _inbox(client)  # from the cache

    first = dcs.notifications.get(occasion="test:1")
    response = client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert response.status_code == 302
    page = _inbox(client)
    assert "1 unread notification." in page
    assert 'Mark as read<span class="govuk-visually-hidden">: Thing 1<' not in page
    assert 'Mark as read<span class="govuk-visually-hidden">: Thing 2<' in page

    _tell(dcs, 3, text="Brand new")
    page = _inbox(client)
    assert "Brand new 3" in page and "2 unread notifications." in page

    client.post(reverse("notifications:mark_all_read"))
    page = _inbox(client)
    assert "Nothing unread." in page and "Mark all as read" not in page


def test_nobody_sees_another_persons_inbox(world, client):
    """Two people at the same address, one after the other: each sees only their own."""
    dcs, lead = world.users["dcs"], world.users["performance_lead"]
    _tell(dcs, 1, text="For the DCS")
    _tell(lead, 1, text="For the lead")
    for user, mine, theirs in (
        (dcs, "For the DCS", "For the lead"),
        (lead, "For the lead", "For the DCS"),
        (dcs, "For the DCS", "For the lead"),
    ):
        client.force_login(user)
        page = _inbox(client)
        assert mine in page and theirs not in page
