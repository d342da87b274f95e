"""Return templates as files: rows in, bytes out."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from sli_portal.spreadsheets import neutralise_formula

from .models import Suppression

HELP = [
    "How to fill in this return",
    "One row per local authority and indicator. Do not change la_code, period or indicator_code.",
    "Percentages, rates and ratios: give the numerator and the denominator; the value is "
    "computed if you leave it empty.",
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
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            value = cell
            if r > 1 and c in (7, 8, 9) and cell != "":
                value = float(cell) if "." in cell else int(cell)
            target = sheet.cell(
                row=r, column=c, value=_safe(value) if isinstance(value, str) else value
            )
            if r == 1:
                target.font = Font(bold=True)
                target.fill = header_fill
    widths = [12, 28, 12, 20, 50, 18, 10, 12, 14, 12, 30, 40]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "A2"
    codes = ",".join(code for code, _ in Suppression.choices if code)
    check = DataValidation(type="list", formula1=f'"{codes}"', allow_blank=True)
    sheet.add_data_validation(check)
    check.add(f"J2:J{max(len(rows), 2)}")
    notes = book.create_sheet("Help")
    notes.cell(row=1, column=1, value=title).font = Font(bold=True)
    for index, line in enumerate(HELP, start=3):
        notes.cell(row=index, column=1, value=line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
