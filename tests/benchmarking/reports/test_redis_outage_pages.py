"""Redis down: the rug, the datapack, the completeness grid and the entry form still answer 200
with their data (rendered every time, slower), as tests/sli_portal/test_redis_outage.py asks of
every page. The shared Redis server is never stopped: the cache points at a closed port."""

import pytest
from django.test import override_settings
from django.urls import reverse

from sli_portal import cache as failsafe_cache
from tests.benchmarking.factories import upload
from tests.sli_portal.test_redis_outage import _caches, _closed_port, _sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outage_remembered():
    failsafe_cache.reset_outages()
    yield
    failsafe_cache.reset_outages()


def test_with_redis_down_the_report_and_return_pages_still_answer(world, reports, quarter, client):
    upload(world, quarter)
    la, region = world.home_la, world.region
    pages = {
        reverse("benchmarking_reports:rug", kwargs={"region_slug": region.slug})
        + "?period=2025-q1&scope=region": "30.0",
        reverse("benchmarking_reports:datapack", kwargs={"la_slug": la.slug})
        + "?period=2025-q1&scope=region": "30.0",
        reverse(
            "benchmarking:completeness",
            kwargs={"region_slug": region.slug, "period_slug": quarter.slug},
        ): "1 in draft",
        reverse(
            "benchmarking:return_entry", kwargs={"la_slug": la.slug, "period_slug": quarter.slug}
        ): 'id="CLA_RATE-numerator"',
    }
    with override_settings(CACHES=_caches(_closed_port()), SESSION_ENGINE="sli_portal.sessions"):
        response = _sign_in(client, world.users["performance_lead"].email)
        assert response.status_code == 302
        for url, shown in pages.items():
            for _ in range(2):
                page = client.get(url)
                assert page.status_code == 200, url
                assert shown in page.content.decode(), url
