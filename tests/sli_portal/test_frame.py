"""The shared frame of every signed-in page: session, user, scope and navigation in one query on a
warm cache, no transaction around a read, each write request still one transaction, and a role
change seen on the very next request."""

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Membership, Region, Role
from regions.services.people import membership_grant
from sli_portal.transactions import AtomicWritesMiddleware
from tests.regions.factories import PlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.sli_portal.frame_urls")]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


@pytest.mark.parametrize("persona", ["dcs", "programme_manager", "admin"])
def test_the_signed_in_frame_is_one_query_on_a_warm_cache(world, client, persona):
    client.force_login(world.users[persona])
    client.get("/bench/layout/")  # warms the session and scope caches
    queries = _queries(client, "/bench/layout/")
    # The session row with the user row (Django checks the session's password hash against it
    # every request) in one query (sli_portal/sessions.py): no memberships, no BEGIN/COMMIT.
    assert len(queries) == 1, queries
    assert "django_session" in queries[0] and "accounts_user" in queries[0]


def test_the_frame_stays_one_query_with_more_roles_and_places(world, client):
    """Two data sizes: a user with many memberships costs the same frame as one with one."""
    user = world.users["dcs"]
    client.force_login(user)
    small = _queries(client, "/bench/layout/") and _queries(client, "/bench/layout/")
    for la in (world.peer_la, world.other_la):
        Membership.objects.create(user=user, role=Role.MEMBER, local_authority=la)
    Membership.objects.create(user=user, role=Role.PROGRAMME_MANAGER, region=world.other_region)
    client.get("/bench/layout/")
    large = _queries(client, "/bench/layout/")
    assert len(small) == len(large) == 1


def test_a_new_role_takes_effect_on_the_next_request(world, client):
    """The scope is cached across requests; granting a role replaces the user's scope token, so
    the next request sees it: the navigation and the pages it opens."""
    outsider, region = world.users["outsider"], world.region
    client.force_login(outsider)
    url = reverse("regions:plan_detail", kwargs={"pk": PlanFactory(region=region).pk})
    assert client.get(url).status_code == 404
    client.get("/bench/layout/")
    membership_grant(
        actor=world.users["admin"],
        user=outsider,
        role=Role.PROGRAMME_MANAGER,
        region=region,
    )
    assert client.get(url).status_code == 200
    assert client.get("/bench/layout/").context["user_scope"].manages_region(region.pk)


def test_a_removed_role_is_gone_on_the_next_request(world, client):
    """A membership deleted anywhere (here as the admin or a script would) is seen at once."""
    dcs = world.users["dcs"]
    client.force_login(dcs)
    url = reverse("regions:plan_detail", kwargs={"pk": PlanFactory(region=world.region).pk})
    assert client.get(url).status_code == 200
    assert "Plans" in [item["label"] for item in client.get("/bench/layout/").context["nav_items"]]
    Membership.objects.filter(user=dcs).get().delete()
    assert client.get(url).status_code in (403, 404)
    labels = [item["label"] for item in client.get("/bench/layout/").context["nav_items"]]
    assert "Plans" not in labels


def test_losing_superuser_is_seen_on_the_next_request(world, client):
    """Being an administrator is read from the user row every request, never from the cache."""
    admin = world.users["admin"]
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    labels = [item["label"] for item in client.get("/bench/layout/").context["nav_items"]]
    assert "Admin" in labels
    type(admin).objects.filter(pk=admin.pk).update(is_superuser=False, is_staff=False)
    labels = [item["label"] for item in client.get("/bench/layout/").context["nav_items"]]
    assert "Admin" not in labels


# --- one transaction per write request, none per read -------------------------------------------


def _region_then_fail(request):
    Region.objects.create(code="E99999999", name="Atlantis", slug="atlantis")
    raise RuntimeError("the view failed after writing")


def test_a_write_request_that_fails_leaves_nothing_behind(db):
    middleware = AtomicWritesMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/anything/")
    with pytest.raises(RuntimeError):
        middleware.process_view(request, _region_then_fail, (), {})
    assert not Region.objects.filter(code="E99999999").exists()


def test_a_write_request_runs_in_a_transaction_and_a_read_in_none(db):
    depth_outside = len(connection.atomic_blocks)
    seen = {}

    def view(request):
        seen[request.method] = len(connection.atomic_blocks) - depth_outside
        return HttpResponse()

    middleware = AtomicWritesMiddleware(lambda request: HttpResponse())
    for method in ("get", "head", "post", "put", "patch", "delete"):
        request = getattr(RequestFactory(), method)("/anything/")
        response = middleware.process_view(request, view, (), {})
        if response is None:  # a read: Django calls the view itself, outside any transaction
            view(request)
    assert seen == {"GET": 0, "HEAD": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 1}


def test_a_view_marked_non_atomic_is_left_alone(db):
    @transaction.non_atomic_requests
    def view(request):
        return HttpResponse()

    middleware = AtomicWritesMiddleware(lambda request: HttpResponse())
    assert middleware.process_view(RequestFactory().post("/x/"), view, (), {}) is None
