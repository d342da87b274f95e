"""Take-up exports: pure functions, data in, bytes out. Cells that a spreadsheet would run as a
formula (starting =, +, -, @, tab or carriage return) are prefixed with an apostrophe."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from sli_portal.spreadsheets import neutralise_formula as neutralise

HEADER = [
    "Year",
    "Local authority",
    "Challenges completed",
    "LAs in the year",
    "Region LAs",
    "Rate",
]


def _rows(years) -> list[list]:
    rows = []
    for year in years:
        rate = f"{year.count} of {year.total}"
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
    for row in _rows(years):
        sheet.append(row)
    for cell in sheet["B"][1:] + sheet["C"][1:]:
        cell.data_type = "s"  # text, never a formula
    summary = workbook.create_sheet("Summary")
    summary.append([neutralise(f"Peer challenge take-up, {region_name}")])
    summary.append(["Year", "LAs completing a challenge", "Region LAs", "Rate"])
    for year in years:
        summary.append([year.year, year.count, year.total, f"{year.count} of {year.total}"])
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
