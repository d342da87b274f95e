"""With Redis unreachable every page `make bench` measures (bench/pages.py PAGES, each as the
test-world page and persona tests/bench_pages.py names for it) still answers 200 (slower), and
signing in still works (tests/sli_portal/test_redis_outage.py: sign in, pages, sign out).

The shared Redis server is never stopped: the cache points at a port nothing listens on."""

import socket
from contextlib import closing

import pytest
from django.test import override_settings
from django.urls import reverse

from sli_portal import cache as failsafe_cache
from tests.bench_pages import BENCH_PAGES, PAGE_NAMES, bench_page
from tests.test_url_permissions import CASES

# Every other case of the bench pages' URLs too (a draft, another region, no data yet...), each
# as the first of these personas it answers 200.
PERSONAS = ("programme_manager", "dcs", "admin", "anonymous")
URL_NAMES = {BENCH_PAGES[name].case.name for name in PAGE_NAMES if name in BENCH_PAGES}
CASES_200 = list(
    {
        case.id: (case, next(p for p in PERSONAS if case.expected[p] == 200))
        for case in CASES
        if case.name in URL_NAMES
        and case.method == "get"
        and any(case.expected[p] == 200 for p in PERSONAS)
    }.values()
)


def test_every_bench_page_has_a_test_world_page_that_answers_its_persona():
    assert set(BENCH_PAGES) == set(PAGE_NAMES), "bench/pages.py and tests/bench_pages.py differ"
    for name in PAGE_NAMES:
        page = bench_page(name)
        assert page.case.method == "get" and page.case.expected[page.persona] == 200, name


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


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_bench_page_answers_200_with_redis_unreachable(name, world, client, redis_unreachable):
    page = bench_page(name)
    url = page.url(world)
    if page.persona != "anonymous":
        client.force_login(world.user(page.persona))
    response = client.get(url)
    assert response.status_code == 200, f"{name}: {url} as {page.persona}: {response.status_code}"
    # And again, with nothing cached anywhere (no copy of the session, scope, body or report).
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("case", "persona"), CASES_200, ids=[f"{case.id} as {persona}" for case, persona in CASES_200]
)
def test_every_case_of_a_bench_pages_url_answers_200_with_redis_unreachable(
    case, persona, world, client, redis_unreachable
):
    url = reverse(case.name, kwargs=case.resolve_kwargs(world)) + case.query
    if persona != "anonymous":
        client.force_login(world.user(persona))
    response = client.get(url)
    assert response.status_code == 200, f"{url} as {persona}: {response.status_code}"
    assert client.get(url).status_code == 200
