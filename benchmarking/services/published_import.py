"""Loading DfE published annual figures into published returns."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from regions.models import LocalAuthority

from .. import published
from ..models import (
    Indicator,
    Return,
    Source,
    Status,
    Value,
)
from .reference import indicators_load, period_for_year

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

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
    if connection.vendor == "postgresql":
        report.created, report.updated = _upsert_postgresql(rows)
    else:
        report.created, report.updated = _upsert_orm(rows)
    report.unchanged = len(rows) - report.created - report.updated
    return report


def _upsert_postgresql(rows) -> tuple[int, int]:
    """COPY into a staging table, then one INSERT ... ON CONFLICT that writes only rows whose
    numbers differ. About 10x faster than the ORM for 100,000 values."""
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
            """
        )
        updated = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO benchmarking_value ({columns}, warning, comment, updated_at)
            SELECT {", ".join(f"s.{c}" for c in ["return_id", "indicator_id", *VALUE_FIELDS])},
                   '', '', now()
              FROM benchmarking_value_stage s
             WHERE NOT EXISTS (
                   SELECT 1 FROM benchmarking_value v
                    WHERE v.return_id = s.return_id AND v.indicator_id = s.indicator_id)
            """
        )
        created = cursor.rowcount
        cursor.execute("DROP TABLE benchmarking_value_stage")
    return created, updated


def _upsert_orm(rows) -> tuple[int, int]:
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
        elif any(_differs(getattr(current, k), v) for k, v in fields.items()):
            for key, new in fields.items():
                setattr(current, key, new)
            to_update.append(current)
    Value.objects.bulk_create(to_create, batch_size=2000)
    Value.objects.bulk_update(to_update, VALUE_FIELDS, batch_size=2000)
    return len(to_create), len(to_update)


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
