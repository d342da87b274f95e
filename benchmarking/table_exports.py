"""Pages' tables as files (pure: rows in, bytes out): CSV, or XLSX with typed cells (numbers as
numbers, dates as dates, never text), for the exception report and the completeness grid."""

import csv
import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sli_portal import spreadsheets
from sli_portal.spreadsheets import neutralise_formula

Cell = str | int | float | Decimal | datetime.date | None


def _typed(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: UK local time
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def table_csv(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _typed(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(header: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str) -> bytes:
    """Typed cells through the portal's one spreadsheet helper (sli_portal/spreadsheets.py)."""
    return spreadsheets.table_xlsx(header, rows, title=title)
