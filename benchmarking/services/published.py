"""Loading DfE published annual figures into published returns."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from accounts.models import User
from regions.models import LocalAuthority
from sli_portal.access import System, require

from .. import signals
from ..domain import published
from ..domain.numbers import numbers_differ
from ..models import Indicator, Period, Return, Source, Status, Value, period_for_year
from ..models.returns import VALUE_FIELDS
from .reference import indicators_load


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


# (LA id, fiscal year, indicator code) -> the record read for it (the last one wins)
Records = dict[tuple[int, int, str], published.Record]
# (return id, indicator id, value, numerator, denominator, suppression, suppression reason)
Row = tuple


def _read_published_csv(name: str, text: str):
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [(f or "").strip().lstrip("\ufeff") for f in reader.fieldnames or []]
    try:
        fmt = published.detect_format(reader.fieldnames)
    except published.UnknownFormat as exc:
        raise ValidationError(f"{name}: {exc}") from exc
    return fmt, reader


def _records(
    files: list[tuple[str, str]], indicators: dict[str, Indicator], report: ImportReport
) -> Records:
    """Every file's records for LAs that exist and indicators that are loaded."""
    las = {la.dfe_code: la for la in LocalAuthority.objects.all()}
    parsed = [(name, *_read_published_csv(name, text)) for name, text in files]
    # Population first: the rates per 10,000 computed from counts need it.
    parsed.sort(key=lambda item: item[1].name != "ONS population")
    records: Records = {}
    for name, fmt, reader in parsed:
        report.files.append(f"{name} ({fmt.name})")
        for item in published.parse_rows(reader, fmt):
            if isinstance(item, published.Skip):
                report.skip(item.reason, item.detail)
                continue
            if not item.is_la:
                report.skip(
                    "national or regional row (England and regional figures are computed from "
                    "LA numerators and denominators)"
                )
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
    return records


def _published_returns(records: Records, periods: dict[int, Period]) -> dict[tuple[int, int], int]:
    """(LA id, period id) -> id of the published return, created where missing."""
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
    return {
        (r.local_authority_id, r.period_id): r.pk
        for r in Return.objects.filter(source=Source.PUBLISHED, period__in=periods.values()).only(
            "pk", "local_authority_id", "period_id"
        )
    }


def _rows(
    records: Records,
    periods: dict[int, Period],
    returns: dict[tuple[int, int], int],
    indicators: dict[str, Indicator],
    report: ImportReport,
) -> list[Row]:
    """The values to store, each record's rate computed where it needs the population."""
    population = _population_lookup(records, periods, indicators)
    rows = []
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
            assert numerator is not None and indicator.multiplier is not None  # a count's rate
            value = round(numerator / pop * indicator.multiplier, indicator.decimal_places)
        if value is not None and not _in_range(indicator, value):
            report.skip(
                "value outside the indicator's valid range",
                f"{code} {item.la_name} {periods[year].label} = {value}",
            )
            continue
        given = value is not None
        rows.append(
            (
                returns[(la_id, periods[year].pk)],
                indicator.pk,
                value,
                numerator if given else None,
                denominator if given else None,
                "" if given else item.suppression,
                "" if given else published.SUPPRESSION_CODES[item.suppression],
            )
        )
    return rows


@transaction.atomic
def published_data_import(*, actor: User | System, files: list[tuple[str, str]]) -> ImportReport:
    """Load DfE published LA figures (name, CSV text) into annual published returns.

    Idempotent: values are upserted on (return, indicator); a rerun changes nothing. LAs are
    matched on the DfE number so reorganised LAs with a new GSS code keep one series; rows of
    LAs that no longer exist are skipped and reported, as are blank values and values outside
    an indicator's valid range. Raises ValidationError (nothing saved) for an unknown file.
    Sends ``values_changed`` for each published return whose values changed.
    """
    require(actor, "benchmarking.import_published")
    report = ImportReport()
    indicators = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    if not indicators:
        indicators_load(actor=actor)
        indicators = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    records = _records(files, indicators, report)
    periods = {year: period_for_year(year) for year in sorted({year for _, year, _ in records})}
    returns = _published_returns(records, periods)
    rows = _rows(records, periods, returns, indicators, report)
    if connection.vendor == "postgresql":
        created, updated = _upsert_postgresql(rows)
    else:
        created, updated = _upsert_orm(rows)
    report.created, report.updated = len(created), len(updated)
    report.unchanged = len(rows) - report.created - report.updated
    _announce(created + updated, actor)
    return report


def _announce(written: list[tuple[int, int]], actor: User | System) -> None:
    by_return: dict[int, list[int]] = {}
    for return_id, indicator_id in written:
        by_return.setdefault(return_id, []).append(indicator_id)
    for ret in Return.objects.filter(pk__in=by_return).order_by("pk"):
        signals.values_changed.send(
            sender=Return, return_obj=ret, actor=actor, indicator_ids=sorted(by_return[ret.pk])
        )


def _upsert_postgresql(rows: list[Row]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """COPY into a staging table, then one INSERT ... ON CONFLICT that writes only rows whose
    numbers differ. About 10x faster than the ORM for 100,000 values. Returns the (return id,
    indicator id) pairs created and updated."""
    columns = ", ".join(["return_id", "indicator_id", *VALUE_FIELDS])
    changed = " OR ".join(f"v.{c} IS DISTINCT FROM s.{c}" for c in VALUE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE benchmarking_value_stage (return_id bigint, indicator_id bigint, "
            "value numeric, numerator numeric, denominator numeric, suppression varchar(3), "
            "suppression_reason varchar(500)) ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY benchmarking_value_stage ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"""
            UPDATE benchmarking_value v
               SET {", ".join(f"{c} = s.{c}" for c in VALUE_FIELDS)}, updated_at = now()
              FROM benchmarking_value_stage s
             WHERE v.return_id = s.return_id AND v.indicator_id = s.indicator_id AND ({changed})
            RETURNING v.return_id, v.indicator_id
            """
        )
        updated = [(row[0], row[1]) for row in cursor.fetchall()]
        cursor.execute(
            f"""
            INSERT INTO benchmarking_value ({columns}, warning, comment, updated_at)
            SELECT {", ".join(f"s.{c}" for c in ["return_id", "indicator_id", *VALUE_FIELDS])},
                   '', '', now()
              FROM benchmarking_value_stage s
             WHERE NOT EXISTS (
                   SELECT 1 FROM benchmarking_value v
                    WHERE v.return_id = s.return_id AND v.indicator_id = s.indicator_id)
            RETURNING return_id, indicator_id
            """
        )
        created = [(row[0], row[1]) for row in cursor.fetchall()]
        cursor.execute("DROP TABLE benchmarking_value_stage")
    return created, updated


def _upsert_orm(rows: list[Row]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The portable path (SQLite for `make run`)."""
    return_ids = {row[0] for row in rows}
    existing = {
        (v.return_obj_id, v.indicator_id): v
        for v in Value.objects.filter(return_obj_id__in=return_ids).only(
            "pk", "return_obj_id", "indicator_id", *VALUE_FIELDS
        )
    }
    to_create, to_update = [], []
    for return_id, indicator_id, *values in rows:
        fields = dict(zip(VALUE_FIELDS, values, strict=True))
        current = existing.get((return_id, indicator_id))
        if current is None:
            to_create.append(Value(return_obj_id=return_id, indicator_id=indicator_id, **fields))
        elif any(numbers_differ(getattr(current, k), v) for k, v in fields.items()):
            for key, new in fields.items():
                setattr(current, key, new)
            to_update.append(current)
    Value.objects.bulk_create(to_create, batch_size=2000)
    Value.objects.bulk_update(to_update, VALUE_FIELDS, batch_size=2000)
    return (
        [(v.return_obj_id, v.indicator_id) for v in to_create],
        [(v.return_obj_id, v.indicator_id) for v in to_update],
    )


def _in_range(indicator: Indicator, value: Decimal) -> bool:
    if indicator.valid_min is not None and value < indicator.valid_min:
        return False
    return indicator.valid_max is None or value <= indicator.valid_max


def _population_lookup(
    records: Records, periods: dict[int, Period], indicators: dict[str, Indicator]
) -> dict[tuple[int, int], Decimal]:
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
        if value is not None:
            population.setdefault((la_id, year), value)
    return population
