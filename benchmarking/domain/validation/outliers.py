"""Outliers: a value against the LA's own history. Warnings that need a comment, never errors."""

import math
import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .rows import fmt


@dataclass(frozen=True)
class History:
    """An LA's earlier values of one indicator, as the outlier checks need them."""

    last_label: str  # the latest period's label, e.g. "2025-26 Q4"
    last_value: Decimal
    count: int
    mean: float
    spread: float  # population standard deviation

    @classmethod
    def of(cls, values: list[tuple[str, Decimal]]) -> "History | None":
        """From (label, value) pairs, oldest first."""
        if not values:
            return None
        points = [float(v) for _, v in values]
        label, last = values[-1]
        return cls(label, last, len(points), statistics.fmean(points), statistics.pstdev(points))

    @classmethod
    def from_aggregates(
        cls, last_label: str, last_value: Decimal, count: int, total: Decimal, variance: float
    ) -> "History":
        """From the count, sum and population variance of the values (as the database
        aggregates them)."""
        mean = float(Decimal(total) / count)
        return cls(last_label, last_value, count, mean, math.sqrt(max(float(variance), 0)))


def outlier_warning(
    indicator: Any, value: Decimal | None, history: "History | list[tuple[str, Decimal]] | None"
) -> str:
    """A warning when `value` departs from the LA's own history, else ''. `history` is a
    ``History`` or the (label, value) pairs, oldest first."""
    if isinstance(history, list):
        history = History.of(history)
    if value is None or history is None:
        return ""
    label, previous = history.last_label, history.last_value
    if previous:
        change = (value - previous) / abs(previous) * 100
        if abs(change) > indicator.outlier_change_percent:
            direction = "up" if change > 0 else "down"
            return (
                f"{direction} {abs(change):.0f}% on {label} ({fmt(previous)} to {fmt(value)}); "
                f"changes over {indicator.outlier_change_percent:.0f}% need a comment."
            )
    elif value:
        return f"was 0 in {label}, now {fmt(value)}; please explain the change."
    if history.count >= 4 and history.spread:
        z = (float(value) - history.mean) / history.spread
        if abs(z) > float(indicator.outlier_z_score):
            return (
                f"{fmt(value)} is {abs(z):.1f} standard deviations from this LA's average "
                f"of {history.mean:.1f} over the last {history.count} periods; please explain."
            )
    return ""
