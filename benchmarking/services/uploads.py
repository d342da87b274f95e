"""Return files: one LA's quarterly return, or a region's bulk file for many LAs, validated and
saved atomically with a history version of every value."""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, Sum, Variance
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority, Region
from sli_portal.access import System, can, require, user_of

from .. import signals
from ..domain import files, validation
from ..domain.numbers import numbers_differ
from ..models import (
    Indicator,
    Period,
    PeriodKind,
    Return,
    ReturnWindow,
    Source,
    Status,
    Upload,
    Value,
)
from ..selectors.ranges import range_bounds, rules_in_force
from ..selectors.returns import return_indicators
from ..value_store import values_save


class UploadRejected(Exception):
    """A file that saves nothing; `issues` say what is wrong and where."""

    def __init__(self, issues: list):
        super().__init__("; ".join(str(i) for i in issues))
        self.issues = issues


@dataclass
class UploadResult:
    upload: Upload
    values_changed: int
    warnings: list[tuple[str, str, str]]  # (LA name, indicator code, warning)
    returns: list[Return]
    repeated: bool = False  # the same file was accepted already and changed nothing now


def _rejected(message: str) -> UploadRejected:
    return UploadRejected([validation.Issue(message)])


def _window_check(
    *, actor: User | System, region: Region, period: Period, today: datetime.date
) -> ReturnWindow:
    window = ReturnWindow.objects.filter(region=region, period=period).first()
    if window is None:
        raise _rejected(f"No return window is set for {period.label} in {region.name}.")
    if today < window.opens_on:
        raise _rejected(f"The {period.label} return opens on {window.opens_on:%-d %B %Y}.")
    if today > window.locks_on and not can(actor, "benchmarking.upload_after_lock", region):
        raise _rejected(
            f"The {period.label} return closed on {window.locks_on:%-d %B %Y}; ask the "
            "programme manager."
        )
    return window


def _lock_returns(las: list[LocalAuthority], period: Period) -> dict[int, Return]:
    """Create missing returns, then lock all of them in id order (no deadlocks)."""
    Return.objects.bulk_create(
        [Return(local_authority=la, period=period, source=Source.RETURN) for la in las],
        ignore_conflicts=True,
    )
    locked = Return.objects.select_for_update().filter(
        local_authority__in=las, period=period, source=Source.RETURN
    )
    return {r.local_authority_id: r for r in locked.order_by("pk")}


def _history(las, indicators, period) -> dict[tuple[int, int], validation.History]:
    """Each LA's earlier values of each indicator (submitted quarters and published years),
    summarised by the database: the count, sum and variance of all, and the latest."""
    earlier = (
        Value.objects.filter(
            # As a subquery, so PostgreSQL reads these LAs' values by return (an index) rather
            # than every value in England: about twice as quick for a region.
            return_obj__in=Return.objects.filter(local_authority__in=las).values("pk"),
            indicator__in=indicators,
            return_obj__period__end__lt=period.start,
            value__isnull=False,
        )
        .filter(
            Q(return_obj__source=Source.PUBLISHED)
            | Q(return_obj__status__in=[Status.SUBMITTED, Status.APPROVED, Status.LOCKED])
        )
        .order_by()
    )
    sums = {
        (row["return_obj__local_authority_id"], row["indicator_id"]): row
        for row in earlier.values("return_obj__local_authority_id", "indicator_id").annotate(
            count=Count("pk"),
            total=Sum("value"),
            variance=Variance("value"),
            last_end=Max("return_obj__period__end"),
        )
    }
    # The latest value is of the period that ends last; of a published year and the quarter
    # ending with it, the year's (ordered by end, then kind, as before).
    latest: dict[tuple[int, int], Any] = {}
    rows = earlier.filter(
        return_obj__period__end__in={row["last_end"] for row in sums.values()}
    ).values_list(
        "return_obj__local_authority_id",
        "indicator_id",
        "return_obj__period__end",
        "return_obj__period__kind",
        "pk",
        "return_obj__period__fiscal_year",
        "return_obj__period__quarter",
        "value",
    )
    for la_id, indicator_id, end, *order, year, quarter, value in rows:
        key = (la_id, indicator_id)
        if end == sums[key]["last_end"] and (key not in latest or order > latest[key][0]):
            label = f"{year}-{(year + 1) % 100:02d}" + (
                f" Q{quarter}" if quarter else " (published)"
            )
            latest[key] = (order, label, value)
    return {
        key: validation.History.from_aggregates(
            label, value, sums[key]["count"], sums[key]["total"], sums[key]["variance"]
        )
        for key, (_order, label, value) in latest.items()
    }


def _validation_context(
    *,
    period: Period,
    region: Region,
    local_authority: LocalAuthority | None,
    indicators: dict[str, Indicator],
    partial: bool = False,
    known_codes: set[str] | None = None,
) -> validation.Context:
    """What a return's rows are checked against: the LAs they may name, the indicators the
    region's return asks for and the active cross-field rules (an upload's and the entry
    form's, so both run the same checks)."""
    allowed = (
        [local_authority]
        if local_authority
        else list(LocalAuthority.objects.filter(region=region, is_active=True))
    )
    lookup = {}
    for la in allowed:
        lookup[la.gss_code.upper()] = la
        lookup[la.dfe_code.upper()] = la
    return validation.Context(
        period=period,
        las=lookup,
        indicators=indicators,
        rules=rules_in_force(region),
        known_codes=(
            known_codes
            if known_codes is not None
            else set(Indicator.objects.values_list("code", flat=True))
        ),
        single_la=local_authority,
        partial=partial,
    )


def _validate(
    table: files.Table,
    *,
    period: Period,
    region: Region,
    local_authority: LocalAuthority | None,
    indicators: dict[str, Indicator],
) -> validation.Validated:
    context = _validation_context(
        period=period, region=region, local_authority=local_authority, indicators=indicators
    )
    result = validation.validate_table(table.rows, context)
    if result.errors:
        raise UploadRejected(result.errors)
    return result


def _refuse_closed(returns: dict[int, Return], period: Period) -> None:
    closed = [r for r in returns.values() if r.status != Status.DRAFT]
    if closed:
        raise UploadRejected(
            [
                validation.Issue(
                    f"{r.local_authority.name}'s {period.label} return is "
                    f"{r.get_status_display().lower()}: it cannot be changed unless the "
                    "programme manager reopens it."
                )
                for r in sorted(closed, key=lambda r: r.local_authority.name)
            ]
        )


@dataclass
class _Changes:
    to_create: list[dict]
    to_update: list[Value]
    warnings: list[tuple[str, str, str]]
    written: dict[int, list[int]]  # return id -> indicator ids written


def _changes(
    result: validation.Validated,
    returns: dict[int, Return],
    history,
    bounds=None,
    saved: list[Value] | None = None,
) -> _Changes:
    """What the file changes: new values, changed values, and the outliers found (against the
    LA's history, and against the region's expected ranges in `bounds`). `saved`: the returns'
    values, if the caller has read them already (under the returns' lock)."""
    bounds = bounds or {}
    if saved is None:
        saved = list(Value.objects.filter(return_obj__in=returns.values()).order_by())
    existing = {(v.return_obj_id, v.indicator_id): v for v in saved}
    changes = _Changes([], [], [], {})
    for item in result.values:
        ret = returns[item.la.pk]
        found = (item.la.pk, item.indicator.pk)
        warning = " ".join(
            text
            for text in (
                validation.outlier_warning(item.indicator, item.value, history.get(found)),
                validation.range_warning(item.indicator, item.value, bounds.get(found)),
            )
            if text
        )[:500]
        new = {
            "value": item.value,
            "numerator": item.numerator,
            "denominator": item.denominator,
            "suppression": item.suppression,
            "suppression_reason": item.suppression_reason,
            "warning": warning,
        }
        current = existing.get((ret.pk, item.indicator.pk))
        if current is None:
            changes.to_create.append(
                {
                    "return_obj_id": ret.pk,
                    "indicator_id": item.indicator.pk,
                    "comment": item.comment,
                    **new,
                }
            )
            changes.written.setdefault(ret.pk, []).append(item.indicator.pk)
        else:
            if item.comment:
                new["comment"] = item.comment
            if any(numbers_differ(getattr(current, k), v) for k, v in new.items()):
                for key, value in new.items():
                    setattr(current, key, value)
                changes.to_update.append(current)
                changes.written.setdefault(ret.pk, []).append(item.indicator.pk)
        if warning:
            changes.warnings.append((item.la.name, item.indicator.code, warning))
    return changes


def _same_file_accepted(changes, region, local_authority, period, sha256) -> Upload | None:
    """The same file again (a double click, a second tab) changes nothing: its first record
    stands. A file that changes nothing but is new is still recorded."""
    if changes.to_create or changes.to_update:
        return None
    return (
        Upload.objects.filter(
            region=region, local_authority=local_authority, period=period, sha256=sha256
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def return_upload(
    *,
    actor: User | System,
    period: Period,
    file_name: str,
    data: bytes,
    local_authority: LocalAuthority | None = None,
    region: Region | None = None,
    today: datetime.date | None = None,
) -> UploadResult:
    """Validate a return file for one LA (or, as a bulk file, for many LAs of a region) and
    save it atomically. Raises UploadRejected (nothing saved) for any error.

    Sends ``values_changed`` for each return whose values the file changed."""
    if local_authority is not None:
        require(actor, "benchmarking.edit_return", local_authority)
        region = local_authority.region
    else:
        require(actor, "benchmarking.bulk_upload", region)
    assert region is not None
    today = today or timezone.localdate()
    try:
        table = files.read_table(file_name, data)
    except files.FileRejected as exc:
        raise _rejected(str(exc)) from exc
    if period.kind != PeriodKind.QUARTER:
        raise _rejected("Returns are made for quarters.")
    _window_check(actor=actor, region=region, period=period, today=today)
    indicators = return_indicators(region)
    result = _validate(
        table,
        period=period,
        region=region,
        local_authority=local_authority,
        indicators=indicators,
    )
    las = sorted({item.la.pk: item.la for item in result.values}.values(), key=lambda la: la.pk)
    returns = _lock_returns(las, period)
    _refuse_closed(returns, period)
    changes = _changes(
        result,
        returns,
        _history(las, indicators.values(), period),
        range_bounds(region=region, las=las, period=period),
    )
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = _same_file_accepted(changes, region, local_authority, period, sha256)
    if earlier is not None:
        return UploadResult(earlier, 0, changes.warnings, list(returns.values()), repeated=True)
    user = user_of(actor)
    values_save(
        changes.to_create,
        changes.to_update,
        user=user,
        reason=f"Uploaded in {file_name}",
        now=timezone.now(),
    )
    upload = Upload.objects.create(
        uploaded_by=user,
        region=region,
        local_authority=local_authority,
        period=period,
        file_name=file_name[:255],
        sha256=sha256,
        size=len(data),
        rows=result.rows,
        values_changed=len(changes.to_create) + len(changes.to_update),
    )
    Return.objects.filter(pk__in=[r.pk for r in returns.values()]).update(updated_at=timezone.now())
    for ret in returns.values():
        if ret.pk in changes.written:
            signals.values_changed.send(
                sender=Return, return_obj=ret, actor=actor, indicator_ids=changes.written[ret.pk]
            )
    return UploadResult(
        upload=upload,
        values_changed=upload.values_changed,
        warnings=changes.warnings,
        returns=list(returns.values()),
    )
