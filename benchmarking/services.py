"""Writes for benchmarking: indicators, periods and windows, returns and their values."""

import csv
import datetime
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from regions.models import LocalAuthority, Region

from . import catalogue, files, published, validation
from .models import (
    ChaseEmail,
    ChaseOccasion,
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

DATA_DIR = Path(__file__).resolve().parent / "data"

# --- indicators -------------------------------------------------------------------------------


@dataclass
class IndicatorLoadReport:
    created: int = 0
    updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@transaction.atomic
def indicators_load() -> IndicatorLoadReport:
    """Create or update the shipped core set, context measures and cross-field rules.

    Idempotent: running it again changes nothing unless the catalogue changed.
    """
    report = IndicatorLoadReport()
    existing = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    rows = [(row, True) for row in catalogue.INDICATORS] + [
        (row, False) for row in catalogue.CONTEXT_INDICATORS
    ]
    for row, core in rows:
        fields = {
            "decimal_places": 1,
            "numerator_label": "",
            "denominator_label": "",
            "valid_min": None,
            "valid_max": None,
            "reference_date": "",
            "source": "",
            "lait_measure": "",
            **row,
            "is_core": core,
            "is_required": core,
        }
        indicator = existing.get(row["code"])
        if indicator is None:
            Indicator.objects.create(**fields)
            report.created += 1
            continue
        changed = [k for k, v in fields.items() if getattr(indicator, k) != v]
        if changed:
            for key in changed:
                setattr(indicator, key, fields[key])
            indicator.save(update_fields=changed)
            report.updated += 1
    by_code = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    for name, left, left_part, comparison, right, right_part, message in catalogue.RULES:
        ValidationRule.objects.update_or_create(
            left_indicator=by_code[left],
            left_part=left_part,
            comparison=comparison,
            right_indicator=by_code[right],
            right_part=right_part,
            defaults={"name": name, "message": message},
        )
    return report


# --- periods ----------------------------------------------------------------------------------

QUARTER_START_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


def quarter_dates(fiscal_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    month = QUARTER_START_MONTHS[quarter]
    year = fiscal_year + 1 if quarter == 4 else fiscal_year
    start = datetime.date(year, month, 1)
    end_month = month + 3
    end = datetime.date(year + end_month // 13, (end_month - 1) % 12 + 1, 1) - datetime.timedelta(
        days=1
    )
    return start, end


def period_for_quarter(fiscal_year: int, quarter: int) -> Period:
    start, end = quarter_dates(fiscal_year, quarter)
    period, _ = Period.objects.get_or_create(
        kind=PeriodKind.QUARTER,
        fiscal_year=fiscal_year,
        quarter=quarter,
        defaults={"start": start, "end": end},
    )
    return period


def period_for_year(fiscal_year: int) -> Period:
    period, _ = Period.objects.get_or_create(
        kind=PeriodKind.YEAR,
        fiscal_year=fiscal_year,
        quarter=None,
        defaults={
            "start": datetime.date(fiscal_year, 4, 1),
            "end": datetime.date(fiscal_year + 1, 3, 31),
        },
    )
    return period


def fiscal_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


# --- published annual data --------------------------------------------------------------------


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # reason -> count; examples keeps a few details per reason
    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    renamed: Counter = field(default_factory=Counter)

    def skip(self, reason: str, detail: str = "") -> None:
        self.skipped[reason] += 1
        if detail:
            shown = self.examples.setdefault(reason, [])
            if len(shown) < 5 and detail not in shown:
                shown.append(detail)

    @property
    def loaded(self) -> int:
        return self.created + self.updated + self.unchanged

    def lines(self) -> list[str]:
        out = [f"Read {', '.join(self.files)}."] if self.files else []
        out.append(
            f"{self.loaded} values loaded: {self.created} new, {self.updated} changed, "
            f"{self.unchanged} unchanged."
        )
        for (old, new, name), count in sorted(self.renamed.items()):
            out.append(
                f"{name}: {count} values filed under {new} (matched on DfE number; the file "
                f"has the earlier GSS code {old})."
            )
        for reason, count in self.skipped.most_common():
            example = "; ".join(self.examples.get(reason, []))
            out.append(f"Skipped {count}: {reason}" + (f" (e.g. {example})" if example else "."))
        return out


def _read_published_csv(name: str, text: str):
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [(f or "").strip().lstrip("\ufeff") for f in reader.fieldnames or []]
    try:
        fmt = published.detect_format(reader.fieldnames)
    except published.UnknownFormat as exc:
        raise ValidationError(f"{name}: {exc}") from exc
    return fmt, reader


@transaction.atomic
def published_data_import(*, files: list[tuple[str, str]], actor=None) -> ImportReport:
    """Load DfE published LA figures (name, CSV text) into annual published returns.

    Idempotent: values are upserted on (return, indicator); a rerun changes nothing. LAs are
    matched on the DfE number so reorganised LAs with a new GSS code keep one series; rows of
    LAs that no longer exist are skipped and reported, as are blank values and values outside
    an indicator's valid range. Raises ValidationError (nothing saved) for an unknown file.
    """
    report = ImportReport()
    indicators = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    if not indicators:
        indicators_load()
        indicators = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    las = {la.dfe_code: la for la in LocalAuthority.objects.all()}
    parsed = []
    for name, text in files:
        fmt, reader = _read_published_csv(name, text)
        parsed.append((name, fmt, reader))
    # Population first: the rates per 10,000 computed from counts need it.
    parsed.sort(key=lambda item: item[1].name != "ONS population")

    records: dict[tuple[int, int, str], published.Record] = {}
    for name, fmt, reader in parsed:
        report.files.append(f"{name} ({fmt.name})")
        for item in published.parse_rows(reader, fmt):
            if isinstance(item, published.Skip):
                report.skip(item.reason, item.detail)
                continue
            la = las.get(item.dfe_code)
            if la is None:
                report.skip(
                    "LA no longer exists (reorganised)",
                    f"{item.la_name} {item.dfe_code} {item.gss_code}".strip(),
                )
                continue
            if item.indicator not in indicators:
                report.skip("indicator not loaded", item.indicator)
                continue
            if item.gss_code and item.gss_code != la.gss_code:
                report.renamed[(item.gss_code, la.gss_code, la.name)] += 1
            records[(la.pk, item.fiscal_year, item.indicator)] = item

    years = sorted({year for _, year, _ in records})
    periods = {year: period_for_year(year) for year in years}
    population = _population_lookup(records, periods, indicators)

    Return.objects.bulk_create(
        [
            Return(
                local_authority_id=la_id,
                period=periods[year],
                source=Source.PUBLISHED,
                status=Status.PUBLISHED,
            )
            for la_id, year in {(la_id, year) for la_id, year, _ in records}
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    returns = {
        (r.local_authority_id, r.period_id): r.pk
        for r in Return.objects.filter(source=Source.PUBLISHED, period__in=periods.values()).only(
            "pk", "local_authority_id", "period_id"
        )
    }
    existing = {
        (v.return_obj_id, v.indicator_id): v
        for v in Value.objects.filter(
            return_obj__source=Source.PUBLISHED, return_obj__period__in=periods.values()
        ).only("pk", "return_obj_id", "indicator_id", *VALUE_FIELDS)
    }
    to_create, to_update = [], []
    for (la_id, year, code), item in records.items():
        indicator = indicators[code]
        value, numerator, denominator = item.value, item.numerator, item.denominator
        if item.needs_population:
            pop = population.get((la_id, year))
            if pop is None:
                report.skip(
                    "no population estimate for the year (rate per 10,000 not computable)",
                    f"{code} {item.la_name} {periods[year].label}",
                )
                continue
            denominator = pop
            value = round(numerator / pop * indicator.multiplier, indicator.decimal_places)
        if value is not None and not _in_range(indicator, value):
            report.skip(
                "value outside the indicator's valid range",
                f"{code} {item.la_name} {periods[year].label} = {value}",
            )
            continue
        fields = {
            "value": value,
            "numerator": numerator if value is not None else None,
            "denominator": denominator if value is not None else None,
            "suppression": "" if value is not None else item.suppression,
            "suppression_reason": ""
            if value is not None
            else published.SUPPRESSION_CODES[item.suppression],
        }
        return_id = returns[(la_id, periods[year].pk)]
        current = existing.get((return_id, indicator.pk))
        if current is None:
            to_create.append(Value(return_obj_id=return_id, indicator=indicator, **fields))
        elif any(_differs(getattr(current, k), v) for k, v in fields.items()):
            for key, new in fields.items():
                setattr(current, key, new)
            to_update.append(current)
        else:
            report.unchanged += 1
    Value.objects.bulk_create(to_create, batch_size=2000)
    Value.objects.bulk_update(to_update, VALUE_FIELDS, batch_size=2000)
    report.created, report.updated = len(to_create), len(to_update)
    return report


VALUE_FIELDS = ["value", "numerator", "denominator", "suppression", "suppression_reason"]


def _differs(old, new) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old.compare(new) != 0
    return old != new


def _in_range(indicator: Indicator, value: Decimal) -> bool:
    if indicator.valid_min is not None and value < indicator.valid_min:
        return False
    return indicator.valid_max is None or value <= indicator.valid_max


def _population_lookup(records, periods, indicators) -> dict[tuple[int, int], Decimal]:
    """(la_id, fiscal_year) -> children aged 0-17, from this import or earlier ones."""
    population = {
        (la_id, year): item.value
        for (la_id, year, code), item in records.items()
        if code == "POP_0_17" and item.value
    }
    stored = Value.objects.filter(
        indicator=indicators["POP_0_17"],
        return_obj__source=Source.PUBLISHED,
        return_obj__period__in=periods.values(),
        value__gt=0,
    ).values_list("return_obj__local_authority_id", "return_obj__period__fiscal_year", "value")
    for la_id, year, value in stored:
        population.setdefault((la_id, year), value)
    return population


def published_files_default() -> list[tuple[str, str]]:
    return [(path.name, path.read_text(encoding="utf-8-sig")) for path in published_paths(DATA_DIR)]


def published_paths(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(
            p
            for p in path.glob("*.csv")
            if _looks_published(p.open(encoding="utf-8-sig").readline())
        )
    return [path]


def _looks_published(header: str) -> bool:
    columns = [c.strip() for c in header.split(",")]
    try:
        published.detect_format(columns)
    except published.UnknownFormat:
        return False
    return True


# --- return windows ---------------------------------------------------------------------------


@transaction.atomic
def window_save(*, actor, region, period, opens_on, due_on, locks_on) -> ReturnWindow:
    if period.kind != PeriodKind.QUARTER:
        raise ValidationError("Return windows are for quarters.")
    if not (opens_on <= due_on <= locks_on):
        raise ValidationError("The window must open before it is due, and be due before it locks.")
    window, _ = ReturnWindow.objects.update_or_create(
        region=region,
        period=period,
        defaults={"opens_on": opens_on, "due_on": due_on, "locks_on": locks_on},
    )
    return window


def default_window_dates(period: Period) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Opens the day after the quarter ends, due 6 weeks later, locks 4 weeks after that."""
    opens = period.end + datetime.timedelta(days=1)
    return opens, opens + datetime.timedelta(weeks=6), opens + datetime.timedelta(weeks=10)


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


def return_indicators(region) -> dict[str, Indicator]:
    """What a region's quarterly return asks for: the core set plus its local indicators."""
    return {
        i.code: i
        for i in Indicator.objects.filter(is_active=True).filter(Q(is_core=True) | Q(region=region))
    }


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
    from .rules import region_staff_ids

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


def _history(las, indicators, period) -> dict[tuple[int, int], list[tuple[str, Decimal]]]:
    """Each LA's earlier values (oldest first): submitted quarters, then published years."""
    rows = (
        Value.objects.filter(
            return_obj__local_authority__in=las,
            indicator__in=indicators,
            return_obj__period__end__lt=period.start,
            value__isnull=False,
        )
        .filter(
            Q(return_obj__source=Source.PUBLISHED)
            | Q(return_obj__status__in=[Status.SUBMITTED, Status.APPROVED, Status.LOCKED])
        )
        .values_list(
            "return_obj__local_authority_id",
            "indicator_id",
            "return_obj__period__fiscal_year",
            "return_obj__period__quarter",
            "value",
        )
        .order_by("return_obj__period__end", "return_obj__period__kind")
    )
    history: dict[tuple[int, int], list[tuple[str, Decimal]]] = {}
    for la_id, indicator_id, year, quarter, value in rows:
        label = f"{year}-{(year + 1) % 100:02d}" + (f" Q{quarter}" if quarter else " (published)")
        history.setdefault((la_id, indicator_id), []).append((label, value))
    return history


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
        for v in Value.objects.filter(return_obj__in=returns.values())
    }
    reason = f"Uploaded in {file_name[:150]}"
    to_create, to_update, warnings = [], [], []
    fields = [*VALUE_FIELDS, "warning", "comment", "updated_by"]
    for item in result.values:
        ret = returns[item.la.pk]
        warning = validation.outlier_warning(
            item.indicator, item.value, history.get((item.la.pk, item.indicator.pk), [])
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
                Value(
                    return_obj=ret,
                    indicator=item.indicator,
                    comment=item.comment,
                    updated_by=actor,
                    **new,
                )
            )
        else:
            if item.comment:
                new["comment"] = item.comment
            if any(_differs(getattr(current, k), v) for k, v in new.items()):
                for key, value in new.items():
                    setattr(current, key, value)
                current.updated_by = actor
                to_update.append(current)
        if warning:
            warnings.append((item.la.name, item.indicator.code, warning))
    bulk_create_with_history(
        to_create, Value, batch_size=1000, default_user=actor, default_change_reason=reason
    )
    if to_update:
        now = timezone.now()
        for value in to_update:
            value.updated_at = now
        bulk_update_with_history(
            to_update,
            Value,
            [*fields, "updated_at"],
            batch_size=1000,
            default_user=actor,
            default_change_reason=reason,
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


@transaction.atomic
def indicator_create_local(*, actor, region: Region, data: dict) -> Indicator:
    """A region's own indicator, added to its quarterly return after the core set."""
    if Indicator.objects.filter(code=data["code"]).exists():
        raise ValidationError({"code": f"The code {data['code']} is already used."})
    indicator = Indicator(**data, region=region, is_core=False, theme="local", display_order=100)
    indicator._history_user = actor
    indicator.full_clean()
    indicator.save()
    return indicator


# --- chasing returns --------------------------------------------------------------------------

CHASE_DAYS_BEFORE_DUE = 7
OPEN_STATUSES = (Status.DRAFT,)


def chases_record_due(*, today: datetime.date | None = None) -> list[int]:
    """Record a chase for every LA whose return is not yet submitted: one in the week before the
    due date, one after it (until the lock date). Returns the ids of chases not yet sent.

    The unique (LA, quarter, occasion) row makes this idempotent: rerunning records nothing new.
    """
    today = today or timezone.localdate()
    windows = ReturnWindow.objects.filter(opens_on__lte=today, locks_on__gte=today).select_related(
        "period"
    )
    wanted = []
    for window in windows:
        if today > window.due_on:
            occasion = ChaseOccasion.AFTER_DUE
        elif today >= window.due_on - datetime.timedelta(days=CHASE_DAYS_BEFORE_DUE):
            occasion = ChaseOccasion.BEFORE_DUE
        else:
            continue
        done = set(
            Return.objects.filter(period=window.period, source=Source.RETURN)
            .exclude(status__in=OPEN_STATUSES)
            .values_list("local_authority_id", flat=True)
        )
        for la_id in LocalAuthority.objects.filter(
            region_id=window.region_id, is_active=True
        ).values_list("pk", flat=True):
            if la_id not in done:
                wanted.append(
                    ChaseEmail(local_authority_id=la_id, period=window.period, occasion=occasion)
                )
    ChaseEmail.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(ChaseEmail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))


def chase_send(*, chase_id: int) -> bool:
    """Email the LA's performance leads once; True if this call sent it."""
    from django.urls import reverse

    from regions.models import Membership, Role
    from sli_portal.emails import send_email

    with transaction.atomic():
        chase = (
            ChaseEmail.objects.select_for_update()
            .select_related("local_authority__region", "period")
            .filter(pk=chase_id, sent_at__isnull=True)
            .first()
        )
        if chase is None:
            return False
        ret = Return.objects.filter(
            local_authority=chase.local_authority, period=chase.period, source=Source.RETURN
        ).first()
        window = ReturnWindow.objects.filter(
            region=chase.local_authority.region, period=chase.period
        ).first()
        recipients = sorted(
            Membership.objects.filter(
                local_authority=chase.local_authority, role=Role.PERFORMANCE_LEAD
            ).values_list("user__email", flat=True)
        )
        if recipients and (ret is None or ret.status in OPEN_STATUSES):
            send_email(
                "return_chase",
                recipients,
                {
                    "chase": chase,
                    "la": chase.local_authority,
                    "period": chase.period,
                    "window": window,
                    "ret": ret,
                    "overdue": chase.occasion == ChaseOccasion.AFTER_DUE,
                    "return_path": reverse(
                        "benchmarking:return_detail",
                        kwargs={
                            "la_slug": chase.local_authority.slug,
                            "period_slug": chase.period.slug,
                        },
                    ),
                },
            )
        chase.recipients = "\n".join(recipients)
        chase.sent_at = timezone.now()
        chase.save(update_fields=["recipients", "sent_at"])
    return bool(recipients)
