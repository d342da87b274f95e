"""Rug and datapack for reading: the viewer's LA pinned first and highlighted, headers that
wrap, plain-English notes, round axis ticks, and an empty datapack that says so."""

from decimal import Decimal

from benchmarking.domain.charts import Series, nice_ticks, trend_chart
from benchmarking.domain.computation import SummaryInput, summarise
from tests.benchmarking.reports.test_pages import rug_url


def test_rug_pins_and_highlights_the_viewers_own_la(client_for, world, reports):
    html = client_for(world.users["performance_lead"]).get(rug_url(world, period="2025-q1"))
    text = html.content.decode()
    heads = text.split('<th scope="col" class="la')[1:]
    assert "Somerset" in heads[0] and heads[0].startswith(' own"')  # home LA first
    assert "Cornwall" in heads[1] and "Devon" in heads[2]
    assert "Your local authority is the first, highlighted column." in text
    assert "writing-mode" not in text
    assert "R's default quantile" not in text and "type 7" not in text
    assert "split into four groups of the same size" in text


def test_rug_for_someone_without_an_la_keeps_name_order(client_for, world, reports):
    text = client_for(world.users["programme_manager"]).get(rug_url(world, period="2025-q1"))
    heads = text.content.decode().split('<th scope="col" class="la')[1:]
    assert ["Cornwall" in heads[0], "Devon" in heads[1], "Somerset" in heads[2]] == [True] * 3
    assert "highlighted column" not in text.content.decode()


def test_chart_axes_use_round_numbers():
    assert nice_ticks([Decimal(49), Decimal("58.6")]) == [45, 50, 55, 60]
    assert nice_ticks([Decimal("0.31"), Decimal("0.88")]) == [0.2, 0.4, 0.6, 0.8, 1.0]
    svg = trend_chart(
        title="t",
        labels=["Q1", "Q2", "Q3"],
        series=[Series("LA", [Decimal(49), Decimal(52), Decimal(59)], "#000")],
    )
    for label in (">45<", ">50<", ">55<", ">60<"):
        assert label in svg
    assert ">49<" not in svg and ">54<" not in svg


def test_an_empty_datapack_says_there_is_no_data():
    empty = [SummaryInput("Referrals", None, None, None, has_value=False)]
    assert summarise(empty) == [
        "There is no data for this period: no approved return and no published figures."
    ]
    quiet = [SummaryInput("Referrals", None, None, None, has_value=True)]
    assert "middle two quartiles" in summarise(quiet)[0]


def test_exception_report_lists_each_flag_once_and_exports_typed_cells(client_for, world, reports):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    client = client_for(world.users["programme_manager"])
    page = client.get(
        reverse("benchmarking_reports:exceptions", kwargs={"region_slug": world.region.slug})
        + "?period=2025-q1"
    ).content.decode()
    flagged = page.count("Top 20%<") + page.count("Bottom 20%<")
    url = reverse(
        "benchmarking_reports:exceptions_export",
        kwargs={"region_slug": world.region.slug, "fmt": "xlsx"},
    )
    book = load_workbook(io.BytesIO(client.get(url + "?period=2025-q1").content))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == flagged
    assert len({(r[0], r[1]) for r in rows}) == len(rows)  # each flag once
    assert all(isinstance(r[2], float | int) or r[2] is None for r in rows)  # numbers, not text


def test_completeness_grid_exports_dates_as_dates(client_for, world, indicators):
    import datetime
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from benchmarking import services
    from benchmarking.models import Return
    from tests.benchmarking.factories import open_quarter
    from tests.benchmarking.factories import upload as _upload

    period = open_quarter(world.region)
    _upload(world, period)
    services.return_submit(
        actor=world.users["performance_lead"], return_id=Return.objects.get(period=period).pk
    )
    url = reverse(
        "benchmarking:completeness_export",
        kwargs={"region_slug": world.region.slug, "period_slug": period.slug, "fmt": "xlsx"},
    )
    book = load_workbook(io.BytesIO(client_for(world.users["programme_manager"]).get(url).content))
    rows = {r[0]: r for r in book.active.iter_rows(min_row=2, values_only=True)}
    assert rows["Somerset"][1] == "Submitted"
    assert isinstance(rows["Somerset"][3], datetime.datetime)
