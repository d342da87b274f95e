"""Indicators linked to a plan priority: who links them, and the trend a viewer sees."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from benchmarking.domain.charts import mini_trend
from benchmarking.models import Indicator, PriorityIndicator, Status
from benchmarking.services import priority_links as priority_services
from tests.benchmarking.priority_links.factories import (
    link,
    make_return,
    priority_in,
    quarters_back,
    year,
)
from tests.helpers import assert_query_count_flat
from tests.regions.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def _local_indicator(region, code):
    return Indicator.objects.create(
        code=code,
        name=f"Local measure {code}",
        short_name=code,
        definition="A region's own measure.",
        unit="count",
        theme="local",
        region=region,
    )


def _page(client_for, user, priority):
    response = client_for(user).get(reverse("regions:priority_detail", kwargs={"pk": priority.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _row(html, name):
    """The table row of the indicator named ``name``."""
    match = re.search(
        r"<tr[^>]*>\s*<th scope=\"row\"[^>]*>" + re.escape(name) + r".*?</tr>", html, re.S
    )
    assert match, f"no row for {name}"
    return match.group(0)


# --- services and permissions --------------------------------------------------------------------


def test_programme_manager_links_indicators_in_order_and_linking_twice_keeps_one(
    world, priority, indicators
):
    pm = world.users["programme_manager"]
    first = priority_services.priority_indicator_link(
        actor=pm, priority=priority, indicator=indicators["CPP_SUBSEQUENT_PCT"]
    )
    second = priority_services.priority_indicator_link(
        actor=pm, priority=priority, indicator=indicators["REREF_PCT"]
    )
    again = priority_services.priority_indicator_link(
        actor=pm, priority=priority, indicator=indicators["CPP_SUBSEQUENT_PCT"]
    )
    assert again.pk == first.pk
    assert [link.indicator.code for link in priority.indicator_links.order_by("order")] == [
        "CPP_SUBSEQUENT_PCT",
        "REREF_PCT",
    ]
    assert (first.order, second.order, first.linked_by) == (1, 2, pm)


def test_the_database_refuses_a_second_link_of_the_same_indicator(priority, indicators):
    from django.db import IntegrityError, transaction

    link(priority, indicators["CLA_RATE"])
    with pytest.raises(IntegrityError, match="priority_indicator_once"), transaction.atomic():
        link(priority, indicators["CLA_RATE"], order=2)


@pytest.mark.parametrize("persona", ["dcs", "performance_lead", "member", "peer_dcs", "outsider"])
def test_only_the_programme_manager_or_admin_links_and_unlinks(
    world, priority, indicators, persona
):
    user = world.users[persona]
    with pytest.raises(PermissionDenied):
        priority_services.priority_indicator_link(
            actor=user, priority=priority, indicator=indicators["CLA_RATE"]
        )
    link(priority, indicators["CLA_RATE"])
    with pytest.raises(PermissionDenied):
        priority_services.priority_indicator_unlink(
            actor=user, priority=priority, indicator=indicators["CLA_RATE"]
        )
    assert priority.indicator_links.count() == 1
    priority_services.priority_indicator_link(
        actor=world.users["admin"], priority=priority, indicator=indicators["REREF_PCT"]
    )
    assert priority_services.priority_indicator_unlink(
        actor=world.users["admin"], priority=priority, indicator=indicators["CLA_RATE"]
    )
    assert [link.indicator.code for link in priority.indicator_links.all()] == ["REREF_PCT"]


def test_another_regions_programme_manager_cannot_link(world, indicators):
    other = priority_in(world.other_region)
    with pytest.raises(PermissionDenied):
        priority_services.priority_indicator_link(
            actor=world.users["programme_manager"], priority=other, indicator=indicators["CLA_RATE"]
        )


def test_a_local_indicator_links_only_to_its_own_regions_priorities(world, priority, indicators):
    pm = world.users["programme_manager"]
    own = _local_indicator(world.region, "SW_EDGE_CASES")
    theirs = _local_indicator(world.other_region, "SE_LOCAL")
    priority_services.priority_indicator_link(actor=pm, priority=priority, indicator=own)
    with pytest.raises(ValidationError, match="core indicator or one of this region"):
        priority_services.priority_indicator_link(actor=pm, priority=priority, indicator=theirs)
    assert [link.indicator.code for link in priority.indicator_links.all()] == ["SW_EDGE_CASES"]


# --- the form on the priority page ---------------------------------------------------------------


def test_programme_manager_links_and_unlinks_from_the_priority_page(world, priority, client_for):
    client = client_for(world.users["programme_manager"])
    url = reverse("benchmarking:priority_indicator_link", kwargs={"pk": priority.pk})
    response = client.post(url, {"indicator": "CLA_RATE"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    name = Indicator.objects.get(code="CLA_RATE").name
    assert f"Linked {name} to this priority." in html
    assert "No data yet" in _row(html, name)
    unlink = reverse(
        "benchmarking:priority_indicator_unlink", kwargs={"pk": priority.pk, "code": "CLA_RATE"}
    )
    response = client.post(unlink, follow=True)
    assert "No indicators are linked to this priority." in response.content.decode()
    assert not PriorityIndicator.objects.exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Choose an indicator to link."),
        ("NOT_A_CODE", "That indicator cannot be linked here"),
        ("SE_LOCAL", "That indicator cannot be linked here"),
    ],
)
def test_a_bad_choice_is_refused_with_a_message_and_changes_nothing(
    world, priority, client_for, code, message
):
    _local_indicator(world.other_region, "SE_LOCAL")
    response = client_for(world.users["programme_manager"]).post(
        reverse("benchmarking:priority_indicator_link", kwargs={"pk": priority.pk}),
        {"indicator": code},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PriorityIndicator.objects.exists()


def test_linking_an_already_linked_indicator_from_the_form_is_refused(world, priority, client_for):
    link(priority, Indicator.objects.get(code="CLA_RATE"))
    response = client_for(world.users["programme_manager"]).post(
        reverse("benchmarking:priority_indicator_link", kwargs={"pk": priority.pk}),
        {"indicator": "CLA_RATE"},
    )
    assert response.status_code == 400
    assert PriorityIndicator.objects.count() == 1


def test_only_the_programme_manager_sees_the_link_form(world, priority, client_for):
    link(priority, Indicator.objects.get(code="CLA_RATE"))
    assert "Link indicator" in _page(client_for, world.users["programme_manager"], priority)
    member_page = _page(client_for, world.users["member"], priority)
    assert "Link indicator" not in member_page
    assert "Unlink" not in member_page
    assert Indicator.objects.get(code="CLA_RATE").name in member_page


def test_without_links_a_member_reads_that_none_are_linked(world, priority, client_for):
    html = _page(client_for, world.users["member"], priority)
    assert "No indicators are linked to this priority." in html
    assert "Link indicator" not in html


# --- the trend a viewer sees ---------------------------------------------------------------------


@pytest.fixture
def reref_data(world, priority, indicators):
    """Eight quarters of approved returns for Somerset and Devon, with a submitted (unapproved)
    return from a third LA of the region and published England figures for 2024-25."""
    third = LocalAuthorityFactory(name="Dorset", slug="dorset", region=world.region)
    quarters = quarters_back(8)
    for i, period in enumerate(quarters):
        # Somerset 10+i of 100 referrals, Devon 30 of 100: region (40+i)/200
        make_return(world.home_la, period, values={"REREF_PCT": (10 + i, 10 + i, 100)})
        make_return(world.peer_la, period, values={"REREF_PCT": (30, 30, 100)})
    make_return(third, quarters[-1], status=Status.SUBMITTED, values={"REREF_PCT": (90, 900, 1000)})
    published = year(2024)
    make_return(world.home_la, published, source="published", values={"REREF_PCT": (20, 20, 100)})
    make_return(world.peer_la, published, source="published", values={"REREF_PCT": (20, 20, 100)})
    make_return(world.other_la, published, source="published", values={"REREF_PCT": (50, 150, 300)})
    link(priority, indicators["REREF_PCT"])
    return quarters


def test_region_member_sees_the_region_trend_from_approved_returns_against_england(
    world, priority, reref_data, client_for
):
    html = _page(client_for, world.users["member"], priority)
    row = _row(html, Indicator.objects.get(code="REREF_PCT").name)
    # latest quarter 2025-26 Q4: (17 + 30) / 200 = 23.5%; the unapproved Dorset return is left out
    assert "<strong>23.5%</strong>" in row
    assert "2025-26 Q4" in row
    # England: published 2024-25, (20 + 20 + 150) / 500 = 38.0%
    assert '38.0% <span class="govuk-body-s">(published 2024-25)</span>' in row
    assert "Region below England" in row
    assert "approved returns, last 8 quarters" in row
    assert 'role="img"' in row and "<title" in row
    # every quarter is in the chart's description, oldest first
    assert "2024-25 Q1: 20.0" in row
    assert "2025-26 Q4: 23.5" in row
    assert reverse("benchmarking:indicator_detail", kwargs={"code": "REREF_PCT"}) in row
    assert (
        reverse("benchmarking_reports:rug", kwargs={"region_slug": "south-west"})
        + "?period=2025-q4"
        in row
    )


def test_unapproved_quarters_never_show_even_to_the_programme_manager(
    world, priority, reref_data, client_for
):
    # Somerset's latest quarter goes back to submitted: the region figure is Devon's alone
    make_return(world.home_la, reref_data[-1], status=Status.SUBMITTED)
    row = _row(
        _page(client_for, world.users["programme_manager"], priority),
        Indicator.objects.get(code="REREF_PCT").name,
    )
    assert "<strong>30.0%</strong>" in row


def test_with_no_approved_quarters_the_trend_falls_back_to_published_years(
    world, priority, indicators, client_for
):
    for fy, (num, den) in zip(
        range(2019, 2025),
        [(5, 100), (6, 100), (7, 100), (8, 100), (9, 100), (10, 100)],
        strict=True,
    ):
        make_return(
            world.home_la,
            year(fy),
            source="published",
            values={"CPP_SUBSEQUENT_PCT": (num, num, den)},
        )
    make_return(
        world.other_la, year(2024), source="published", values={"CPP_SUBSEQUENT_PCT": (30, 30, 100)}
    )
    # a draft quarter of Somerset's own return is not the region's figure
    make_return(
        world.home_la,
        quarters_back(1)[0],
        status=Status.DRAFT,
        values={"CPP_SUBSEQUENT_PCT": (99, 99, 100)},
    )
    link(priority, indicators["CPP_SUBSEQUENT_PCT"])
    row = _row(
        _page(client_for, world.users["dcs"], priority), indicators["CPP_SUBSEQUENT_PCT"].name
    )
    assert "published figures, last 5 years" in row
    assert "<strong>10.0%</strong>" in row and "(2024-25)" in row
    assert "2019-20" not in row and "2020-21: 6.0" in row
    assert '20.0% <span class="govuk-body-s">(2024-25)</span>' in row
    assert "99" not in re.sub(r"<svg.*?</svg>", "", row, flags=re.S)


def test_mini_trend_is_an_accessible_image_that_lists_its_values():
    svg = mini_trend(
        title="Re-referrals: region trend",
        labels=["2025-26 Q1", "2025-26 Q2", "2025-26 Q3"],
        values=[Decimal("20.04"), None, Decimal("23.5")],
        places=1,
        unit="Percentage",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    assert all(f'id="{i}"' in svg for i in ids)
    assert "<title" in svg and "Re-referrals: region trend</title>" in svg
    assert "2025-26 Q1: 20.0; 2025-26 Q3: 23.5 (Percentage)</desc>" in svg
    assert svg.count("<circle") == 2


def test_priority_page_queries_stay_flat_as_links_grow(world, priority, indicators, client_for):
    codes = ["REREF_PCT", "CPP_SUBSEQUENT_PCT", "CLA_RATE", "CLA_LONG_STABLE_PCT", "CPP_RATE"]
    for period in quarters_back(8):
        for la in (world.home_la, world.peer_la):
            make_return(la, period, values=dict.fromkeys(codes, (10, 10, 100)))

    def grow(n):
        for i, code in enumerate(codes[:n]):
            PriorityIndicator.objects.get_or_create(
                priority=priority, indicator=indicators[code], defaults={"order": i}
            )

    url = reverse("regions:priority_detail", kwargs={"pk": priority.pk})
    small, large = assert_query_count_flat(
        client_for(world.users["programme_manager"]), url, grow, small=1, large=5, budget=30
    )
    print(f"priority page queries: {small} with 1 linked indicator, {large} with 5")


def test_priority_page_queries_stay_flat_as_quarters_grow(world, priority, indicators, client_for):
    link(priority, indicators["REREF_PCT"])
    link(priority, indicators["CLA_RATE"], order=2)
    quarters = quarters_back(8)

    def grow(n):
        for period in quarters[-n:]:
            for la in (world.home_la, world.peer_la):
                make_return(
                    la, period, values={"REREF_PCT": (10, 10, 100), "CLA_RATE": (50, 5, 1000)}
                )

    url = reverse("regions:priority_detail", kwargs={"pk": priority.pk})
    small, large = assert_query_count_flat(
        client_for(world.users["member"]), url, grow, small=2, large=8, budget=30
    )
    print(f"priority page queries: {small} with 2 quarters, {large} with 8")
