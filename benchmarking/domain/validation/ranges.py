"""Expected ranges (DHIS2's min-max): where a region expects an indicator's value to fall,
fixed or from the LA's own recent history. A value outside is a warning needing a comment."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .rows import fmt


@dataclass(frozen=True)
class Bounds:
    low: Decimal | None
    high: Decimal | None
    source: str  # how the bounds were found, for the message


def expected_bounds(rule: Any, earlier: list[Decimal]) -> Bounds | None:
    """The bounds of an ExpectedRange (`kind`, `minimum`, `maximum`, `quarters`,
    `margin_percent`) for one LA; `earlier` are its values of previous quarters, newest first.
    None when there is nothing to compare with (no history yet)."""
    if rule.kind == "absolute":
        return Bounds(rule.minimum, rule.maximum, "the region's expected range")
    recent = earlier[: rule.quarters]
    if not recent:
        return None
    margin = Decimal(rule.margin_percent) / 100
    low, high = min(recent), max(recent)
    count = len(recent)
    return Bounds(
        low - abs(low) * margin,
        high + abs(high) * margin,
        f"this LA's last {count} quarter{'s' if count != 1 else ''} "
        f"({fmt(low)} to {fmt(high)}, widened by {fmt(Decimal(rule.margin_percent))}%)",
    )


def range_warning(indicator: Any, value: Decimal | None, bounds: Bounds | None) -> str:
    """A warning when `value` falls outside `bounds`, else ''."""
    if value is None or bounds is None:
        return ""
    places = indicator.decimal_places
    if bounds.low is not None and value < bounds.low:
        return (
            f"{fmt(value)} is below {fmt(round(bounds.low, places))}, the lowest expected from "
            f"{bounds.source}; please explain."
        )
    if bounds.high is not None and value > bounds.high:
        return (
            f"{fmt(value)} is above {fmt(round(bounds.high, places))}, the highest expected from "
            f"{bounds.source}; please explain."
        )
    return ""
