"""Validating a return file before anything is saved (DHIS2-style data-entry rules).

``validate_table`` takes the rows of a template (CSV or XLSX, already read safely by
``files.read_table``) and the context of the upload, and returns either the parsed values or a
list of ``Issue``s, each naming the row and column in plain words. ``outlier_warning`` compares a
value with the LA's own history; outliers are warnings that need a comment, never errors.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .files import column_letter
from .models import Comparison, Suppression, Unit, Value

COLUMNS = [
    "la_code",
    "la_name",
    "period",
    "indicator_code",
    "indicator_name",
    "unit",
    "value",
    "numerator",
    "denominator",
    "suppression",
    "suppression_reason",
    "comment",
]
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
LARGEST = Decimal(10) ** 11
SUPPRESSION_CODES = [code for code, _ in Suppression.choices if code]
REASON_MAX_CHARS = Value._meta.get_field("suppression_reason").max_length


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


@dataclass
class ParsedValue:
    la: object
    indicator: object
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
    period: object
    # LAs the file may contain, by GSS code and by DfE number
    las: dict[str, object]
    indicators: dict[str, object]  # code -> Indicator the return asks for
    rules: list = field(default_factory=list)
    known_codes: set[str] = field(default_factory=set)  # every indicator code (for messages)
    single_la: object = None


def _fmt(number: Decimal) -> str:
    text = format(number.normalize(), "f") if number == number.to_integral() else str(number)
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_number(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("\u00a0", "").strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def _period_key(text: str) -> str:
    return "".join(text.lower().split()).replace("_", "").replace("/", "-")


def validate_table(rows: list[list[str]], context: Context) -> Validated:
    result = Validated()
    if not rows:
        result.errors.append(Issue("The file has no rows: use the template."))
        return result
    header = [cell.strip().lower().replace(" ", "_") for cell in rows[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        result.errors.append(
            Issue(
                "The first row must be the template's column names; missing "
                + ", ".join(f"'{name}'" for name in missing)
                + "."
            )
        )
        return result
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        result.errors.append(
            Issue("The header repeats the column " + ", ".join(f"'{n}'" for n in duplicated))
        )
        return result
    position = {name: header.index(name) for name in COLUMNS if name in header}
    period_keys = {_period_key(context.period.label), _period_key(context.period.slug)}
    seen: dict[tuple[int, str], int] = {}
    per_la: dict[int, dict[str, ParsedValue]] = defaultdict(dict)
    las_in_file: dict[int, object] = {}

    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        result.rows += 1
        cells = {name: (raw[i].strip() if i < len(raw) else "") for name, i in position.items()}

        def issue(column: str, message: str, row=number) -> None:
            result.errors.append(
                Issue(message, row=row, column=column, cell=f"{column_letter(position[column])}")
            )

        errors_before = len(result.errors)
        la_text = cells["la_code"]
        la = context.las.get(la_text.upper()) if la_text else None
        if not la_text:
            issue("la_code", "the LA code is missing.")
        elif la is None:
            if context.single_la is not None:
                issue(
                    "la_code",
                    f"'{la_text}' is not {context.single_la.name} "
                    f"({context.single_la.gss_code}); this return is for {context.single_la.name} "
                    "only.",
                )
            else:
                issue("la_code", f"'{la_text}' is not an LA of this region.")
        period_text = cells["period"]
        if _period_key(period_text) not in period_keys:
            issue(
                "period",
                f"'{period_text}' is not this return's period; it must be {context.period.label}."
                if period_text
                else f"the period is missing; it must be {context.period.label}.",
            )
        code = cells["indicator_code"].upper()
        indicator = context.indicators.get(code)
        if indicator is None:
            if not code:
                issue("indicator_code", "the indicator code is missing.")
            elif code in context.known_codes:
                issue(
                    "indicator_code",
                    f"{code} is published data only; it is not part of the quarterly return.",
                )
            else:
                issue("indicator_code", f"'{cells['indicator_code']}' is not a known indicator.")

        parsed = {}
        for column in ("value", "numerator", "denominator"):
            text = cells[column]
            if not text:
                parsed[column] = None
                continue
            try:
                parsed[column] = parse_number(text)
            except ValueError:
                parsed[column] = None
                issue(column, f"'{text[:40]}' is not a number.")
                continue
            if abs(parsed[column]) >= LARGEST:
                parsed[column] = None
                issue(column, f"'{text[:40]}' is too large for this return.")
        suppression = cells["suppression"].lower()
        reason = cells["suppression_reason"]
        if suppression and suppression not in SUPPRESSION_CODES:
            issue(
                "suppression",
                f"'{cells['suppression']}' is not a suppression code; use "
                + ", ".join(SUPPRESSION_CODES)
                + ", or leave it empty.",
            )
        if suppression and len(reason) > REASON_MAX_CHARS:  # saved only with a code
            issue(
                "suppression_reason",
                f"the reason is {len(reason):,} characters long; the limit is "
                f"{REASON_MAX_CHARS:,}.",
            )
        if len(result.errors) > errors_before or indicator is None or la is None:
            continue

        key = (la.pk, code)
        if key in seen:
            issue(
                "indicator_code",
                f"{code} for {la.name} is given twice (first on row {seen[key]}).",
            )
            continue
        seen[key] = number
        value, numerator, denominator = parsed["value"], parsed["numerator"], parsed["denominator"]
        given = [n for n in (value, numerator, denominator) if n is not None]

        if suppression:
            if given:
                issue(
                    "suppression",
                    f"{code}: give either a value or a suppression code, not both.",
                )
                continue
            if not reason:
                issue(
                    "suppression_reason",
                    f"{code} is marked '{suppression}' (not available): say why.",
                )
                continue
            item = ParsedValue(
                la=la,
                indicator=indicator,
                row=number,
                suppression=suppression,
                suppression_reason=reason,
                comment=cells.get("comment", ""),
            )
        else:
            if not given:
                if indicator.is_required:
                    issue(
                        "value",
                        f"{code} has no value: give a value, or a suppression code "
                        "(c, x, z, ...) with a reason.",
                    )
                continue
            problem = _value_problem(indicator, value) if value is not None else ""
            if problem:
                issue("value", problem)
                continue
            if indicator.is_ratio:
                if numerator is None or denominator is None:
                    issue(
                        "numerator" if numerator is None else "denominator",
                        f"{code} is a {indicator.get_unit_display().lower()}: give both the "
                        f"numerator ({indicator.numerator_label}) and the denominator "
                        f"({indicator.denominator_label}) so regional figures can be summed.",
                    )
                    continue
                if denominator <= 0:
                    issue("denominator", f"{code}: the denominator must be more than 0.")
                    continue
                if numerator < 0:
                    issue("numerator", f"{code}: the numerator cannot be negative.")
                    continue
                if indicator.unit in (Unit.PERCENT, Unit.RATE_10K) and numerator > denominator:
                    issue(
                        "numerator",
                        f"{code}: the numerator {_fmt(numerator)} is greater than the "
                        f"denominator {_fmt(denominator)}.",
                    )
                    continue
                computed = round(
                    numerator / denominator * indicator.multiplier, indicator.decimal_places
                )
                if value is None:
                    value = computed
                else:
                    tolerance = Decimal(1).scaleb(-indicator.decimal_places)
                    if abs(value - computed) > tolerance:
                        issue(
                            "value",
                            f"{code}: the value {_fmt(value)} does not match numerator / "
                            f"denominator ({_fmt(computed)}).",
                        )
                        continue
            elif numerator is not None or denominator is not None:
                issue(
                    "numerator" if numerator is not None else "denominator",
                    f"{code} is a {indicator.get_unit_display().lower()}: leave the numerator "
                    "and denominator empty.",
                )
                continue
            problem = _value_problem(indicator, value)
            if problem:
                issue("value", problem)
                continue
            item = ParsedValue(
                la=la,
                indicator=indicator,
                row=number,
                value=value,
                numerator=numerator,
                denominator=denominator,
                comment=cells.get("comment", ""),
            )
        per_la[la.pk][code] = item
        las_in_file[la.pk] = la
        result.values.append(item)

    if not result.rows:
        result.errors.append(Issue("The file has a header but no data rows."))
    if result.errors:
        return result

    for la_id, given in per_la.items():
        la = las_in_file[la_id]
        for code, indicator in context.indicators.items():
            if indicator.is_required and code not in given:
                result.errors.append(
                    Issue(
                        f"{la.name}: there is no row for {code} ({indicator.short_name}); "
                        "every indicator of the core set needs a value or a suppression code."
                    )
                )
        for rule in context.rules:
            left = given.get(rule.left_indicator.code)
            right = given.get(rule.right_indicator.code)
            if left is None or right is None:
                continue
            a, b = getattr(left, rule.left_part), getattr(right, rule.right_part)
            if a is None or b is None:
                continue
            broken = (
                (rule.comparison == Comparison.LE and a > b)
                or (rule.comparison == Comparison.GE and a < b)
                or (rule.comparison == Comparison.EQ and a != b)
            )
            if broken:
                result.errors.append(
                    Issue(
                        f"{la.name}: {rule.message} ({_fmt(a)} against {_fmt(b)} on row "
                        f"{right.row})",
                        row=left.row,
                        column=rule.left_part,
                    )
                )
    return result


def _value_problem(indicator, value: Decimal) -> str:
    code = indicator.code
    if indicator.unit == Unit.PERCENT and value > 100:
        return f"{code}: a percentage cannot be over 100 (it is {_fmt(value)})."
    if indicator.valid_min is not None and value < indicator.valid_min:
        return (
            f"{code}: {_fmt(value)} is below the smallest valid value {_fmt(indicator.valid_min)}."
        )
    if indicator.valid_max is not None and value > indicator.valid_max:
        return (
            f"{code}: {_fmt(value)} is above the largest valid value {_fmt(indicator.valid_max)}."
        )
    if indicator.unit == Unit.COUNT and value != value.to_integral():
        return f"{code} is a count: {_fmt(value)} must be a whole number."
    return ""


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
    indicator, value: Decimal | None, history: "History | list[tuple[str, Decimal]] | None"
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
                f"{direction} {abs(change):.0f}% on {label} ({_fmt(previous)} to {_fmt(value)}); "
                f"changes over {indicator.outlier_change_percent:.0f}% need a comment."
            )
    elif value:
        return f"was 0 in {label}, now {_fmt(value)}; please explain the change."
    if history.count >= 4 and history.spread:
        z = (float(value) - history.mean) / history.spread
        if abs(z) > float(indicator.outlier_z_score):
            return (
                f"{_fmt(value)} is {abs(z):.1f} standard deviations from this LA's average "
                f"of {history.mean:.1f} over the last {history.count} periods; please explain."
            )
    return ""
