"""The rug and datapack pages are cached under a stamp of their data: fast when nothing changed,
never stale when anything did, whoever changed it."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.models import Indicator, Value
from benchmarking.services import published_data_import, return_reopen
from benchmarking.views import fragments as report_cache
from sli_portal.access import SYSTEM
from tests.benchmarking.reports.factories import make_return

pytestmark = pytest.mark.django_db


def rug_url(world, **query):
    query = {"period": "2025-q1", **query}
    url = reverse("benchmarking_reports:rug", kwargs={"region_slug": world.region.slug})
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def datapack_url(world, **query):
    query = {"period": "2025-q1", **query}
    url = reverse("benchmarking_reports:datapack", kwargs={"la_slug": world.home_la.slug})
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def get(client, url):
    """(page text, whether the request read any values)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # A read of the table itself (the page's data stamp names it too, as a version to look up).
    read_values = any(
        re.search(r'(FROM|JOIN) "benchmarking_value"', q["sql"]) for q in queries.captured_queries
    )
    return response.content.decode(), read_values


def without_csrf_tokens(text):
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", text)


def somerset_reref():
    return Value.objects.filter(
        return_obj__local_authority__slug="somerset",
        return_obj__period__fiscal_year=2025,
        return_obj__period__quarter=1,
        indicator__code="REREF_PCT",
    )


@pytest.mark.parametrize("url_of", [rug_url, datapack_url], ids=["rug", "datapack"])
def test_an_unchanged_report_is_served_without_reading_the_data_again(
    client_for, world, reports, url_of
):
    client = client_for(world.users["performance_lead"])
    first, read_first = get(client, url_of(world))
    second, read_second = get(client, url_of(world))
    assert read_first and not read_second
    assert without_csrf_tokens(second) == without_csrf_tokens(first)


@pytest.mark.parametrize("url_of", [rug_url, datapack_url], ids=["rug", "datapack"])
def test_a_value_written_outside_the_services_still_shows_at_once(
    client_for, world, reports, url_of
):
    client = client_for(world.users["performance_lead"])
    before, _ = get(client, url_of(world))
    assert "30.0" in before
    # A bare UPDATE, as a shell or a future service might: the database trigger touches the return.
    somerset_reref().update(value=Decimal("37.5"), numerator=375)
    after, read_again = get(client, url_of(world))
    assert read_again
    assert "37.5" in after


def test_reopening_a_return_takes_its_values_off_the_rug(client_for, world, reports):
    client = client_for(world.users["programme_manager"])
    assert "30.0" in get(client, rug_url(world))[0]
    ret = somerset_reref().get().return_obj
    return_reopen(actor=world.users["programme_manager"], return_id=ret.pk, reason="Typo")
    assert "30.0" not in get(client, rug_url(world))[0]


def test_a_new_approved_return_appears(client_for, world, reports):
    client = client_for(world.users["programme_manager"])
    assert "44.4" not in get(client, rug_url(world))[0]
    make_return(reports["draft_la"], reports["q1"], values={"REREF_PCT": (44.4, 444, 1000)})
    assert "44.4" in get(client, rug_url(world))[0]


def test_a_published_import_changes_the_england_figures(client_for, world, reports):
    client = client_for(world.users["performance_lead"])
    url = rug_url(world, period="2024", scope="england")
    # England re-referrals 2024-25: (210 + 230 + 280) / 3000
    assert "24.0" in get(client, url)[0]
    la = world.other_la
    c1 = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,"
        "rereferral_percent,no_further_action_count,no_further_action_percent\r\n"
        f"2025,Reporting year,Local authority,E92000001,England,E12000008,South East,"
        f"{la.dfe_code},{la.gss_code},{la.name},R,1000,990,99.0,10,1.0\r\n"
    )
    report = published_data_import(actor=SYSTEM, files=[("c1.csv", c1)])
    assert report.updated >= 1
    # (210 + 230 + 990) / 3000 = 47.7
    assert "47.7" in get(client, url)[0]


def test_renaming_an_indicator_an_la_or_the_region_shows_at_once(client_for, world, reports):
    client = client_for(world.users["performance_lead"])
    get(client, rug_url(world))
    Indicator.objects.filter(code="REREF_PCT").update(name="Re-referrals within a year")
    assert "Re-referrals within a year" in get(client, rug_url(world))[0]
    world.peer_la.name = "Devon County"
    world.peer_la.save()
    assert "Devon County" in get(client, rug_url(world))[0]
    world.region.name = "The South West"
    world.region.save()
    assert "The South West tartan rug" in get(client, rug_url(world))[0]


def test_each_viewer_gets_the_neighbours_of_their_own_la(client_for, world, reports):
    home = get(client_for(world.users["dcs"]), rug_url(world))[0]
    peer = get(client_for(world.users["peer_dcs"]), rug_url(world))[0]
    assert "Neighbours of Somerset" in home and "Neighbours of Somerset" not in peer
    assert "Neighbours of Devon" in peer


def test_a_cache_outage_costs_speed_not_the_page(client_for, world, reports, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache server down")

    # Only the report fragments' cache fails here (sessions have their own fail-safe path:
    # tests/sli_portal/test_redis_outage.py).
    monkeypatch.setattr(report_cache, "cache", SimpleNamespace(get=down, set=down))
    # Two viewers of the same LA: the same report, each their own page body (kept in the
    # page cache, which is up here), so each computes the report with its cache down.
    for persona in ("performance_lead", "dcs"):
        text, read_values = get(client_for(world.users[persona]), rug_url(world))
        assert read_values and "30.0" in text
