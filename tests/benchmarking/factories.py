"""Builders for benchmarking tests: a valid return file for any LA, as CSV or XLSX."""

import csv
import datetime
import io

from django.utils import timezone

from benchmarking import services
from benchmarking.domain.validation import COLUMNS
from benchmarking.models import period_for_quarter
from sli_portal.access import SYSTEM

# code -> (numerator, denominator); counts of one made-up LA that pass every rule.
VALID = {
    "REF_RATE": (5000, 100000),
    "REREF_PCT": (1100, 5000),
    "NFA_PCT": (300, 5000),
    "ASSESS_45_PCT": (1800, 2000),
    "CIN_RATE": (3500, 100000),
    "CPP_RATE": (400, 100000),
    "CPP_SUBSEQUENT_PCT": (50, 250),
    "CPP_2YRS_PCT": (10, 400),
    "CLA_RATE": (700, 100000),
    "CLA_START_RATE": (250, 100000),
    "CLA_3PLUS_PCT": (70, 700),
    "CLA_LONG_STABLE_PCT": (100, 150),
    "CL_EET_PCT": (150, 300),
    "CL_ACCOM_PCT": (270, 300),
    "SW_VACANCY_PCT": (40, 300),
    "SW_AGENCY_PCT": (30, 290),
    "SW_TURNOVER_PCT": (35, 260),
    "SW_CASELOAD": (2800, 180),
}


def open_quarter(region, *, fiscal_year=2026, quarter=1, today=None):
    """A quarter whose return window is open today for the region."""
    today = today or timezone.localdate()
    period = period_for_quarter(fiscal_year, quarter)
    services.window_save(
        actor=SYSTEM,
        region=region,
        period=period,
        opens_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=20),
        locks_on=today + datetime.timedelta(days=40),
    )
    return period


def return_rows(las, period, *, scale=1.0, header=True, **overrides):
    """Template rows for each LA; overrides: CODE={"value": "..", "numerator": ..} per column."""
    las = las if isinstance(las, list | tuple) else [las]
    rows = [list(COLUMNS)] if header else []
    for la in las:
        for code, (numerator, denominator) in VALID.items():
            row = dict.fromkeys(COLUMNS, "")
            row.update(
                la_code=la.gss_code,
                la_name=la.name,
                period=period.label,
                indicator_code=code,
                numerator=str(round(numerator * scale)),
                denominator=str(denominator),
            )
            row.update({k: str(v) for k, v in overrides.get(code, {}).items()})
            rows.append([row[c] for c in COLUMNS])
    return rows


def to_csv(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def to_xlsx(rows, *, numbers=True) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in rows:
        out = []
        for cell in row:
            if numbers and cell and cell.replace(".", "", 1).isdigit():
                out.append(float(cell) if "." in cell else int(cell))
            else:
                out.append(cell)
        sheet.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload_return(world, period, la, user="programme_manager"):
    """One LA's valid return file, uploaded through the service."""
    return services.return_upload(
        actor=world.users[user],
        period=period,
        file_name="r.csv",
        data=to_csv(return_rows(la, period)),
        local_authority=la,
    )


def upload(world, period, data=None, *, la=None, user="performance_lead", name="r.csv", **kw):
    """A return file (valid unless `data` or overrides say otherwise) uploaded by a persona."""
    la = la or world.home_la
    return services.return_upload(
        actor=world.users[user],
        period=period,
        file_name=name,
        data=data if data is not None else to_csv(return_rows(la, period, **kw)),
        local_authority=la,
    )


def value_of(la, period, code):
    from benchmarking.models import Value

    return Value.objects.get(
        return_obj__local_authority=la, return_obj__period=period, indicator__code=code
    )
