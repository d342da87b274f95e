"""Redis down (nothing listening) or frozen (accepts, never answers): the portal gets slower, never
a 500. The user's scope is read from the database, reports render without their cached
fragments, and signing in and out still work (sessions are in the database only, Redis or not:
tests/sli_portal/test_frame_session.py).

The shared Redis server is never stopped: each test points the cache at a port of its own."""

import socket
import time
from contextlib import closing, contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from sli_portal import cache as failsafe_cache
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _frozen_redis():
    """A server that accepts connections and never answers (a paused or failing-over Redis)."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


def _caches(port: int, backend: str = "sli_portal.cache.FailSafeRedisCache") -> dict:
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture(autouse=True)
def _no_outage_remembered():
    failsafe_cache.reset_outages()
    yield
    failsafe_cache.reset_outages()


def _sign_in(client, email):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def test_with_redis_down_sign_in_pages_and_sign_out_still_work(world, client):
    with override_settings(CACHES=_caches(_closed_port()), SESSION_ENGINE="sli_portal.sessions"):
        response = _sign_in(client, "dcs@example.org")
        assert response.status_code == 302 and response["Location"] == reverse("dashboard")
        page = client.get(reverse("dashboard"))
        assert page.status_code == 200
        assert "Hello, Dan" in page.content.decode()
        assert client.get(world.home_la.get_absolute_url()).status_code == 200
        # The database keeps the session: signing out there ends it for good.
        assert Session.objects.count() == 1
        client.post(reverse("logout"))
        assert Session.objects.count() == 0
        assert client.get(reverse("dashboard")).status_code == 302


def test_django_s_own_redis_cache_turns_the_same_outage_into_a_server_error(world, client):
    """Why the portal has its own cache backend: the failure the test above guards against."""
    plain = _caches(_closed_port(), backend="django.core.cache.backends.redis.RedisCache")
    client.force_login(world.users["dcs"])  # the session is in the database too
    with (
        override_settings(
            CACHES=plain, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
        ),
        pytest.raises(RedisConnectionError),
    ):
        client.get(reverse("dashboard"))


def test_a_frozen_redis_costs_one_short_timeout_not_one_per_cache_call(world, client):
    client.force_login(world.users["dcs"])
    with (
        _frozen_redis() as port,
        override_settings(CACHES=_caches(port), SESSION_ENGINE="sli_portal.sessions"),
    ):
        started = time.monotonic()
        for _ in range(3):
            assert client.get(reverse("dashboard")).status_code == 200
        elapsed = time.monotonic() - started
    # One 0.5 s read timeout, then Redis is left alone for 5 s (each page asks it several times).
    assert elapsed < 2.5, f"three pages took {elapsed:.1f} s with Redis frozen"
