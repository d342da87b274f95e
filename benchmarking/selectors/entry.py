"""Reads for the return's entry form: one row per indicator (grouped by theme as in the rug),
with the saved value, the version it is loaded at, and the LA's own values for the quarter
before and the same quarter a year before."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from regions.models import LocalAuthority, Region

from ..models import Indicator, Period, PeriodKind, Return, Source, Suppression, Theme, Value
from .returns import return_indicators

# What the form shows for a value's cells, and what it posts back: template column names.
CELLS = ("value", "numerator", "denominator", "suppression", "suppression_reason", "comment")


NEW = "new"


def value_version(value: Value | None) -> str:
    """The version a row was loaded at: when its value was last saved ("new" if never)."""
    if value is None or value.updated_at is None:
        return NEW
    return str(int(value.updated_at.timestamp() * 1_000_000))


def _text(number) -> str:
    return "" if number is None else format(number.normalize(), "f")


def value_cells(value: Value | None) -> dict[str, str]:
    """A saved value as the text of the form's cells."""
    if value is None:
        return dict.fromkeys(CELLS, "")
    return {
        "value": _text(value.value),
        "numerator": _text(value.numerator),
        "denominator": _text(value.denominator),
        "suppression": value.suppression,
        "suppression_reason": value.suppression_reason,
        "comment": value.comment,
    }


@dataclass
class EntryRow:
    indicator: Indicator
    value: Value | None
    version: str
    cells: dict[str, str]
    last_quarter: Value | None = None
    last_year: Value | None = None
    errors: list = field(default_factory=list)  # validation.Issue of this row
    warning: str = ""
    conflict: Value | None = None
    saved: bool = False

    @property
    def code(self) -> str:
        return self.indicator.code

    def errors_in(self, column: str) -> list:
        return [issue for issue in self.errors if issue.column == column]

    def cell(self, name: str, label: str) -> dict:
        """One typed cell: id, label (naming the indicator), text, errors, and what a screen
        reader hears with it (its errors, the row's, and for the comment the warning)."""
        errors = [issue.message for issue in self.errors if issue.column == name]
        error_id = f"{self.code}-{name}-error" if errors else ""
        described = [error_id] if errors else []
        if self.row_errors:
            described.append(f"{self.code}-row-error")
        if name == "comment" and self.warning and not self.errors:
            described.append(f"{self.code}-warning")
        return {
            "name": name,
            "id": f"{self.code}-{name}",
            "label": f"{label}: {self.indicator.short_name}",
            "text": self.cells.get(name, ""),
            "errors": errors,
            "error_id": error_id,
            "describedby": " ".join(described),
            "numeric": name in ("value", "numerator", "denominator"),
        }

    @property
    def inputs(self) -> dict:
        """The row's cells in the form's columns: `figures` (numerator, denominator and value:
        inputs, the derived value or nothing), then suppression code, its reason and comment."""
        ind = self.indicator
        value = self.cell("value", f"Value ({ind.get_unit_display().lower()})")
        if ind.is_ratio:
            figures = [
                self.cell("numerator", f"Numerator ({ind.numerator_label})"),
                self.cell("denominator", f"Denominator ({ind.denominator_label})"),
                {"derived": True},
            ]
        else:
            figures = [{"blank": True}, {"blank": True}, value]
        code = self.cell("suppression", "Not available because")
        code["options"] = [
            (option, meaning if option else "Available", option == code["text"])
            for option, meaning in Suppression.choices
        ]
        return {
            "figures": figures,
            "suppression": code,
            "suppression_reason": self.cell("suppression_reason", "Reason not available"),
            "comment": self.cell("comment", "Comment"),
        }

    @property
    def row_errors(self) -> list:
        """Problems not tied to one of the row's inputs (e.g. a long or control character)."""
        return [issue for issue in self.errors if issue.column not in CELLS]


@dataclass
class EntryGroup:
    label: str
    rows: list[EntryRow]


def earlier_quarters(period: Period) -> tuple[tuple[int, int], tuple[int, int]]:
    """(fiscal year, quarter) of the quarter before `period` and of the same quarter a year
    before."""
    year, quarter = period.fiscal_year, period.quarter or 1
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return previous, (year - 1, quarter)


def _earlier_values(
    la: LocalAuthority, period: Period, indicator_ids: list[int] | None = None
) -> dict[tuple[int, int], Value]:
    """(indicator id, 0 for last quarter / 1 for last year) -> the LA's value (of the
    indicators `indicator_ids` only, if given)."""
    previous, last_year = earlier_quarters(period)
    wanted = [previous, last_year]
    found = Value.objects.filter(
        return_obj__local_authority=la,
        return_obj__source=Source.RETURN,
        return_obj__period__kind=PeriodKind.QUARTER,
    )
    if indicator_ids is not None:
        found = found.filter(indicator_id__in=indicator_ids)
    found = found.filter(
        Q(return_obj__period__fiscal_year=previous[0], return_obj__period__quarter=previous[1])
        | Q(return_obj__period__fiscal_year=last_year[0], return_obj__period__quarter=last_year[1])
    )
    out = {}
    for value in found.values_list(
        "indicator_id",
        "return_obj__period__fiscal_year",
        "return_obj__period__quarter",
        "value",
        "suppression",
    ):
        indicator_id, year, quarter, number, suppression = value
        out[(indicator_id, wanted.index((year, quarter or 0)))] = Value(
            value=number, suppression=suppression
        )
    return out


def entry_rows(
    *, la: LocalAuthority, period: Period, ret: Return | None, code: str | None = None
) -> list[EntryRow]:
    """A row for each indicator the return asks for (only `code`'s, if given: a row saved
    alone)."""
    indicators = sorted(return_indicators(la.region).values(), key=lambda i: i.sort_key)
    ids = None
    if code is not None:
        indicators = [i for i in indicators if i.code == code]
        ids = [i.pk for i in indicators]
    saved = {}
    if ret is not None and ret.pk:
        values = Value.objects.filter(return_obj=ret).order_by()
        if ids is not None:
            values = values.filter(indicator_id__in=ids)
        saved = {v.indicator_id: v for v in values}
    earlier = _earlier_values(la, period, ids)
    return [
        EntryRow(
            indicator=indicator,
            value=saved.get(indicator.pk),
            version=value_version(saved.get(indicator.pk)),
            cells=value_cells(saved.get(indicator.pk)),
            warning=saved[indicator.pk].warning if indicator.pk in saved else "",
            last_quarter=earlier.get((indicator.pk, 0)),
            last_year=earlier.get((indicator.pk, 1)),
        )
        for indicator in indicators
    ]


def entry_row(
    *, la: LocalAuthority, period: Period, indicator: Indicator, value: Value | None
) -> EntryRow:
    """One indicator's row with `value` (as it stands, e.g. as a save left it): one query, the
    LA's figures of the quarter before and of a year before."""
    earlier = _earlier_values(la, period, [indicator.pk])
    return EntryRow(
        indicator=indicator,
        value=value,
        version=value_version(value),
        cells=value_cells(value),
        warning=value.warning if value is not None else "",
        last_quarter=earlier.get((indicator.pk, 0)),
        last_year=earlier.get((indicator.pk, 1)),
    )


def entry_groups(rows: list[EntryRow]) -> list[EntryGroup]:
    labels = dict(Theme.choices)
    groups: list[EntryGroup] = []
    for row in rows:
        label = labels.get(row.indicator.theme, row.indicator.theme)
        if not groups or groups[-1].label != label:
            groups.append(EntryGroup(label, []))
        groups[-1].rows.append(row)
    return groups


def return_by_slugs(*, la_slug: str, period_slug: str) -> Return | None:
    """The LA's quarterly return for the quarter of ``period_slug`` ('2025-q1'), with its LA,
    region and period, in one query; None if there is none (or the slug is not a quarter's).
    Not who submitted or approved it: the form does not show them (two joins fewer to plan)."""
    year, _, quarter = period_slug.partition("-q")
    try:
        lookup = {"period__fiscal_year": int(year), "period__quarter": int(quarter)}
    except ValueError:
        return None
    return (
        Return.objects.filter(
            local_authority__slug=la_slug,
            source=Source.RETURN,
            period__kind=PeriodKind.QUARTER,
            **lookup,
        )
        .select_related("local_authority__region", "period")
        .order_by("pk")  # one at most: not the model's ordering (two more sort keys)
        .first()
    )


def entry_return(*, la: LocalAuthority, period: Period) -> Return | None:
    """The LA's return of the quarter as the entry form's body shows it (its status), with its
    LA, region and period; None if not started."""
    return (
        Return.objects.filter(local_authority=la, period=period, source=Source.RETURN)
        .select_related("local_authority__region", "period")
        .first()
    )


def entry_page_rows(*, la: LocalAuthority, period: Period) -> list[QuerySet]:
    """Every row the entry form's body reads (sli_portal.fragments: its stamp), unevaluated: the
    LA, its region and the indicators it asks for, the quarter and the two it is compared with,
    the LA's returns of those three quarters (this one once it is started) and their values."""
    previous, last_year = earlier_quarters(period)
    quarters = (
        Q(pk=period.pk)
        | Q(kind=PeriodKind.QUARTER, fiscal_year=previous[0], quarter=previous[1])
        | Q(kind=PeriodKind.QUARTER, fiscal_year=last_year[0], quarter=last_year[1])
    )
    periods = Period.objects.filter(quarters)
    returns = Return.objects.filter(local_authority=la, source=Source.RETURN, period__in=periods)
    return [
        LocalAuthority.objects.filter(pk=la.pk),
        Region.objects.filter(pk=la.region_id),
        Indicator.objects.all(),
        periods,
        returns,
        Value.objects.filter(return_obj__in=returns),
    ]
