"""Exports and charts are pure: a report structure in, bytes or markup out."""

import csv
import io
import re
import zipfile
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from benchmarking import report_exports as exports
from benchmarking.charts import SERIES_STYLES, Series, trend_chart
from benchmarking.computation import Cell, IndicatorSpec, Polarity
from benchmarking.report_data import (
    BAND_STYLE,
    IndicatorData,
    IndicatorInfo,
    LaColumn,
    build_datapack,
    build_datapacks,
    build_rug,
)


def synthetic(n_las=24, n_indicators=18, evil_name=False):
    columns = [LaColumn(i, f"Longish Borough Council {i}") for i in range(n_las)]
    data = []
    for j in range(n_indicators):
        polarity = [Polarity.HIGH, Polarity.LOW, Polarity.NONE][j % 3]
        name = f"Indicator number {j} with a realistic long name (%)"
        if evil_name and j == 0:
            name = '=HYPERLINK("http://evil.example","click")'
        info = IndicatorInfo(
            IndicatorSpec(f"I{j}", polarity, 1, D(100)), name, f"Theme {j // 5}", "Percentage"
        )
        cells = {
            i: (
                Cell(suppressed="c")
                if (i + j) % 11 == 0
                else Cell(value=D(10 + (i * 7 + j * 3) % 50), numerator=D(i + 1), denominator=D(10))
            )
            for i in range(n_las)
        }
        prev = {i: Cell(value=D(12 + (i * 5) % 40)) for i in range(n_las)}
        data.append(
            IndicatorData(info=info, region_cells=cells, england_cells=cells, previous=prev)
        )
    neighbours = {i: [(i + k) % n_las for k in range(1, 11)] for i in range(n_las)}
    return columns, data, neighbours


def make_rug(**kwargs):
    columns, data, neighbours = synthetic(**kwargs)
    return build_rug(
        data,
        title="South West tartan rug",
        period="2025-26 Q1",
        scope="region",
        region_name="South West",
        columns=columns,
        neighbours=neighbours,
        notes=["Bands: type 7 quartiles."],
    )


def test_rug_pdf_fits_24_las_by_18_indicators_on_one_landscape_page():
    pdf = exports.rug_pdf(make_rug())
    assert pdf.data.startswith(b"%PDF")
    assert pdf.pages == 1


def test_xlsx_has_band_fills_letter_cues_and_numbers():
    rug = make_rug(n_las=5, n_indicators=3)
    wb = load_workbook(io.BytesIO(exports.rug_xlsx(rug)))
    ws = wb["Tartan rug"]
    header = [c.value for c in ws[3]]
    assert header[:7] == [
        "Theme",
        "Indicator",
        "Unit",
        "Polarity",
        "England",
        "South West",
        "Longish Borough Council 0",
    ]
    first_la_col = header.index("Longish Borough Council 0") + 1
    banded = [
        (ws.cell(row=r, column=c), cell)
        for r, rug_row in zip(range(4, 7), rug.rows, strict=True)
        for c, cell in zip(range(first_la_col, first_la_col + 5), rug_row.cells, strict=True)
        if cell.band
    ]
    assert banded
    for xl, cell in banded:
        assert xl.fill.fgColor.rgb.endswith(BAND_STYLE[cell.band]["fill"])
        assert f'{cell.band}"' in xl.number_format  # the letter shows without colour
        assert isinstance(xl.value, int | float)
    assert "Neighbour averages" in wb.sheetnames


def test_suppressed_values_export_as_text_never_zero():
    rug = make_rug(n_las=12, n_indicators=1)
    rows = list(csv.reader(io.StringIO(exports.rug_csv(rug).decode("utf-8-sig"))))
    values = rows[2][6 : 6 + 12]
    assert "suppressed" in values
    assert "0" not in values


def test_formulas_are_neutralised_in_csv_and_xlsx():
    rug = make_rug(n_las=3, n_indicators=2, evil_name=True)
    text = exports.rug_csv(rug).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    wb = load_workbook(io.BytesIO(exports.rug_xlsx(rug)))
    names = [c.value for c in wb["Tartan rug"]["B"]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in names)


@pytest.mark.parametrize("raw", ["=1+1", "+1", "-cmd", "@SUM(A1)", "\t=1", "\r=1"])
def test_neutralise_prefixes_every_formula_trigger(raw):
    assert exports.neutralise(raw) == "'" + raw
    assert exports.neutralise("Bristol, City of") == "Bristol, City of"
    assert exports.neutralise(-2.5) == -2.5


def test_trend_chart_is_accessible_and_shows_gaps():
    svg = trend_chart(
        title="Re-referrals <12 months>",
        labels=["Q1", "Q2", "Q3"],
        series=[
            Series("Somerset", [D(20), None, D(30)], **SERIES_STYLES["la"]),
            Series("England", [D(22), D(22), D(23)], **SERIES_STYLES["england"]),
        ],
        places=1,
    )
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "Re-referrals &lt;12 months&gt;" in svg
    assert "<desc" in svg
    assert "Somerset: 20.0 in Q1, 30.0 in Q3" in svg
    # the missing Q2 breaks the LA's line instead of drawing it through zero
    assert svg.count("<polyline") == 1
    assert 'stroke-dasharray="10 4 2 4"' in svg  # England differs by pattern, not just colour


def test_datapack_pdf_and_region_zip():
    columns, data, neighbours = synthetic(n_las=3, n_indicators=2)
    packs = [
        build_datapack(
            la=col,
            region_name="South West",
            period="2025-26 Q1",
            scope="region",
            columns=columns,
            neighbours=neighbours,
            series=[("2024-25 Q1", data), ("2025-26 Q1", data)],
        )
        for col in columns
    ]
    single = exports.datapack_pdf(packs[0])
    assert single.pages >= 1
    whole = exports.region_pack_pdf(packs)
    assert whole.pages >= 3  # one section per LA, each from a new page
    archive = zipfile.ZipFile(io.BytesIO(exports.region_pack_zip(packs)))
    assert sorted(archive.namelist()) == [
        f"datapack-longish-borough-council-{i}-2025-26-q1.pdf" for i in range(3)
    ]
    assert archive.read(archive.namelist()[0]).startswith(b"%PDF")


def test_build_datapacks_gives_each_la_the_same_pack_as_build_datapack():
    columns, data, neighbours = synthetic(n_las=5, n_indicators=3)
    series = [("2024-25 Q1", data), ("2025-26 Q1", data)]
    common = {"region_name": "South West", "period": "2025-26 Q1", "scope": "region"}
    together = build_datapacks(las=columns, neighbours=neighbours, series=series, **common)
    one_by_one = [
        build_datapack(la=la, columns=columns, neighbours=neighbours, series=series, **common)
        for la in columns
    ]
    assert together == one_by_one
    assert [p.la_name for p in together] == [c.name for c in columns]
    assert together[0] != together[1]


def test_trend_chart_thins_period_labels_that_would_overlap_and_keeps_the_latest():
    labels = [f"20{y}-{y + 1} Q{q}" for y in (24, 25) for q in (1, 2, 3, 4)]
    series = [Series("Somerset", [D(i) for i in range(8)], **SERIES_STYLES["la"])]
    svg = trend_chart(title="t", labels=labels, series=series, width=560)
    shown = [label for label in labels if f">{label}</text>" in svg]
    assert shown == labels[1::2]  # every other one, counting back from the latest
    years = trend_chart(title="t", labels=["2021-22", "2022-23", "2023-24"], series=series)
    assert all(f">{y}</text>" in years for y in ["2021-22", "2022-23", "2023-24"])


def test_trend_chart_without_legend_has_no_key_text_but_every_marker():
    series = [
        Series("Somerset", [D(1), D(2), D(3)], **SERIES_STYLES["la"]),
        Series("England", [D(2), None, D(2)], **SERIES_STYLES["england"]),
    ]
    with_key = trend_chart(title="t", labels=["Q1", "Q2", "Q3"], series=series)
    without = trend_chart(title="t", labels=["Q1", "Q2", "Q3"], series=series, legend=False)
    assert ">Somerset</text>" in with_key and ">Somerset</text>" not in without
    # one path of markers a series: three circles for Somerset, two triangles for England
    markers = re.findall(r'<path d="([^"]*)" fill="#', without)
    assert [m.count("M") for m in markers] == [3, 2]
