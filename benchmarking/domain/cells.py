"""The values reports compute with: a ``Cell`` (a number, a suppressed value or missing), what
the arithmetic needs of an indicator (``IndicatorSpec``), and how a value is shown. The methods
are described in ``computation``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .numbers import number_or_none

SUPPRESSION_CODES = {
    "c": "suppressed (confidential)",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "k": "fewer than 0.5",
    "low": "rounds to 0 but is not 0",
    ":": "not available",
    "..": "not available",
}


class Polarity(StrEnum):
    HIGH = "high"
    LOW = "low"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"high": "High is good", "low": "Low is good", "none": "No judgement"}[self.value]


class Band(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


BAND_MEANING = {
    Band.A: "best quartile",
    Band.B: "second quartile",
    Band.C: "third quartile",
    Band.D: "worst quartile",
}


class Status(StrEnum):
    VALUE = "value"
    SUPPRESSED = "suppressed"
    MISSING = "missing"


@dataclass(frozen=True)
class Cell:
    """One observed value: a number, a suppressed value (with its code/reason) or missing."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    suppressed: str = ""

    @property
    def status(self) -> Status:
        if self.suppressed:
            return Status.SUPPRESSED
        if self.value is None:
            return Status.MISSING
        return Status.VALUE

    @property
    def has_value(self) -> bool:
        return self.status is Status.VALUE

    @property
    def has_ratio(self) -> bool:
        return (
            not self.suppressed
            and self.numerator is not None
            and self.denominator is not None
            and self.denominator > 0
        )


MISSING = Cell()


@dataclass(frozen=True)
class IndicatorSpec:
    """What the arithmetic needs to know about an indicator."""

    code: str
    polarity: Polarity = Polarity.NONE
    decimal_places: int = 1
    # multiplier of numerator / denominator: 100 for a %, 10_000 for a rate per 10,000;
    # None when the indicator has no numerator and denominator.
    multiplier: Decimal | None = None
    is_count: bool = False
    no_quartile: bool = False

    @property
    def has_judgement(self) -> bool:
        return self.polarity is not Polarity.NONE

    @property
    def bands_apply(self) -> bool:
        return self.has_judgement and not self.no_quartile


def parse_cell(value, numerator=None, denominator=None) -> Cell:
    """A Cell from published text: numbers, DfE suppression codes or blanks."""
    text = "" if value is None else str(value).strip()
    if text.lower() in SUPPRESSION_CODES:
        return Cell(suppressed=text.lower())
    number = number_or_none(text)
    if number is None:
        return MISSING if not text else Cell(suppressed=text)
    return Cell(
        value=number, numerator=number_or_none(numerator), denominator=number_or_none(denominator)
    )


def round_half_up(value: Decimal | None, places: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_value(cell: Cell | Decimal | None, places: int) -> str:
    """How a value is shown: rounded number, or the reason there is none (never 0)."""
    if isinstance(cell, Cell):
        if cell.status is Status.SUPPRESSED:
            # DfE's code with its meaning (never 0): "c: suppressed (confidential)"
            code = cell.suppressed
            meaning = SUPPRESSION_CODES.get(code)
            return f"{code}: {meaning}" if meaning else "suppressed"
        if cell.status is Status.MISSING:
            return "no data"
        cell = cell.value
    if cell is None:
        return "no data"
    return f"{round_half_up(cell, places):,}"
