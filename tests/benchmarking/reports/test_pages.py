"""The tartan rug, datapack and exception report pages: what each persona sees."""

from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarking.models import ExceptionNarrative
from tests.benchmarking.reports.factories import make_return, quarter
from tests.helpers import assert_query_count_flat
from tests.regions.factories import LocalAuthorityFactory, StatisticalNeighbourFactory

pytestmark = pytest.mark.django_db


def rug_url(world, **query):
    url = reverse("benchmarking_reports:rug", kwargs={"region_slug": world.region.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rug_of(response):
    return response.context["rug"]


def row(rug, code):
    return next(r for r in rug.rows if r.indicator.code == code)


def test_rug_shows_approved_quarterly_values_and_never_an_unapproved_return(
    client_for, world, reports
):
    response = client_for(world.users["performance_lead"]).get(rug_url(world, period="2025-q1"))
    assert response.status_code == 200
    rug = rug_of(response)
    assert [c.name for c in rug.columns] == ["Cornwall", "Devon", "Somerset"]
    reref = row(rug, "REREF_PCT")
    by_la = {c.la_name: c for c in reref.cells}
    assert by_la["Somerset"].text == "30.0"
    assert by_la["Devon"].text == "c: suppressed (confidential)"
    # Cornwall only submitted: its 99.9 is not shown, nor counted in the region figure
    assert by_la["Cornwall"].text == "no data"
    assert "99.9" not in response.content.decode()
    assert reref.region == "30.0"  # Somerset only (Devon suppressed, Cornwall unapproved)


def test_rug_change_arrow_compares_with_same_quarter_last_year(client_for, world, reports):
    rug = rug_of(client_for(world.users["dcs"]).get(rug_url(world, period="2025-q1")))
    somerset = next(c for c in row(rug, "REREF_PCT").cells if c.la_name == "Somerset")
    assert somerset.change_text == "up 10.0 on a year earlier (worse)"
    eet = next(c for c in row(rug, "CL_EET_PCT").cells if c.la_name == "Somerset")
    assert eet.change_text == "no change on a year earlier"


def test_rug_bands_follow_polarity_and_scope(client_for, world, reports):
    client = client_for(world.users["performance_lead"])
    region_rug = rug_of(client.get(rug_url(world, period="2025-q1", scope="region")))
    eet = {c.la_name: c for c in row(region_rug, "CL_EET_PCT").cells}
    # high is good: Devon 60 is the best of the two approved values, Somerset 40 the worst
    assert (eet["Devon"].band, eet["Somerset"].band) == ("A", "D")
    assert eet["Devon"].rank == 1
    cla = {c.la_name: c for c in row(region_rug, "CLA_RATE").cells}
    assert cla["Somerset"].band is None  # no judgement: no band
    england_rug = rug_of(client.get(rug_url(world, period="2025-q1", scope="england")))
    eet_england = {c.la_name: c for c in row(england_rug, "CL_EET_PCT").cells}
    # against England's published 2024-25 spread (50, 55, 65) Devon's 60 is band B
    assert eet_england["Devon"].band == "B"
    assert row(england_rug, "CL_EET_PCT").england == "57"  # 170 / 300 = 56.7, summed, 0 dp


def test_other_region_sees_published_year_but_not_quarterly_data(client_for, world, reports):
    client = client_for(world.users["outsider"])
    assert client.get(rug_url(world, period="2025-q1")).status_code == 403
    response = client.get(rug_url(world))
    assert response.status_code == 200
    assert response.context["period"].slug == "2024"
    assert [p.slug for p in response.context["periods"]] == ["2024"]
    assert "Exception report" not in response.content.decode()  # the region's own business


def test_region_member_defaults_to_the_latest_quarter(client_for, world, reports):
    response = client_for(world.users["member"]).get(rug_url(world))
    assert response.context["period"].slug == "2025-q1"
    assert "Bands against" in response.content.decode()


def test_unknown_period_is_404(client_for, world, reports):
    assert client_for(world.users["dcs"]).get(rug_url(world, period="1999")).status_code == 404


def _grower(world, q1):
    made = []

    def grow(n):
        while len(made) + 3 < n:
            la = LocalAuthorityFactory(region=world.region)
            make_return(
                la,
                q1,
                values={"REREF_PCT": (20 + len(made) % 10, 200, 1000), "CL_EET_PCT": (50, 50, 100)},
            )
            if made:
                StatisticalNeighbourFactory(local_authority=la, neighbour=made[-1], rank=1)
            made.append(la)

    return grow


def test_rug_query_count_is_flat_from_5_to_153_las(client_for, world, reports):
    """The rug's queries do not grow with the number of LAs (and their values, neighbours)."""
    client = client_for(world.users["performance_lead"])
    small, large = assert_query_count_flat(
        client,
        rug_url(world, period="2025-q1"),
        _grower(world, reports["q1"]),
        small=5,
        large=153,
        budget=10,
    )
    assert small == large


@pytest.mark.parametrize("page", ["datapack", "exceptions"])
def test_datapack_and_exception_report_query_counts_are_flat(client_for, world, reports, page):
    if page == "datapack":
        url = reverse("benchmarking_reports:datapack", kwargs={"la_slug": world.home_la.slug})
    else:
        url = reverse("benchmarking_reports:exceptions", kwargs={"region_slug": world.region.slug})
    assert_query_count_flat(
        client_for(world.users["dcs"]),
        url + "?period=2025-q1",
        _grower(world, reports["q1"]),
        small=5,
        large=60,
        budget=10,
    )


def test_datapack_shows_trend_chart_table_and_summary(client_for, world, reports):
    url = reverse("benchmarking_reports:datapack", kwargs={"la_slug": world.home_la.slug})
    response = client_for(world.users["dcs"]).get(url + "?period=2025-q1")
    assert response.status_code == 200
    pack = response.context["pack"]
    assert pack.la_name == "Somerset"
    reref = next(i for i in pack.items if i.indicator.code == "REREF_PCT")
    assert [p.label for p in reref.trend] == ["2024-25 Q1", "2025-26 Q1"]
    assert [p.la for p in reref.trend] == [Decimal(20), Decimal(30)]
    html = response.content.decode()
    assert 'role="img"' in html
    assert "<title" in html
    assert "Trend as a table" in html
    assert any("Worse than a year earlier" in line for line in pack.summary)


def test_outsider_cannot_open_a_quarterly_datapack(client_for, world, reports):
    url = reverse("benchmarking_reports:datapack", kwargs={"la_slug": world.home_la.slug})
    assert client_for(world.users["outsider"]).get(url + "?period=2025-q1").status_code == 403
    assert client_for(world.users["outsider"]).get(url + "?period=2024").status_code == 200


def test_exception_report_lists_flags_and_who_is_missing_a_narrative(client_for, world, reports):
    url = reverse("benchmarking_reports:exceptions", kwargs={"region_slug": world.region.slug})
    response = client_for(world.users["programme_manager"]).get(
        url + "?period=2025-q1&scope=region"
    )
    assert response.status_code == 200
    flags = {(r.flag.la_name, r.indicator.code, r.flag.flag) for r in response.context["rows"]}
    assert ("Devon", "CL_EET_PCT", "top") in flags
    assert ("Somerset", "CL_EET_PCT", "bottom") in flags
    assert not any(code == "CLA_RATE" for _, code, _ in flags)  # no judgement, no flag
    assert len(response.context["missing"]) == len(flags)
    assert "Missing a narrative" in response.content.decode()


def test_dcs_writes_a_narrative_for_a_flagged_figure(client_for, world, reports, indicators):
    client = client_for(world.users["dcs"])
    url = reverse(
        "benchmarking_reports:narrative_edit",
        kwargs={"la_slug": "somerset", "period_slug": "2025-q1", "indicator_code": "CL_EET_PCT"},
    )
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"text": "Two large cohorts left care in March.", "scope": "region"}
    )
    assert response.status_code == 302
    narrative = ExceptionNarrative.objects.get()
    assert narrative.written_by == world.users["dcs"]
    report = client.get(response["Location"])
    assert "Two large cohorts left care in March." in report.content.decode()
    assert len(report.context["missing"]) == len(report.context["rows"]) - 1


def test_narrative_rules(client_for, world, reports):
    url = reverse(
        "benchmarking_reports:narrative_edit",
        kwargs={"la_slug": "somerset", "period_slug": "2025-q1", "indicator_code": "CL_EET_PCT"},
    )
    assert client_for(world.users["peer_dcs"]).post(url, {"text": "x"}).status_code == 403
    assert client_for(world.users["programme_manager"]).get(url).status_code == 403
    empty = client_for(world.users["performance_lead"]).post(url, {"text": "  "})
    assert empty.status_code == 400
    assert "Enter the narrative" in empty.content.decode()
    not_flagged = reverse(
        "benchmarking_reports:narrative_edit",
        kwargs={"la_slug": "somerset", "period_slug": "2025-q1", "indicator_code": "CLA_RATE"},
    )
    assert client_for(world.users["dcs"]).get(not_flagged).status_code == 404
    assert ExceptionNarrative.objects.count() == 0


def test_new_quarter_without_approved_returns_is_not_offered(client_for, world, reports):
    make_return(world.home_la, quarter(2025, 2), status="draft", values={"REREF_PCT": (1, 1, 100)})
    response = client_for(world.users["dcs"]).get(rug_url(world))
    assert [p.slug for p in response.context["periods"]] == [
        "2025-q1",
        "2024",
        "2024-q1",
    ]  # by end date


def test_outsider_defaults_to_the_newest_year_each_row_its_newest_data(client_for, world, reports):
    from tests.benchmarking.reports.factories import year

    # the newest year has only one value (like the workforce census filed ahead)
    make_return(world.other_la, year(2025), source="published", values={"CL_EET_PCT": (1, 1, 100)})
    response = client_for(world.users["outsider"]).get(rug_url(world))
    assert [p.slug for p in response.context["periods"]] == ["2025", "2024"]
    assert response.context["period"].slug == "2025"
    rug = rug_of(response)
    # a row with data in 2025-26 shows it; the others their newest year, labelled as DfE does
    assert row(rug, "CL_EET_PCT").period_label == "year ending 31 March 2026"
    assert row(rug, "REREF_PCT").period_label == "year ending 31 March 2025"
    assert "year ending 31 March 2025" in response.content.decode()
