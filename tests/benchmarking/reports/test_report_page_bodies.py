"""The rug's and datapack's page bodies kept in the cache (sli_portal.fragments, `{% page_cache %}`),
around the report fragments kept under their data stamp (test_report_cache.py): a warm request
asks the database three questions whatever the size of the data, a write through a service or
past it shows on the next request, and each viewer gets the page they may see."""

import pytest
from django.test import Client

from benchmarking.models import IndicatorSet, ReportBuild, ReportKind, ReportScope, Return
from benchmarking.services import reports as report_services
from tests.benchmarking.reports.factories import make_return, quarter
from tests.helpers import assert_query_count_flat

from .test_pages import _grower
from .test_report_cache import datapack_url, rug_url

pytestmark = pytest.mark.django_db

# The frame's user row, the region (or LA), the stamp (the period asked for is known by it).
WARM_QUERIES = 3


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url_of", [rug_url, datapack_url], ids=["rug", "datapack"])
def test_a_warm_report_page_asks_three_questions_from_5_to_60_las(world, reports, url_of):
    small, large = assert_query_count_flat(
        _client(world.users["dcs"]),
        url_of(world),
        _grower(world, reports["q1"]),
        small=5,
        large=60,
        budget=WARM_QUERIES,
    )
    assert small == large == WARM_QUERIES


@pytest.mark.parametrize("url_of", [rug_url, datapack_url], ids=["rug", "datapack"])
def test_a_build_requested_through_the_service_shows_on_the_next_request(world, reports, url_of):
    """The download panel (the builds) is part of the cached body."""
    client = _client(world.users["dcs"])
    kind = ReportKind.RUG_CSV if url_of is rug_url else ReportKind.DATAPACK_PDF
    html = _get(client, url_of(world, scope="england"))
    assert "build-status" not in html  # no build yet
    _get(client, url_of(world, scope="england"))  # from the cache
    report_services.report_build_request(
        actor=world.users["dcs"],
        kind=kind,
        region=world.region,
        period=reports["q1"],
        scope=ReportScope.ENGLAND,
        indicator_set=IndicatorSet.CORE,
        local_authority=None if url_of is rug_url else world.home_la,
    )
    assert ReportBuild.objects.exists()
    html = _get(client, url_of(world, scope="england"))
    assert "build-status" in html and ("Queued" in html or "Ready" in html or "Building" in html)


def test_a_newly_approved_quarter_is_offered_on_the_next_request(world, reports):
    """The period choices are read only when the body is rendered: a quarter's first approved
    return (a service, or a bare UPDATE of its status) makes it one of them at once."""
    client = _client(world.users["dcs"])
    q2 = quarter(2025, 2)
    assert "2025-26 Q2" not in _get(client, rug_url(world))
    ret = make_return(world.home_la, q2, status="submitted", values={"CLA_RATE": (70, 7, 10000)})
    assert "2025-26 Q2" not in _get(client, rug_url(world))  # not approved: not offered
    Return.objects.filter(pk=ret.pk).update(status="approved")
    assert "2025-26 Q2" in _get(client, rug_url(world))
    assert _client(world.users["dcs"]).get(rug_url(world, period="2025-q2")).status_code == 200


@pytest.mark.parametrize("url_of", [rug_url, datapack_url], ids=["rug", "datapack"])
def test_each_viewer_gets_the_page_they_may_see(world, reports, url_of):
    """The region's people see its quarters and the exception report's link; another region's
    person only the published year (403 for the quarter), whoever's page was cached first."""
    published = url_of(world, period="2024")
    for persona in ("programme_manager", "outsider", "programme_manager", "outsider"):
        html = _get(_client(world.users[persona]), published)
        inside = persona == "programme_manager"
        assert ("2025-26 Q1" in html) is inside, persona
        assert ("Exception report" in html) is inside, persona
    outsider = _client(world.users["outsider"])
    assert outsider.get(url_of(world)).status_code == 403


@pytest.mark.parametrize("url_of", [rug_url, datapack_url], ids=["rug", "datapack"])
def test_a_quarter_no_longer_offered_is_refused_on_the_next_request(world, reports, url_of):
    """The period asked for is kept under the page's data stamp: once its returns are taken
    back (here past the services), the quarter is no longer offered, at once."""
    from benchmarking.models import Source, Status

    client = _client(world.users["programme_manager"])
    assert client.get(url_of(world)).status_code == 200
    assert client.get(url_of(world)).status_code == 200  # warm: the period from the memo
    Return.objects.filter(period=reports["q1"], source=Source.RETURN).update(
        status=Status.DRAFT, submitted_at=None, approved_at=None
    )
    assert client.get(url_of(world)).status_code == 404  # no approved data in that quarter
