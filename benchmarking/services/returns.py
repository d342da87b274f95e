"""Quarterly returns: upload (validated, atomic, with history), comments and status changes."""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum, Variance
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from regions.models import LocalAuthority, Region

from .. import files, validation
from ..models import (
    Indicator,
    Period,
    PeriodKind,
    Return,
    ReturnWindow,
    Source,
    Status,
    Upload,
    ValidationRule,
    Value,
)
from .published_import import VALUE_FIELDS, _differs
from .reference import return_indicators

# --- quarterly returns ------------------------------------------------------------------------


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


def _window_check(*, actor, region, period, today) -> ReturnWindow:
    window = ReturnWindow.objects.filter(region=region, period=period).first()
    if window is None:
        raise UploadRejected(
            [validation.Issue(f"No return window is set for {period.label} in {region.name}.")]
        )
    if today < window.opens_on:
        raise UploadRejected(
            [validation.Issue(f"The {period.label} return opens on {window.opens_on:%-d %B %Y}.")]
        )
    if today > window.locks_on and region.pk not in rules_region_staff(actor):
        raise UploadRejected(
            [
                validation.Issue(
                    f"The {period.label} return closed on {window.locks_on:%-d %B %Y}; ask the "
                    "programme manager."
                )
            ]
        )
    return window


def rules_region_staff(actor) -> frozenset[int]:
    from ..rules import region_staff_ids

    if actor is None or actor.is_superuser:
        return frozenset(Region.objects.values_list("pk", flat=True))
    return region_staff_ids(actor)


def _lock_returns(las, period) -> dict[int, Return]:
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
    latest = {}
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


@transaction.atomic
def return_upload(
    *,
    actor,
    period: Period,
    file_name: str,
    data: bytes,
    local_authority: LocalAuthority | None = None,
    region: Region | None = None,
    today: datetime.date | None = None,
) -> UploadResult:
    """Validate a return file for one LA (or, as a bulk file, for many LAs of a region) and
    save it atomically. Raises UploadRejected (nothing saved) for any error."""
    today = today or timezone.localdate()
    region = local_authority.region if local_authority else region
    try:
        table = files.read_table(file_name, data)
    except files.FileRejected as exc:
        raise UploadRejected([validation.Issue(str(exc))]) from exc
    if period.kind != PeriodKind.QUARTER:
        raise UploadRejected([validation.Issue("Returns are made for quarters.")])
    _window_check(actor=actor, region=region, period=period, today=today)
    allowed = (
        [local_authority]
        if local_authority
        else list(LocalAuthority.objects.filter(region=region, is_active=True))
    )
    lookup = {}
    for la in allowed:
        lookup[la.gss_code.upper()] = la
        lookup[la.dfe_code.upper()] = la
    indicators = return_indicators(region)
    context = validation.Context(
        period=period,
        las=lookup,
        indicators=indicators,
        rules=list(
            ValidationRule.objects.filter(is_active=True).select_related(
                "left_indicator", "right_indicator"
            )
        ),
        known_codes=set(Indicator.objects.values_list("code", flat=True)),
        single_la=local_authority,
    )
    result = validation.validate_table(table.rows, context)
    if result.errors:
        raise UploadRejected(result.errors)

    las = sorted({item.la.pk: item.la for item in result.values}.values(), key=lambda la: la.pk)
    returns = _lock_returns(las, period)
    closed = [r for r in returns.values() if r.status != Status.DRAFT]
    if closed:
        raise UploadRejected(
            [
                validation.Issue(
                    f"{r.local_authority.name}'s {period.label} return is {r.get_status_display().lower()}"
                    ": it cannot be changed unless the programme manager reopens it."
                )
                for r in sorted(closed, key=lambda r: r.local_authority.name)
            ]
        )
    history = _history(las, indicators.values(), period)
    existing = {
        (v.return_obj_id, v.indicator_id): v
        for v in Value.objects.filter(return_obj__in=returns.values()).order_by()
    }
    to_create, to_update, warnings = [], [], []
    for item in result.values:
        ret = returns[item.la.pk]
        warning = validation.outlier_warning(
            item.indicator, item.value, history.get((item.la.pk, item.indicator.pk))
        )
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
            to_create.append(
                {
                    "return_obj_id": ret.pk,
                    "indicator_id": item.indicator.pk,
                    "comment": item.comment,
                    **new,
                }
            )
        else:
            if item.comment:
                new["comment"] = item.comment
            if any(_differs(getattr(current, k), v) for k, v in new.items()):
                for key, value in new.items():
                    setattr(current, key, value)
                to_update.append(current)
        if warning:
            warnings.append((item.la.name, item.indicator.code, warning))
    _values_save(
        to_create, to_update, actor=actor, reason=f"Uploaded in {file_name}", now=timezone.now()
    )
    upload = Upload.objects.create(
        uploaded_by=actor,
        region=region,
        local_authority=local_authority,
        period=period,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        rows=result.rows,
        values_changed=len(to_create) + len(to_update),
    )
    Return.objects.filter(pk__in=[r.pk for r in returns.values()]).update(updated_at=timezone.now())
    return UploadResult(
        upload=upload,
        values_changed=upload.values_changed,
        warnings=warnings,
        returns=list(returns.values()),
    )


_SAVED_FIELDS = [*VALUE_FIELDS, "warning", "comment"]


def _values_save(to_create: list[dict], to_update: list[Value], *, actor, reason, now) -> None:
    """Insert the new values (dicts of field values), save the changed ones (Value objects),
    and keep a version of each in the value history: who (`actor`), when (`now`), why."""
    reason = reason[: Value.history.model._meta.get_field("history_change_reason").max_length]
    if connection.vendor == "postgresql":
        _values_save_postgresql(to_create, to_update, actor=actor, reason=reason, now=now)
        return
    created = [Value(**fields, updated_by=actor, updated_at=now) for fields in to_create]
    bulk_create_with_history(
        created, Value, batch_size=1000, default_user=actor, default_change_reason=reason
    )
    for value in to_update:
        value.updated_by, value.updated_at = actor, now
    if to_update:
        bulk_update_with_history(
            to_update,
            Value,
            [*_SAVED_FIELDS, "updated_by", "updated_at"],
            batch_size=1000,
            default_user=actor,
            default_change_reason=reason,
        )


def _values_save_postgresql(to_create, to_update, *, actor, reason, now) -> None:
    """One statement each for the new and the changed values: the rows go in as arrays, and
    their history versions are copied from what the INSERT / UPDATE returns.

    Equivalent to simple_history's bulk_create_with_history / bulk_update_with_history (the
    same columns, '+' or '~', user and reason) without a model instance per value and version.
    """
    quote = connection.ops.quote_name
    table, history_table = Value._meta.db_table, Value.history.model._meta.db_table
    copied = [field.column for field in Value._meta.concrete_fields]
    history_columns = ", ".join(
        quote(c)
        for c in [
            *copied,
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ]
    )
    history_values = ", ".join(f"saved.{quote(c)}" for c in copied)
    columns = [Value._meta.get_field(name).column for name in _SAVED_FIELDS]
    keys = [Value._meta.get_field(name).column for name in ("return_obj", "indicator")]
    types = {"value": "numeric", "numerator": "numeric", "denominator": "numeric"}
    unnest = ", ".join(f"%s::{types.get(name, 'text')}[]" for name in _SAVED_FIELDS)
    user_id = actor.pk if actor is not None else None

    def arrays(rows, get):
        return [[get(row, name) for row in rows] for name in _SAVED_FIELDS]

    with connection.cursor() as cursor:
        if to_create:
            cursor.execute(
                f"""
                WITH saved AS (
                    INSERT INTO {quote(table)} ({", ".join(keys)}, {", ".join(columns)},
                                                updated_at, updated_by_id)
                    SELECT given.*, %s, %s
                      FROM unnest(%s::bigint[], %s::bigint[], {unnest}) AS given
                    RETURNING *
                )
                INSERT INTO {quote(history_table)} ({history_columns})
                SELECT {history_values}, %s, %s, '+', %s FROM saved
                """,
                [
                    now,
                    user_id,
                    [row["return_obj_id"] for row in to_create],
                    [row["indicator_id"] for row in to_create],
                    *arrays(to_create, dict.get),
                    now,
                    reason,
                    user_id,
                ],
            )
        if to_update:
            assignments = ", ".join(f"{c} = given.{c}" for c in columns)
            cursor.execute(
                f"""
                WITH saved AS (
                    UPDATE {quote(table)} AS value
                       SET {assignments}, updated_at = %s, updated_by_id = %s
                      FROM unnest(%s::bigint[], {unnest}) AS given (id, {", ".join(columns)})
                     WHERE value.id = given.id
                    RETURNING value.*
                )
                INSERT INTO {quote(history_table)} ({history_columns})
                SELECT {history_values}, %s, %s, '~', %s FROM saved
                """,
                [
                    now,
                    user_id,
                    [value.pk for value in to_update],
                    *arrays(to_update, getattr),
                    now,
                    reason,
                    user_id,
                ],
            )
    for value in to_update:
        value.updated_by, value.updated_at = actor, now


def _locked_return(return_id: int) -> Return:
    return (
        Return.objects.select_for_update()
        .select_related("local_authority", "period")
        .get(pk=return_id, source=Source.RETURN)
    )


def _save_status(ret: Return, actor, reason: str, fields: list[str]) -> None:
    ret._history_user = actor
    ret._change_reason = reason
    ret.save(update_fields=[*fields, "status", "updated_at"])


@transaction.atomic
def value_comment(*, actor, value_id: int, comment: str) -> Value:
    comment = comment.strip()
    if not comment:
        raise ValidationError("Write a comment explaining the value.")
    value = Value.objects.select_related("indicator").get(pk=value_id)
    ret = _locked_return(value.return_obj_id)
    if ret.status != Status.DRAFT:
        raise ValidationError(
            f"The return is {ret.get_status_display().lower()}; it cannot change."
        )
    value.comment = comment[:5000]
    value.updated_by = actor
    value._history_user = actor
    value._change_reason = "Comment added"
    value.save(update_fields=["comment", "updated_by", "updated_at"])
    return value


def return_missing(ret: Return) -> list[str]:
    """Required indicators with neither a value nor a suppression code."""
    required = [i for i in return_indicators(ret.local_authority.region).values() if i.is_required]
    given = set(ret.values.values_list("indicator_id", flat=True))
    return [i.code for i in required if i.pk not in given]


@transaction.atomic
def return_submit(*, actor, return_id: int) -> Return:
    ret = _locked_return(return_id)
    if ret.status != Status.DRAFT:
        raise ValidationError(
            f"This return is already {ret.get_status_display().lower()}; it cannot be submitted again."
        )
    missing = return_missing(ret)
    if missing:
        raise ValidationError(
            "Upload values for every indicator before submitting; missing: " + ", ".join(missing)
        )
    uncommented = list(
        ret.values.filter(comment="").exclude(warning="").values_list("indicator__code", flat=True)
    )
    if uncommented:
        raise ValidationError(
            "Explain each value flagged as unusual before submitting: " + ", ".join(uncommented)
        )
    ret.status = Status.SUBMITTED
    ret.submitted_at = timezone.now()
    ret.submitted_by = actor
    _save_status(ret, actor, "Submitted", ["submitted_at", "submitted_by"])
    return ret


@transaction.atomic
def return_approve(*, actor, return_id: int) -> Return:
    ret = _locked_return(return_id)
    if ret.status != Status.SUBMITTED:
        raise ValidationError(
            f"Only a submitted return can be approved; this one is {ret.get_status_display().lower()}."
        )
    ret.status = Status.APPROVED
    ret.approved_at = timezone.now()
    ret.approved_by = actor
    _save_status(ret, actor, "Approved", ["approved_at", "approved_by"])
    return ret


@transaction.atomic
def return_lock(*, actor, return_id: int, reason: str = "Locked") -> Return:
    ret = _locked_return(return_id)
    if ret.status != Status.APPROVED:
        raise ValidationError("Only an approved return can be locked.")
    ret.status = Status.LOCKED
    ret.locked_at = timezone.now()
    _save_status(ret, actor, reason, ["locked_at"])
    return ret


@transaction.atomic
def return_reopen(*, actor, return_id: int, reason: str) -> Return:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for reopening the return.")
    ret = _locked_return(return_id)
    if ret.status == Status.DRAFT:
        raise ValidationError("This return is already open (draft).")
    ret.status = Status.DRAFT
    ret.approved_at = None
    ret.approved_by = None
    ret.locked_at = None
    _save_status(
        ret, actor, f"Reopened: {reason}"[:100], ["approved_at", "approved_by", "locked_at"]
    )
    return ret


@transaction.atomic
def returns_lock_due(*, today: datetime.date | None = None) -> int:
    """Lock approved returns whose window's lock date has passed."""
    today = today or timezone.localdate()
    ids = list(
        Return.objects.filter(
            source=Source.RETURN,
            status=Status.APPROVED,
            period__windows__region=F("local_authority__region"),
            period__windows__locks_on__lt=today,
        ).values_list("pk", flat=True)
    )
    for return_id in ids:
        return_lock(actor=None, return_id=return_id, reason="Locked at the window's lock date")
    return len(ids)
