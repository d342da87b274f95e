"""Financial-year dates: quarters (Q1 = April-June), the year of a day, default windows."""

import datetime
from typing import Protocol

QUARTER_START_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


def quarter_dates(fiscal_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    month = QUARTER_START_MONTHS[quarter]
    year = fiscal_year + 1 if quarter == 4 else fiscal_year
    start = datetime.date(year, month, 1)
    end_month = month + 3
    end = datetime.date(year + end_month // 13, (end_month - 1) % 12 + 1, 1) - datetime.timedelta(
        days=1
    )
    return start, end


def year_dates(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(fiscal_year, 4, 1), datetime.date(fiscal_year + 1, 3, 31)


def fiscal_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


class HasEnd(Protocol):
    end: datetime.date


def default_window_dates(period: HasEnd) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Opens the day after the quarter ends, due 6 weeks later, locks 4 weeks after that."""
    opens = period.end + datetime.timedelta(days=1)
    return opens, opens + datetime.timedelta(weeks=6), opens + datetime.timedelta(weeks=10)


def published_period_label(reference_date: str, fiscal_year: int) -> str:
    """How DfE labels a published figure filed in ``fiscal_year`` (2024 = 2024-25): the
    workforce census is the 30 September snapshot of ``fiscal_year`` (DfE's time_period), the
    ONS estimate is mid-year, and everything else is the year ending (or a snapshot at) 31 March
    of ``fiscal_year + 1``."""
    text = reference_date.lower()
    if "30 september" in text:
        return f"snapshot 30 September {fiscal_year}"
    if "31 march" in text and "snapshot" in text:
        return f"at 31 March {fiscal_year + 1}"
    if not text:
        return f"mid-{fiscal_year} estimate"
    return f"year ending 31 March {fiscal_year + 1}"
