"""One place for the cells of every CSV/XLSX the portal writes: the guard against spreadsheet
formula injection, and typed XLSX cells (dates as dates, numbers as numbers, each with a number
format) so a spreadsheet sorts, filters and sums them, never text that looks like a date."""

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

# A cell starting with one of these is run as a formula by Excel/LibreOffice (tab, CR and LF
# too: some importers strip them and then see the formula).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

# GOV.UK style in a spreadsheet: "8 Dec 2026", "8 Dec 2026 14:30" (UK time), "1,234".
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"
INTEGER_FORMAT = "#,##0"
MONEY_FORMAT = "£#,##0.00"
PERCENT_FORMAT = "0%"


def neutralise_formula(value):
    """Text a spreadsheet would treat as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def decimal_format(places: int) -> str:
    """Thousands separators and `places` decimal places ("#,##0.0" for one)."""
    return INTEGER_FORMAT + ("." + "0" * places if places > 0 else "")


def typed_value(value: Any) -> Any:
    """What an XLSX cell holds: datetimes in UK local time without a zone (Excel has none),
    text neutralised, numbers and dates as they are."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def number_format_of(value: Any) -> str | None:
    """The number format a typed value is shown with (None: leave the cell's own)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        return decimal_format(-exponent if isinstance(exponent, int) and exponent < 0 else 0)
    if isinstance(value, float):
        return decimal_format(0 if value.is_integer() else 2)
    return None


def append_typed(sheet, row: Iterable[Any], formats: dict[int, str] | None = None) -> None:
    """Append a row of typed cells: each date, datetime and number gets its number format
    (`formats` overrides it by 0-based column: money, percentages); text stays text (data type
    "s"), never a formula."""
    values = [typed_value(v) for v in row]
    sheet.append(values)
    for index, cell in enumerate(sheet[sheet.max_row]):
        if isinstance(cell.value, str):
            cell.data_type = "s"
            continue
        if cell.value is None:
            continue
        fmt = (formats or {}).get(index) or number_format_of(cell.value)
        if fmt:
            cell.number_format = fmt


def table_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    formats: dict[int, str] | None = None,
) -> bytes:
    """One sheet: a bold, frozen header row and typed cells (see `append_typed`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([neutralise_formula(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_typed(sheet, row, formats)
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(len(name) + 4, 60))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
