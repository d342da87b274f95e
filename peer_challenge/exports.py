"""Take-up exports: pure functions, data in, bytes out. Cells that a spreadsheet would run as a
formula (starting =, +, -, @, tab or carriage return) are prefixed with an apostrophe."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from sli_portal.spreadsheets import PERCENT_FORMAT, append_typed
from sli_portal.spreadsheets import neutralise_formula as neutralise

HEADER = [
    "Year",
    "Local authority",
    "Challenges completed",
    "LAs in the year",
    "Region LAs",
    "Rate",
]
RATE_COLUMN = 5


def _rate(year) -> float | None:
    """The year's take-up as a fraction (a number a spreadsheet shows as a percentage)."""
    return year.count / year.total if year.total else None


def _rows(years, *, rate_as_text: bool = True) -> list[list]:
    rows = []
    for year in years:
        rate = f"{year.count} of {year.total}" if rate_as_text else _rate(year)
        if not year.by_la:
            rows.append([year.year, "", "", year.count, year.total, rate])
        for la_name, kinds in year.by_la.items():
            rows.append([year.year, la_name, "; ".join(kinds), year.count, year.total, rate])
    return [[neutralise(cell) for cell in row] for row in rows]


def take_up_csv(years) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(_rows(years))
    return buffer.getvalue().encode("utf-8-sig")


def take_up_xlsx(years, *, region_name: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Take-up"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Typed cells (text stays text, never a formula; counts are numbers; the rate a percentage).
    for row in _rows(years, rate_as_text=False):
        append_typed(sheet, row, {RATE_COLUMN: PERCENT_FORMAT})
    for cell in sheet["A"][1:]:
        cell.number_format = "0"  # a year, not "2,024"
    summary = workbook.create_sheet("Summary")
    summary.append([neutralise(f"Peer challenge take-up, {region_name}")])
    summary.append(["Year", "LAs completing a challenge", "Region LAs", "Rate"])
    for year in years:
        append_typed(summary, [year.year, year.count, year.total, _rate(year)], {3: PERCENT_FORMAT})
        summary.cell(row=summary.max_row, column=1).number_format = "0"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def take_up_chart_svg(years, *, width: int = 640, bar_height: int = 28) -> dict:
    """Geometry for a horizontal bar chart (rendered by the template as inline SVG)."""
    label_width, gap = 60, 10
    plot = width - label_width - 140
    bars = []
    for index, year in enumerate(years):
        length = round(plot * year.rate) if year.total else 0
        bars.append(
            {
                "y": index * (bar_height + gap),
                "year": year.year,
                "length": length,
                "text_x": label_width + length + 8,
                "label": f"{year.count} of {year.total} ({round(100 * year.rate)}%)",
            }
        )
    return {
        "width": width,
        "height": max(1, len(bars)) * (bar_height + gap),
        "bar_height": bar_height,
        "label_width": label_width,
        "text_y": bar_height // 2 + 5,
        "bars": bars,
    }
