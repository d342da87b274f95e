"""What the checks read and say: the template's columns, a row, an issue, the results."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..files import column_letter

# In the order a performance lead fills a row: who and what (filled in for them), the counts
# they give (with what each count means beside it), then the value (computed from the counts
# if left empty) or a suppression code, and the definition to read while filling it.
COLUMNS = [
    "la_code",
    "la_name",
    "period",
    "indicator_code",
    "indicator_name",
    "numerator_means",
    "numerator",
    "denominator_means",
    "denominator",
    "unit",
    "value",
    "suppression",
    "suppression_reason",
    "comment",
    "definition",
]
# Columns the portal fills in for the lead to read (ignored on upload).
READ_ONLY_COLUMNS = ["la_name", "indicator_name", "numerator_means", "denominator_means", "unit"]
REQUIRED_COLUMNS = [
    "la_code",
    "period",
    "indicator_code",
    "value",
    "numerator",
    "denominator",
    "suppression",
    "suppression_reason",
]
# Value.suppression's codes and Value.suppression_reason's length (tests check they agree).
SUPPRESSION_CODES = ["c", "x", "z", "u", "k", "low"]
REASON_MAX_CHARS = 500
LARGEST = Decimal(10) ** 11
# Value.value/numerator/denominator's decimal places (tests check they agree).
STORED_PLACES = 4


@dataclass(frozen=True)
class Issue:
    message: str
    row: int | None = None
    column: str = ""
    cell: str = ""

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column {self.cell} ({self.column})" if self.cell else self.column)
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass(frozen=True)
class Row:
    """One data row of the file: its number (as a spreadsheet shows it) and its cells."""

    number: int
    cells: dict[str, str]
    position: dict[str, int]  # column name -> index in the file

    def issue(self, column: str, message: str) -> Issue:
        return Issue(
            message, row=self.number, column=column, cell=column_letter(self.position[column])
        )


@dataclass
class ParsedValue:
    la: Any
    indicator: Any
    row: int
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    suppression: str = ""
    suppression_reason: str = ""
    comment: str = ""


@dataclass
class Validated:
    values: list[ParsedValue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    rows: int = 0


@dataclass
class Context:
    period: Any
    # LAs the file may contain, by GSS code and by DfE number
    las: dict[str, Any]
    indicators: dict[str, Any]  # code -> Indicator the return asks for
    rules: list = field(default_factory=list)
    known_codes: set[str] = field(default_factory=set)  # every indicator code (for messages)
    single_la: Any = None
    # A draft typed in the browser may leave required indicators for later (submitting checks
    # them); a file must give them all.
    partial: bool = False


def fmt(number: Decimal) -> str:
    """A number as a person writes it: no trailing zeros."""
    text = format(number.normalize(), "f") if number == number.to_integral() else str(number)
    return text.rstrip("0").rstrip(".") if "." in text else text
