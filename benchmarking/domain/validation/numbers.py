"""The numbers of a row: readable, in range, consistent with the indicator's unit."""

from decimal import Decimal
from typing import Any

from ..numbers import NotANumber, decimal_places, parse_number
from .rows import (
    LARGEST,
    REASON_MAX_CHARS,
    STORED_PLACES,
    SUPPRESSION_CODES,
    Issue,
    ParsedValue,
    Row,
    fmt,
)

NUMBER_COLUMNS = ("value", "numerator", "denominator")


def read_numbers(row: Row) -> tuple[dict[str, Decimal | None], list[Issue]]:
    """value, numerator and denominator (None when blank or unreadable), and the issues."""
    parsed: dict[str, Decimal | None] = {}
    issues = []
    for column in NUMBER_COLUMNS:
        text = row.cells[column]
        parsed[column] = None
        if not text:
            continue
        try:
            number = parse_number(text)
        except NotANumber as error:
            reason = f": {error.reason}" if error.reason else "."
            issues.append(row.issue(column, f"'{text[:40]}' is not a number{reason}"))
            continue
        if number is not None and abs(number) >= LARGEST:
            issues.append(row.issue(column, f"'{text[:40]}' is too large for this return."))
            continue
        parsed[column] = number
    return parsed, issues


def check_suppression(row: Row) -> list[Issue]:
    """A known suppression code, and a reason that fits."""
    issues = []
    suppression = row.cells["suppression"].lower()
    reason = row.cells["suppression_reason"]
    if suppression and suppression not in SUPPRESSION_CODES:
        issues.append(
            row.issue(
                "suppression",
                f"'{row.cells['suppression']}' is not a suppression code; use "
                + ", ".join(SUPPRESSION_CODES)
                + ", or leave it empty.",
            )
        )
    if suppression and len(reason) > REASON_MAX_CHARS:  # saved only with a code
        issues.append(
            row.issue(
                "suppression_reason",
                f"the reason is {len(reason):,} characters long; the limit is "
                f"{REASON_MAX_CHARS:,}.",
            )
        )
    return issues


def value_problem(indicator: Any, value: Decimal) -> str:
    """Why a value cannot be right for its indicator ("" if it can)."""
    code = indicator.code
    if indicator.unit == "percent" and value > 100:
        return f"{code}: a percentage cannot be over 100 (it is {fmt(value)})."
    if indicator.valid_min is not None and value < indicator.valid_min:
        return f"{code}: {fmt(value)} is below the smallest valid value {fmt(indicator.valid_min)}."
    if indicator.valid_max is not None and value > indicator.valid_max:
        return f"{code}: {fmt(value)} is above the largest valid value {fmt(indicator.valid_max)}."
    if indicator.unit == "count" and value != value.to_integral():
        return f"{code} is a count: {fmt(value)} must be a whole number."
    return ""


def check_suppressed(
    row: Row, la: Any, indicator: Any, numbers: dict[str, Decimal | None]
) -> tuple[ParsedValue | None, list[Issue]]:
    """A row with a suppression code: no numbers, and a reason."""
    code, suppression = indicator.code, row.cells["suppression"].lower()
    reason = row.cells["suppression_reason"]
    if any(n is not None for n in numbers.values()):
        message = f"{code}: give either a value or a suppression code, not both."
        return None, [row.issue("suppression", message)]
    if not reason:
        message = f"{code} is marked '{suppression}' (not available): say why."
        return None, [row.issue("suppression_reason", message)]
    item = ParsedValue(
        la=la,
        indicator=indicator,
        row=row.number,
        suppression=suppression,
        suppression_reason=reason,
        comment=row.cells.get("comment", ""),
    )
    return item, []


def ratio_value(
    row: Row, indicator: Any, value: Decimal | None, numerator: Decimal | None, den: Decimal | None
) -> tuple[Decimal | None, list[Issue]]:
    """For a percentage, rate or ratio: both parts given and sound, and the value they make
    (or the value given, if it matches them)."""
    code = indicator.code
    if numerator is None or den is None:
        message = (
            f"{code} is a {indicator.get_unit_display().lower()}: give both the numerator "
            f"({indicator.numerator_label}) and the denominator ({indicator.denominator_label}) "
            "so regional figures can be summed."
        )
        return None, [row.issue("numerator" if numerator is None else "denominator", message)]
    if den <= 0:
        return None, [row.issue("denominator", f"{code}: the denominator must be more than 0.")]
    if numerator < 0:
        return None, [row.issue("numerator", f"{code}: the numerator cannot be negative.")]
    if indicator.unit in ("percent", "rate_10k") and numerator > den:
        message = (
            f"{code}: the numerator {fmt(numerator)} is greater than the denominator {fmt(den)}."
        )
        return None, [row.issue("numerator", message)]
    computed = round(numerator / den * indicator.multiplier, indicator.decimal_places)
    if value is None:
        return computed, []
    if abs(value - computed) > Decimal(1).scaleb(-indicator.decimal_places):
        message = (
            f"{code}: the value {fmt(value)} does not match numerator / denominator "
            f"({fmt(computed)})."
        )
        return None, [row.issue("value", message)]
    return value, []


def check_precision(row: Row, indicator: Any, numbers: dict[str, Decimal | None]) -> list[Issue]:
    """No number written more precisely than it is kept: a value to the indicator's declared
    decimal places, a numerator or denominator to the places stored. Refused, never rounded."""
    issues = []
    for column, number in numbers.items():
        allowed = indicator.decimal_places if column == "value" else STORED_PLACES
        if number is not None and decimal_places(number) > allowed:
            places = f"{allowed} decimal place{'s' if allowed != 1 else ''}"
            message = (
                f"{indicator.code}: {fmt(number)} has {decimal_places(number)} decimal places; "
                f"the {column} is kept to {places}"
                + (" (a whole number)." if allowed == 0 else ".")
                + " Round it in the file so the figure saved is the one you mean."
            )
            issues.append(row.issue(column, message))
    return issues


def check_given(
    row: Row, la: Any, indicator: Any, numbers: dict[str, Decimal | None]
) -> tuple[ParsedValue | None, list[Issue]]:
    """A row with numbers: right for the indicator's unit, range and precision."""
    code = indicator.code
    precision = check_precision(row, indicator, numbers)
    if precision:
        return None, precision
    value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
    if value is None and numerator is None and denominator is None:
        if not indicator.is_required:
            return None, []
        message = (
            f"{code} has no value: give a value, or a suppression code (c, x, z, ...) with a "
            "reason."
        )
        return None, [row.issue("value", message)]
    problem = value_problem(indicator, value) if value is not None else ""
    if problem:
        return None, [row.issue("value", problem)]
    if indicator.is_ratio:
        value, issues = ratio_value(row, indicator, value, numerator, denominator)
        if issues:
            return None, issues
    elif numerator is not None or denominator is not None:
        message = (
            f"{code} is a {indicator.get_unit_display().lower()}: leave the numerator and "
            "denominator empty."
        )
        return None, [row.issue("numerator" if numerator is not None else "denominator", message)]
    assert value is not None
    problem = value_problem(indicator, value)
    if problem:
        return None, [row.issue("value", problem)]
    item = ParsedValue(
        la=la,
        indicator=indicator,
        row=row.number,
        value=value,
        numerator=numerator,
        denominator=denominator,
        comment=row.cells.get("comment", ""),
    )
    return item, []


def check_value(
    row: Row, la: Any, indicator: Any, numbers: dict[str, Decimal | None]
) -> tuple[ParsedValue | None, list[Issue]]:
    """The row's value for its LA and indicator, or why there is none."""
    if row.cells["suppression"]:
        return check_suppressed(row, la, indicator, numbers)
    return check_given(row, la, indicator, numbers)
