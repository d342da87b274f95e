"""``validate_table``: the checks of ``structure``, ``identity``, ``numbers`` and
``cross_field`` in order, over every row of a return file."""

from collections import defaultdict
from typing import Any

from .cross_field import check_required, check_rules
from .identity import check_indicator, check_la, check_period
from .numbers import check_suppression, check_value, read_numbers
from .rows import Context, Issue, ParsedValue, Row, Validated
from .structure import check_header


def data_rows(rows: list[list[str]], position: dict[str, int]) -> list[Row]:
    """The rows after the header that are not blank, numbered as a spreadsheet shows them."""
    return [
        Row(
            number=number,
            cells={name: (raw[i].strip() if i < len(raw) else "") for name, i in position.items()},
            position=position,
        )
        for number, raw in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in raw)
    ]


def check_row(row: Row, context: Context) -> tuple[Any, Any, dict, list[Issue]]:
    """(LA, indicator, numbers, issues) of one row, each cell checked on its own."""
    la, la_issues = check_la(row, context)
    period_issues = check_period(row, context)
    indicator, indicator_issues = check_indicator(row, context)
    numbers, number_issues = read_numbers(row)
    issues = la_issues + period_issues + indicator_issues + number_issues + check_suppression(row)
    return la, indicator, numbers, issues


def validate_table(rows: list[list[str]], context: Context) -> Validated:
    result = Validated()
    position, issues = check_header(rows)
    if issues:
        result.errors.extend(issues)
        return result
    seen: dict[tuple[int, str], int] = {}
    per_la: dict[Any, dict[str, ParsedValue]] = defaultdict(dict)
    for row in data_rows(rows, position):
        result.rows += 1
        la, indicator, numbers, issues = check_row(row, context)
        if issues:
            result.errors.extend(issues)
            continue
        key = (la.pk, indicator.code)
        if key in seen:
            message = f"{indicator.code} for {la.name} is given twice (first on row {seen[key]})."
            result.errors.append(row.issue("indicator_code", message))
            continue
        seen[key] = row.number
        item, issues = check_value(row, la, indicator, numbers)
        result.errors.extend(issues)
        if item is not None:
            per_la[la][indicator.code] = item
            result.values.append(item)
    if not result.rows:
        result.errors.append(Issue("The file has a header but no data rows."))
    if result.errors:
        return result
    for la, given in per_la.items():
        if not context.partial:
            result.errors.extend(check_required(la, given, context))
        result.errors.extend(check_rules(la, given, context))
    return result
