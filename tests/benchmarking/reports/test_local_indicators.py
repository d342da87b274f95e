"""A region's local indicators (name, short name, definition, figures) are for its own people and
administrators: one rule (`benchmarking.read_indicator` / `view_local_indicators`) decides it for
the indicator pages, the rug and datapack pages, and the report files alike."""

import pytest
from django.test import Client
from django.urls import reverse

from benchmarking.models import Indicator, ReportBuild
from tests.benchmarking.reports.factories import make_return

pytestmark = pytest.mark.django_db

SECRET = "Children seen by the regional panel"


@pytest.fixture
def local_indicator(world, reports):
    indicator = Indicator.objects.create(
        code="SW_PANEL",
        name=SECRET,
        short_name="SW panel",
        definition="A measure only the South West collects.",
        unit="count",
        theme="local",
        display_order=100,
        region=world.region,
    )
    make_return(world.home_la, reports["published"], source="published", values={"SW_PANEL": 7})
    return indicator


def _pages(world):
    year = "?period=2024&indicator_set=all"
    return {
        "rug": reverse("benchmarking_reports:rug", kwargs={"region_slug": world.region.slug})
        + year,
        "datapack": reverse("benchmarking_reports:datapack", kwargs={"la_slug": world.home_la.slug})
        + year,
        "indicator": reverse("benchmarking:indicator_detail", kwargs={"code": "SW_PANEL"}),
    }


@pytest.mark.parametrize("page", ["rug", "datapack", "indicator"])
def test_outsider_cannot_read_another_regions_local_indicator(
    client_for, world, local_indicator, page
):
    response = client_for(world.users["outsider"]).get(_pages(world)[page])
    assert response.status_code == (404 if page == "indicator" else 403)
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("page", ["rug", "datapack", "indicator"])
def test_the_regions_own_people_read_its_local_indicator(client_for, world, local_indicator, page):
    response = client_for(world.users["member"]).get(_pages(world)[page])
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_outsider_sees_the_published_year_with_the_core_set_only(
    client_for, world, local_indicator
):
    outsider = client_for(world.users["outsider"])
    url = reverse("benchmarking_reports:rug", kwargs={"region_slug": world.region.slug})
    response = outsider.get(url + "?period=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET not in html
    assert 'value="all"' not in html  # "All indicators" is not offered


def _export(client, world, indicator_set):
    url = reverse("benchmarking_reports:rug_export", kwargs={"region_slug": world.region.slug})
    return client.post(
        url,
        {"kind": "rug_xlsx", "period": "2024", "scope": "region", "indicator_set": indicator_set},
    )


def test_outsider_cannot_build_or_download_a_file_with_local_indicators(
    django_capture_on_commit_callbacks, world, local_indicator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    member, outsider = Client(), Client()
    member.force_login(world.users["member"])
    outsider.force_login(world.users["outsider"])
    assert _export(outsider, world, "all").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert _export(member, world, "all").status_code == 302
        assert _export(member, world, "core").status_code == 302
    full = ReportBuild.objects.get(indicator_set="all")
    core = ReportBuild.objects.get(indicator_set="core")
    download = "benchmarking_reports:build_download"
    assert outsider.get(reverse(download, kwargs={"build_id": full.pk})).status_code == 404
    assert member.get(reverse(download, kwargs={"build_id": full.pk})).status_code == 200
    assert outsider.get(reverse(download, kwargs={"build_id": core.pk})).status_code == 200
    assert ReportBuild.objects.filter(requested_by=world.users["outsider"]).count() == 0
