"""The reporting rate: each LA's returns on time across quarters, as a page and typed files."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from benchmarking import exports
from benchmarking.domain.reporting import LATE, MISSING, NOT_DUE, ON_TIME, Quarter, reporting_rate
from benchmarking.models import Return
from tests.benchmarking.factories import open_quarter, upload
from tests.regions.factories import LocalAuthorityFactory

DAY = datetime.date


def _table():
    quarters = [Quarter("2025-26 Q3", DAY(2026, 2, 10)), Quarter("2025-26 Q4", DAY(2026, 5, 12))]
    return reporting_rate(
        region="South West",
        quarters=quarters,
        las=[("E1", "Avon"), ("E2", "Bath")],
        submitted={
            ("E1", "2025-26 Q3"): DAY(2026, 2, 10),
            ("E1", "2025-26 Q4"): DAY(2026, 5, 13),
            ("E2", "2025-26 Q4"): DAY(2026, 5, 1),
        },
        today=DAY(2026, 3, 1),
    )


def test_on_time_is_by_the_due_date_and_quarters_not_due_are_left_out():
    table = _table()
    avon, bath = table.rows
    assert [c.state for c in avon.cells] == [ON_TIME, LATE]
    assert [c.state for c in bath.cells] == [MISSING, ON_TIME]
    assert (avon.on_time, avon.counted, avon.rate) == (1, 2, Decimal("0.500"))
    assert (table.on_time, table.counted, table.rate) == (2, 4, Decimal("0.500"))
    pending = reporting_rate(
        region="R",
        quarters=table.quarters[1:],
        las=[("E3", "Cam")],
        submitted={},
        today=DAY(2026, 5, 1),
    )
    assert pending.rows[0].cells[0].state == NOT_DUE and pending.rows[0].rate is None


def test_exports_are_typed_dates_and_numbers():
    table = _table()
    book = load_workbook(io.BytesIO(exports.reporting_rate_xlsx(table)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-3:] == ["On time", "Quarters due", "On-time rate"]
    avon = list(sheet[2])
    assert avon[1].value == "Avon"
    assert avon[3].value == datetime.datetime(2026, 2, 10)  # an Excel date
    assert avon[-1].value == 0.5 and avon[-1].number_format == "0.0%"
    assert avon[-2].value == 2 and isinstance(avon[-2].value, int)
    assert [c.value for c in sheet[4]][-3:] == [2, 4, 0.5]
    rows = list(csv.reader(io.StringIO(exports.reporting_rate_csv(table).decode("utf-8-sig"))))
    assert rows[1][:6] == ["E1", "Avon", "On time", "2026-02-10", "Late", "2026-05-13"]
    assert rows[1][-1] == "0.500" and rows[2][2:4] == ["Not submitted", ""]


def _grow(world, size):
    for _ in range(size):
        LocalAuthorityFactory(region=world.region)
    for n in range(size):
        open_quarter(world.region, fiscal_year=2024, quarter=n % 4 + 1)


@pytest.mark.parametrize("size", [1, 5])
def test_page_shows_each_la_rate_with_flat_queries(
    size, world, quarter, client_for, django_assert_max_num_queries
):
    _grow(world, size)
    upload(world, quarter)
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    Return.objects.filter(pk=ret.pk).update(status="submitted", submitted_at=timezone.now())
    client = client_for(world.users["dcs"])
    url = reverse("benchmarking:reporting_rate", kwargs={"region_slug": world.region.slug})
    with django_assert_max_num_queries(9):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.count('<th scope="row"')
        == world.region.local_authorities.filter(is_active=True).count()
    )
    assert "On time" in html and quarter.label in html
    xlsx = client.get(
        reverse(
            "benchmarking:reporting_rate_export",
            kwargs={"region_slug": world.region.slug, "fmt": "xlsx"},
        )
    )
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_other_regions_people_may_not_see_it(world, quarter, client_for):
    client = client_for(world.users["outsider"])
    url = reverse("benchmarking:reporting_rate", kwargs={"region_slug": world.region.slug})
    assert client.get(url).status_code == 403
