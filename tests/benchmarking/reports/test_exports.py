"""Exports and charts are pure: a report structure in, bytes or markup out."""

import csv
import io
import re
import zipfile
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook
from pypdf import PdfReader

from benchmarking.domain import exports
from benchmarking.domain.charts import SERIES_STYLES, Series, trend_chart
from benchmarking.domain.computation import Cell, IndicatorSpec, Polarity, format_value
from benchmarking.domain.reports import (
    BAND_STYLE,
    IndicatorData,
    IndicatorInfo,
    LaColumn,
    build_datapacks,
    build_rug,
)
from benchmarking.templatetags.benchmarking_reports import trend_image, trend_text


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
    assert "c: suppressed (confidential)" in values
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
        build_datapacks(
            las=[col],
            region_name="South West",
            period="2025-26 Q1",
            scope="region",
            neighbours=neighbours,
            series=[("2024-25 Q1", data), ("2025-26 Q1", data)],
        )[0]
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


QUARTERS = ["2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2"]


def make_packs(n_las=3, n_indicators=4, labels=QUARTERS):
    columns, data, neighbours = synthetic(n_las=n_las, n_indicators=n_indicators)
    return build_datapacks(
        las=columns,
        region_name="South West",
        period=labels[-1],
        scope="region",
        neighbours=neighbours,
        series=[(label, data) for label in labels],
    )


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_datapack_pdf_shows_every_indicator_band_and_trend_value():
    pack = make_packs(n_indicators=6)[0]
    text = "\n".join(pdf_text(exports.datapack_pdf(pack).data))
    assert f"{pack.la_name}: benchmarking datapack" in text
    for item in pack.items:
        places = item.indicator.spec.decimal_places
        assert item.indicator.name in text
        cue = f"{item.latest.style['shape']}{item.latest.band}" if item.latest.band else "No band"
        assert cue in text
        # every row of the trend table, its values in period order
        for name, values in [
            (pack.la_name, [p.la for p in item.trend]),
            ("Statistical neighbours", [p.neighbours for p in item.trend]),
            ("England", [p.england for p in item.trend]),
        ]:
            shown = "\\s+".join(re.escape(format_value(v, places)) for v in values)
            assert re.search(re.escape(name) + r"\s+" + shown, text), (item.indicator.name, name)
    assert "Key to the charts" in text


def test_region_pack_zip_has_one_pdf_per_la_with_that_las_datapack():
    packs = make_packs(n_las=3, n_indicators=2)
    archive = zipfile.ZipFile(io.BytesIO(exports.region_pack_zip(packs)))
    names = archive.namelist()
    assert len(names) == 3
    for pack, name in zip(packs, names, strict=True):
        assert name == f"datapack-{pack.la_name.lower().replace(' ', '-')}-2025-26-q2.pdf"
        text = "\n".join(pdf_text(archive.read(name)))
        assert f"{pack.la_name}: benchmarking datapack" in text
        others = [p.la_name for p in packs if p is not pack]
        assert not any(f"{other}: benchmarking datapack" in text for other in others)


def test_region_pack_pdf_starts_each_la_on_a_new_page():
    packs = make_packs(n_las=3, n_indicators=4)
    whole = exports.region_pack_pdf(packs)
    singles = [exports.datapack_pdf(pack) for pack in packs]
    assert whole.pages == sum(pdf.pages for pdf in singles)
    pages = pdf_text(whole.data)
    first = 0
    for pack, single in zip(packs, singles, strict=True):
        assert f"{pack.la_name}: benchmarking datapack" in pages[first]
        first += single.pages


def test_build_datapacks_gives_each_la_the_same_pack_as_building_it_alone():
    columns, data, neighbours = synthetic(n_las=5, n_indicators=3)
    series = [("2024-25 Q1", data), ("2025-26 Q1", data)]
    common = {"region_name": "South West", "period": "2025-26 Q1", "scope": "region"}
    together = build_datapacks(las=columns, neighbours=neighbours, series=series, **common)
    one_by_one = [
        build_datapacks(las=[la], neighbours=neighbours, series=series, **common)[0]
        for la in columns
    ]
    assert together == one_by_one
    assert [p.la_name for p in together] == [c.name for c in columns]
    assert together[0] != together[1]


def test_datapack_pdf_html_stays_lean():
    """WeasyPrint's time goes on boxes (a table cell, a line, an SVG node): a datapack is a
    few elements an indicator, not two tables of cells and an inline SVG of ~70 nodes."""
    pack = make_packs(n_las=3, n_indicators=18, labels=[f"2025-26 Q{q}" for q in (1, 2, 3, 4)])[0]
    html = render_to_string("benchmarking/reports/datapack_pdf.html", {"packs": [pack]})
    body = html[html.index("<body>") :]
    assert "<table" not in body and "<svg" not in body
    assert len(re.findall(r"<[a-z]", body)) <= 10 * len(pack.items) + 30


def test_trend_table_text_lines_up_each_period_over_its_values():
    pack = make_packs(n_indicators=1)[0]
    item = pack.items[0]
    lines = trend_text(item, pack.la_name)
    assert [line.split()[0] for line in lines[1:]] == [
        "Longish",
        "Statistical",
        "Region",
        "England",
    ]
    header = lines[0]
    for p in item.trend:
        end = header.index(p.label) + len(p.label)
        la_value = format_value(p.la, item.indicator.spec.decimal_places)
        # the LA's value for the period ends in the same column as the period's label
        assert lines[1][end - len(la_value) : end] == la_value


def test_pdf_chart_is_an_image_with_the_charts_words_as_alt_text():
    item = make_packs(n_indicators=1)[0].items[0]
    img = str(trend_image(item, "Somerset", 560, 170, legend=False))
    assert img.startswith('<img class="trend-chart" src="data:image/svg+xml;base64,')
    alt = re.search(r'alt="([^"]*)"', img).group(1)
    assert alt.startswith(f"{item.indicator.name}: trend for Somerset. Somerset: ")
    assert "England: " in alt


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


def test_every_rug_figure_in_xlsx_is_a_number_or_an_empty_cell_with_its_reason():
    rug = make_rug(n_las=12, n_indicators=3)
    ws = load_workbook(io.BytesIO(exports.rug_xlsx(rug)))["Tartan rug"]
    header = [c.value for c in ws[3]]
    first_figure = header.index("England") + 1
    suppressed = 0
    for r, rug_row in zip(range(4, 4 + len(rug.rows)), rug.rows, strict=True):
        for column in range(first_figure, len(header) + 1):
            cell = ws.cell(row=r, column=column)
            assert cell.data_type == "n", (cell.coordinate, cell.value)  # never text
            if cell.value is not None:
                assert cell.number_format.startswith("#,##0")
        for i, rug_cell in enumerate(rug_row.cells):
            if rug_cell.value is None:
                cell = ws.cell(row=r, column=header.index(rug.columns[0].name) + 1 + i)
                assert cell.value is None and rug_cell.text in cell.comment.text
                suppressed += 1
    assert suppressed, "the synthetic rug has suppressed figures"
