"""Checks across the rows of one LA: every required indicator given, and the cross-field
rules (e.g. re-referrals <= referrals) kept."""

from typing import Any

from .rows import Context, Issue, ParsedValue, fmt


def check_required(la: Any, given: dict[str, ParsedValue], context: Context) -> list[Issue]:
    return [
        Issue(
            f"{la.name}: there is no row for {code} ({indicator.short_name}); "
            "every indicator of the core set needs a value or a suppression code."
        )
        for code, indicator in context.indicators.items()
        if indicator.is_required and code not in given
    ]


def rule_broken(comparison: str, a: Any, b: Any) -> bool:
    return (
        (comparison == "le" and a > b)
        or (comparison == "ge" and a < b)
        or (comparison == "eq" and a != b)
    )


def check_rules(la: Any, given: dict[str, ParsedValue], context: Context) -> list[Issue]:
    issues = []
    for rule in context.rules:
        left = given.get(rule.left_indicator.code)
        right = given.get(rule.right_indicator.code)
        if left is None or right is None:
            continue
        a, b = getattr(left, rule.left_part), getattr(right, rule.right_part)
        if a is None or b is None or not rule_broken(rule.comparison, a, b):
            continue
        issues.append(
            Issue(
                f"{la.name}: {rule.message} ({fmt(a)} against {fmt(b)} on row {right.row})",
                row=left.row,
                column=rule.left_part,
            )
        )
    return issues
