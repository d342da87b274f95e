"""With Redis unreachable every page `make bench` measures still answers 200 (slower), and
signing in still works (tests/sli_portal/test_redis_outage.py: sign in, pages, sign out).

The pages come from the URL x persona matrix (tests/*/url_cases.py), so each is requested with
the objects and query its permission case builds, by a persona it answers 200. The shared Redis
server is never stopped: the cache points at a port nothing listens on."""

import socket
from contextlib import closing

import pytest
from django.test import override_settings
from django.urls import reverse

from sli_portal import cache as failsafe_cache
from tests.test_url_permissions import CASES

# Every page in bench/pages.py, by URL name.
BENCH_PAGES = (
    "dashboard",
    "regions:la_list",
    "regions:la_detail",
    "regions:region_detail",
    "events:event_detail",
    "events:registrations",
    "peer_challenge:self_assessment_detail",
    "regions:plan_detail",
    "benchmarking_reports:rug",
    "benchmarking_reports:datapack",
    "benchmarking:completeness",
    "benchmarking:return_entry",
    "search",
    "notifications:inbox",
)
# Who requests them: the bench's users (a programme manager, a DCS), else an administrator.
PERSONAS = ("programme_manager", "dcs", "admin")

CASES_200 = [
    (case, next(p for p in PERSONAS if case.expected[p] == 200))
    for case in CASES
    if case.name in BENCH_PAGES
    and case.method == "get"
    and any(case.expected[p] == 200 for p in PERSONAS)
]


def test_every_bench_page_has_a_case():
    assert {case.name for case, _ in CASES_200} == set(BENCH_PAGES)


@pytest.fixture
def redis_unreachable():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    caches = {
        "default": {
            "BACKEND": "sli_portal.cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    failsafe_cache.reset_outages()
    with override_settings(CACHES=caches, SESSION_ENGINE="sli_portal.sessions"):
        yield
    failsafe_cache.reset_outages()


@pytest.mark.parametrize(
    ("case", "persona"), CASES_200, ids=[f"{case.id} as {persona}" for case, persona in CASES_200]
)
def test_bench_page_answers_200_with_redis_unreachable(
    case, persona, world, client, redis_unreachable
):
    url = reverse(case.name, kwargs=case.resolve_kwargs(world)) + case.query
    client.force_login(world.user(persona))
    response = client.get(url)
    assert response.status_code == 200, f"{url} as {persona}: {response.status_code}"
    # And again, with nothing cached anywhere (no copy of the session, scope or report).
    assert client.get(url).status_code == 200
