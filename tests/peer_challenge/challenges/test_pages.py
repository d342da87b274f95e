"""Take-up pages and exports."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from peer_challenge import exports
from peer_challenge.models import (
    ChallengeStatus,
    Cycle,
)
from peer_challenge.services.challenges import challenge_create, challenge_update
from peer_challenge.services.cycles import cycle_create
from tests.helpers import assert_query_count_flat
from tests.peer_challenge import factories as f
from tests.regions.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def test_take_up_exports_neutralise_formulas(world, client_for):
    pm = world.users["programme_manager"]
    evil = LocalAuthorityFactory(region=world.region, name='=HYPERLINK("http://x")')
    cycle = cycle_create(
        actor=pm, region=world.region, kind="bilateral", year=2015, title="2015", questions=[]
    )
    challenge = challenge_create(
        actor=pm, cycle=cycle, home_la=evil, challenging_las=[world.home_la]
    )
    challenge_update(
        actor=pm,
        challenge=challenge,
        status=ChallengeStatus.COMPLETED,
        date=datetime.date(2015, 1, 1),
    )
    client = client_for(world.users["dcs"])
    csv_body = client.get(
        reverse("peer_challenge:take_up_export", kwargs={"slug": world.region.slug, "fmt": "csv"})
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_body
    assert "1 of 3" in csv_body
    xlsx = client.get(
        reverse("peer_challenge:take_up_export", kwargs={"slug": world.region.slug, "fmt": "xlsx"})
    )
    sheet = load_workbook(io.BytesIO(xlsx.content))["Take-up"]
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["B2"].data_type == "s"
    assert sheet["F2"].data_type == "n" and sheet["F2"].number_format == "0%"  # a rate, not text
    assert sheet["F2"].value == pytest.approx(1 / 3)
    assert sheet["A2"].value == 2015 and sheet["A2"].data_type == "n"
    page = client.get(reverse("peer_challenge:take_up", kwargs={"slug": world.region.slug}))
    assert "1 of 3 (33%)" in page.content.decode()


def test_neutralise_leaves_ordinary_text_alone():
    assert exports.neutralise("Somerset") == "Somerset"
    assert exports.neutralise("+44") == "'+44"
    assert exports.neutralise(2015) == 2015


def test_take_up_and_dashboard_query_counts_are_flat(world, client_for):
    pm = world.users["programme_manager"]
    years = iter(range(2000, 2100))

    def grow(n):
        while Cycle.objects.filter(kind="bilateral").count() < n:
            cycle = cycle_create(
                actor=pm,
                region=world.region,
                kind="bilateral",
                year=next(years),
                title="b",
                questions=[],
            )
            challenge = challenge_create(
                actor=pm, cycle=cycle, home_la=world.home_la, challenging_las=[world.peer_la]
            )
            challenge_update(
                actor=pm, challenge=challenge, status="completed", date=datetime.date(2015, 1, 1)
            )
        f.annual_cycle(world, year=next(years))

    client = client_for(pm)
    url = reverse("peer_challenge:take_up", kwargs={"slug": world.region.slug})
    assert_query_count_flat(client, url, grow, small=2, large=8, budget=15)
    assert_query_count_flat(
        client, "/", lambda n: f.annual_cycle(world, year=next(years)), small=1, large=5, budget=10
    )
    assert_query_count_flat(
        client, reverse("peer_challenge:index"), lambda n: grow(n + 8), small=1, large=4, budget=12
    )
