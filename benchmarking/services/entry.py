"""A value typed on the return's entry form: checked by the very checks an upload runs
(``domain.files.check_cells`` and ``domain.validation.validate_table``, on the return as a
template table with the typed row in it) and saved as a draft version exactly as an upload
saves one (``uploads._changes`` and ``value_store.values_save``: who, when, why).

Two people typing into the same return never overwrite each other silently: each row carries
the version it was loaded at (``value_version``), and a save against a newer version is refused
with the newer value.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority
from sli_portal.access import System, require, user_of

from .. import signals
from ..domain import files, validation
from ..models import Indicator, Period, PeriodKind, Return, Source, Value
from ..selectors.entry import CELLS, value_version
from ..selectors.ranges import range_bounds
from ..selectors.returns import return_indicators, template_row
from ..value_store import values_save
from .uploads import (
    UploadRejected,
    _changes,
    _history,
    _lock_returns,
    _refuse_closed,
    _validation_context,
    _window_check,
)

REASON = "Entered on the return's page"


@dataclass
class EntryResult:
    indicator: Indicator
    value: Value | None  # the value saved now (or as it stands when nothing was saved)
    errors: list[validation.Issue] = field(default_factory=list)
    warning: str = ""
    saved: bool = False
    # Set when the row was loaded before someone else saved it: the newer value, not replaced.
    conflict: Value | None = None

    @property
    def version(self) -> str:
        return value_version(self.conflict or self.value)


class IndicatorNotAsked(ValidationError):
    """The region's quarterly return does not ask for this indicator."""


class _NotSaved(Exception):
    """Rolls the entry's transaction back (a return made only for it is not kept)."""

    def __init__(self, result: EntryResult):
        super().__init__("not saved")
        self.result = result


def value_enter(
    *,
    actor: User | System,
    local_authority: LocalAuthority,
    period: Period,
    code: str,
    cells: dict[str, str],
    version: str,
    today: datetime.date | None = None,
) -> EntryResult:
    """Check and save one indicator's typed cells on the LA's draft return. Errors and a
    version conflict come back in the result with nothing saved; a return that is not a draft,
    a closed window or an indicator the return does not ask for raise ValidationError."""
    require(actor, "benchmarking.edit_return", local_authority)
    if period.kind != PeriodKind.QUARTER:
        raise ValidationError("Returns are made for quarters.")
    try:
        return _enter(
            actor=actor,
            la=local_authority,
            period=period,
            code=code,
            cells=cells,
            version=version,
            today=today or timezone.localdate(),
        )
    except _NotSaved as not_saved:
        return not_saved.result
    except UploadRejected as rejected:
        raise ValidationError([issue.message for issue in rejected.issues]) from None


def _issue_key(issue: validation.Issue) -> tuple:
    return (issue.row, issue.column, issue.message)


@transaction.atomic
def _enter(*, actor, la, period, code, cells, version, today) -> EntryResult:
    region = la.region
    every = list(Indicator.objects.all())  # the return's, and every code (for messages)
    indicators = return_indicators(region, among=every)
    indicator = indicators.get(code)
    if indicator is None:
        raise IndicatorNotAsked(f"{code} is not part of {region.name}'s quarterly return.")
    _window_check(actor=actor, region=region, period=period, today=today)
    ret = _lock_return(la, period)
    _refuse_closed({la.pk: ret}, period)
    saved = {v.indicator_id: v for v in Value.objects.filter(return_obj=ret).order_by()}
    current = saved.get(indicator.pk)
    if version != value_version(current):
        if current is None:
            raise ValidationError(
                f"{indicator.code} has changed since the page was loaded: reload the page."
            )
        raise _NotSaved(EntryResult(indicator, current, conflict=current))
    result = EntryResult(indicator, current)
    known_codes = {i.code for i in every}
    issues, item = _check(la, period, indicators, indicator, saved, cells, known_codes)
    if issues:
        result.errors = issues
        raise _NotSaved(result)
    if item is None:  # an optional indicator left blank: nothing to keep
        raise _NotSaved(result)
    changes = _changes(
        validation.Validated(values=[item]),
        {la.pk: ret},
        _history([la], [indicator], period),
        range_bounds(region=region, las=[la], period=period),
        saved=list(saved.values()),  # read above, under the return's lock
    )
    result.warning = changes.warnings[0][2] if changes.warnings else ""
    if changes.to_create or changes.to_update:
        values_save(
            changes.to_create,
            changes.to_update,
            user=user_of(actor),
            reason=REASON,
            now=timezone.now(),
        )
        Return.objects.filter(pk=ret.pk).update(updated_at=timezone.now())
        signals.values_changed.send(
            sender=Return, return_obj=ret, actor=actor, indicator_ids=[indicator.pk]
        )
        result.value = (
            changes.to_update[0]
            if changes.to_update
            else Value.objects.get(return_obj=ret, indicator=indicator)
        )
        result.saved = True
    return result


def _lock_return(la: LocalAuthority, period: Period) -> Return:
    """The LA's return for the quarter, locked (one query when it exists, as it mostly does);
    created first if missing, as an upload's (``_lock_returns``)."""
    found = (
        Return.objects.select_for_update()
        .filter(local_authority=la, period=period, source=Source.RETURN)
        .first()
    )
    return found if found is not None else _lock_returns([la], period)[la.pk]


def _check(la, period, indicators, indicator, saved, cells, known_codes=None):
    """(issues this row brings, the parsed value): the return as a template table with the
    typed row in place of the saved one, through the upload's checks. Problems the saved rows
    already had (e.g. under a rule added since) are not this row's."""
    ordered = sorted(indicators.values(), key=lambda i: i.sort_key)
    rows = [list(validation.COLUMNS)]
    rows += [template_row(la, period, i, saved.get(i.pk)) for i in ordered if i.pk in saved]
    typed = template_row(la, period, indicator, None)
    for name in CELLS:
        typed[validation.COLUMNS.index(name)] = cells.get(name, "") or ""
    edited = [
        r for r in rows[1:] if r[validation.COLUMNS.index("indicator_code")] == indicator.code
    ]
    before_rows = rows
    rows = [typed if r is edited[0] else r for r in rows] if edited else [*rows, typed]
    try:
        files.check_cells(rows)
    except files.FileRejected as rejected:
        return [validation.Issue(str(rejected))], None
    context = _validation_context(
        period=period,
        region=la.region,
        local_authority=la,
        indicators=indicators,
        partial=True,
        known_codes=known_codes,
    )
    after = validation.validate_table(rows, context)
    if after.errors and len(before_rows) > 1:
        known = {_issue_key(i) for i in validation.validate_table(before_rows, context).errors}
        after.errors = [i for i in after.errors if _issue_key(i) not in known]
    if after.errors:
        return after.errors, None
    item = next((v for v in after.values if v.indicator.pk == indicator.pk), None)
    return [], item
