"""Reporting rate (DHIS2's reporting-rate summary): each LA's returns on time across quarters.

Pure: windows, LAs and submission dates in, the table out. A return is on time when it was
submitted (first submitted, as the return records it) on or before the window's due date; late
when submitted after it, or not submitted once the due date has passed; a quarter not yet due
and not submitted is left out of the rate.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"
LABELS = {
    ON_TIME: "On time",
    LATE: "Late",
    MISSING: "Not submitted",
    NOT_DUE: "Not due yet",
}


@dataclass(frozen=True)
class Quarter:
    label: str
    due_on: datetime.date


@dataclass(frozen=True)
class Cell:
    state: str
    submitted_on: datetime.date | None = None

    @property
    def label(self) -> str:
        return LABELS[self.state]


@dataclass
class LaRate:
    name: str
    code: str
    cells: list[Cell]
    on_time: int = 0
    counted: int = 0

    @property
    def rate(self) -> Decimal | None:
        """On-time share, 0 to 1, to 3 places (None when no quarter is due yet)."""
        if not self.counted:
            return None
        return (Decimal(self.on_time) / self.counted).quantize(Decimal("0.001"), ROUND_HALF_UP)


@dataclass
class ReportingRate:
    region: str
    quarters: list[Quarter]
    rows: list[LaRate] = field(default_factory=list)

    @property
    def on_time(self) -> int:
        return sum(row.on_time for row in self.rows)

    @property
    def counted(self) -> int:
        return sum(row.counted for row in self.rows)

    @property
    def rate(self) -> Decimal | None:
        return LaRate("", "", [], self.on_time, self.counted).rate


def cell_for(due_on: datetime.date, submitted_on: datetime.date | None, today: datetime.date):
    if submitted_on is not None:
        return Cell(ON_TIME if submitted_on <= due_on else LATE, submitted_on)
    return Cell(MISSING if today > due_on else NOT_DUE)


def reporting_rate(
    *,
    region: str,
    quarters: list[Quarter],
    las: list[tuple[str, str]],
    submitted: dict[tuple[str, str], datetime.date],
    today: datetime.date,
) -> ReportingRate:
    """`las`: (code, name) in display order; `submitted`: (LA code, quarter label) -> the day
    the return was submitted."""
    table = ReportingRate(region=region, quarters=quarters)
    for code, name in las:
        row = LaRate(name=name, code=code, cells=[])
        for quarter in quarters:
            cell = cell_for(quarter.due_on, submitted.get((code, quarter.label)), today)
            row.cells.append(cell)
            if cell.state != NOT_DUE:
                row.counted += 1
                row.on_time += cell.state == ON_TIME
        table.rows.append(row)
    return table
