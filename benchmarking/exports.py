"""Return templates as files: rows in, bytes out."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sli_portal.spreadsheets import neutralise_formula

from .models import Suppression

HELP = [
    "How to fill in this return",
    "One row per local authority and indicator. Do not change la_code, period or indicator_code.",
    "Percentages, rates and ratios: give the numerator and the denominator (the columns "
    "beside them say what each counts); leave value empty and it is computed.",
    "Counts and days: give the value; leave numerator and denominator empty.",
    "A value that is not available: leave value, numerator and denominator empty, put a "
    "suppression code (c, x, z, u, k, low) and say why in suppression_reason.",
    "Unusual changes against your earlier returns are flagged after upload; explain them in "
    "the comment column or on the return page before submitting.",
    "Formulas are not calculated by the portal: the value Excel saved is used.",
]


def _safe(cell: str) -> str:
    # Cells are text we wrote; guard anyway. Numbers stay numbers so the template re-uploads.
    return cell if _is_number(cell) else neutralise_formula(cell)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def template_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_safe(str(cell)) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(rows: list[list[str]], *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    header = list(rows[0]) if rows else []
    numeric = {header.index(n) + 1 for n in ("value", "numerator", "denominator") if n in header}
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            value = cell
            if r > 1 and c in numeric and cell != "":
                value = float(cell) if "." in cell else int(cell)
            target = sheet.cell(
                row=r, column=c, value=_safe(value) if isinstance(value, str) else value
            )
            if r == 1:
                target.font = Font(bold=True)
                target.fill = header_fill
    widths = {"la_name": 24, "indicator_name": 40, "numerator_means": 36}
    widths |= {"denominator_means": 36, "suppression_reason": 30, "comment": 30}
    widths |= {"definition": 80}
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(name, 13)
    sheet.freeze_panes = "A2"
    codes = ",".join(code for code, _ in Suppression.choices if code)
    check = DataValidation(type="list", formula1=f'"{codes}"', allow_blank=True)
    sheet.add_data_validation(check)
    if "suppression" in header:
        column = get_column_letter(header.index("suppression") + 1)
        check.add(f"{column}2:{column}{max(len(rows), 2)}")
    notes = book.create_sheet("Help")
    notes.cell(row=1, column=1, value=title).font = Font(bold=True)
    for index, line in enumerate(HELP, start=3):
        notes.cell(row=index, column=1, value=line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Reporting rate: each LA's returns on time across quarters ---------------------------------

REPORTING_HEADER = ["LA code", "Local authority"]


def _reporting_rows(table) -> list[list]:
    """Typed rows: text, dates (the day submitted) and numbers (counts, the rate 0-1)."""
    header = [*REPORTING_HEADER]
    for quarter in table.quarters:
        header += [f"{quarter.label} status", f"{quarter.label} submitted on"]
    header += ["On time", "Quarters due", "On-time rate"]
    rows: list[list] = [header]
    for row in table.rows:
        line: list = [row.code, row.name]
        for cell in row.cells:
            line += [cell.label, cell.submitted_on]
        line += [row.on_time, row.counted, row.rate]
        rows.append(line)
    blanks = [None, None] * len(table.quarters)
    total = [table.on_time, table.counted, table.rate]
    rows.append(["", f"{table.region} (all LAs)", *blanks, *total])
    return rows


def reporting_rate_csv(table) -> bytes:
    """Dates as ISO 8601, the rate as a decimal fraction (0.75), blanks for none."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in _reporting_rows(table):
        writer.writerow(
            [
                ""
                if cell is None
                else cell.isoformat()
                if hasattr(cell, "isoformat")
                else neutralise_formula(cell)
                if isinstance(cell, str)
                else cell
                for cell in row
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def reporting_rate_xlsx(table) -> bytes:
    """One sheet: dates are Excel dates, counts integers, the rate a number shown as a %."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Reporting rate"
    rows = _reporting_rows(table)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = neutralise_formula(value)
            elif value is not None and not hasattr(value, "isoformat"):
                value = float(value) if c == len(row) else int(value)
            cell = sheet.cell(row=r, column=c, value=value)
            if r == 1:
                cell.font = Font(bold=True)
            elif hasattr(value, "isoformat"):
                cell.number_format = "d mmm yyyy"
            elif c == len(row) and value is not None:
                cell.number_format = "0.0%"
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
