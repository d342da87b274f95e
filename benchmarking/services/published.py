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
from ..models.returns import VALUE_FIELDS as RETURN_FIELDS
from .published_areas import AreaRecords, _store_area_figures
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
    # file name -> what became of its records ("LA values", "England and region figures", a
    # skip reason, ...)
    per_file: dict[str, Counter] = field(default_factory=dict)
    figures_created: int = 0
    figures_updated: int = 0
    figures_unchanged: int = 0

    def count(self, name: str, what: str, n: int = 1) -> None:
        self.per_file.setdefault(name, Counter())[what] += n

    def skip(self, reason: str, detail: str = "", name: str = "") -> None:
        self.skipped[reason] += 1
        if name:
            self.count(name, f"skipped: {reason}")
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
        out.append(
            f"{self.figures_created + self.figures_updated + self.figures_unchanged} DfE England "
            f"and region figures stored: {self.figures_created} new, {self.figures_updated} "
            f"changed, {self.figures_unchanged} unchanged."
        )
        for reason, count in self.skipped.most_common():
            example = "; ".join(self.examples.get(reason, []))
            out.append(f"Skipped {count}: {reason}" + (f" (e.g. {example})" if example else "."))
        for name, counts in self.per_file.items():
            parts = ", ".join(f"{what} {n}" for what, n in sorted(counts.items()))
            out.append(f"{name}: {parts}.")
        return out


# (LA id, fiscal year, indicator code) -> the record read for it (the last one wins)
Records = dict[tuple[int, int, str], published.Record]
# (return id, indicator id, value, numerator, denominator, suppression, suppression reason,
# comment): a published value's comment says when DfE published one joint row for two LAs.
Row = tuple
VALUE_FIELDS = [*RETURN_FIELDS, "comment"]


@dataclass
class ReadRecords:
    """What the files hold: LA values, England/region figures, and where each came from."""

    las: Records = field(default_factory=dict)
    areas: AreaRecords = field(default_factory=dict)
    origin: dict[tuple[int, int, str], str] = field(default_factory=dict)
    joint: dict[tuple[int, int, str], str] = field(default_factory=dict)


def _read_published_csv(name: str, text: str):
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [(f or "").strip().lstrip("\ufeff") for f in reader.fieldnames or []]
    try:
        fmt = published.detect_format(reader.fieldnames)
    except published.UnknownFormat as exc:
        raise ValidationError(f"{name}: {exc}") from exc
    return fmt, reader


def _la_record(item, name, las, indicators, read: ReadRecords, report: ImportReport) -> None:
    """File an LA row's record under each LA it is for (two for a joint row)."""
    codes = [c.strip() for c in item.dfe_code.split("/") if c.strip()]
    if item.indicator not in indicators:
        report.skip("indicator not loaded", item.indicator, name)
        return
    for code in codes:
        la = las.get(code)
        if la is None:
            report.skip("not an English LA with children's services", item.dfe_code, name)
            continue
        if not la.existed_in_year(item.fiscal_year):
            if item.value is None and item.numerator is None:
                reason = f"LA did not exist in the year (DfE codes its row {item.suppression})"
            else:
                reason = "LA did not exist in the year, yet the file gives a value (not loaded)"
            report.skip(reason, f"{la.name} {item.fiscal_year}", name)
            continue
        if item.gss_code and len(codes) == 1 and item.gss_code != la.gss_code:
            report.renamed[(item.gss_code, la.gss_code, la.name)] += 1
        key = (la.pk, item.fiscal_year, item.indicator)
        read.las[key], read.origin[key] = item, name
        if len(codes) > 1:
            read.joint[key] = (
                f"Joint figure: DfE publishes one row for {item.la_name} ({item.dfe_code}); "
                "each LA of the pair is given it."
            )
            report.count(name, "LA values (joint row, given to each LA)")
        else:
            read.joint.pop(key, None)
            report.count(name, "LA values")


def _records(
    files: list[tuple[str, str]], indicators: dict[str, Indicator], report: ImportReport
) -> ReadRecords:
    """Every file's records for LAs that existed in the year and indicators that are loaded,
    and DfE's own national and regional figures."""
    las = {la.dfe_code: la for la in LocalAuthority.objects.all()}
    parsed = [(name, *_read_published_csv(name, text)) for name, text in files]
    # Population first: the rates per 10,000 computed from counts need it.
    parsed.sort(key=lambda item: item[1].name != "ONS population")
    read = ReadRecords()
    for name, fmt, reader in parsed:
        report.files.append(f"{name} ({fmt.name})")
        for item in published.parse_rows(reader, fmt):
            if isinstance(item, published.Skip):
                report.skip(item.reason, item.detail, name)
            elif item.is_la:
                _la_record(item, name, las, indicators, read, report)
            elif item.indicator not in indicators:
                report.skip("indicator not loaded", item.indicator, name)
            elif item.level == published.REGIONAL_LEVEL and not item.region_code.startswith("E12"):
                report.skip(
                    "Inner or Outer London row (the portal's regions are the nine ONS regions; "
                    "London's own row is stored)",
                    "",
                    name,
                )
            else:
                read.areas[(item.area_code, item.fiscal_year, item.indicator)] = (name, item)
                report.count(name, "England and region figures")
    return read


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
    read: ReadRecords,
    periods: dict[int, Period],
    returns: dict[tuple[int, int], int],
    indicators: dict[str, Indicator],
    report: ImportReport,
) -> list[Row]:
    """The values to store, each record's rate computed where it needs the population."""
    records = read.las
    population = _population_lookup(records, periods, indicators)
    rows = []
    for (la_id, year, code), item in records.items():
        name = read.origin[(la_id, year, code)]
        indicator = indicators[code]
        value, numerator, denominator = item.value, item.numerator, item.denominator
        if item.needs_population:
            pop = population.get((la_id, year))
            if pop is None:
                report.skip(
                    "no population estimate for the year (rate per 10,000 not computable)",
                    f"{code} {item.la_name} {periods[year].label}",
                    name,
                )
                continue
            denominator = pop
            assert numerator is not None and indicator.multiplier is not None  # a count's rate
            value = round(numerator / pop * indicator.multiplier, indicator.decimal_places)
        if value is not None and not _in_range(indicator, value):
            report.skip(
                "value outside the indicator's valid range",
                f"{code} {item.la_name} {periods[year].label} = {value}",
                name,
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
                read.joint.get((la_id, year, code), ""),
            )
        )
    return rows


@transaction.atomic
def published_data_import(*, actor: User | System, files: list[tuple[str, str]]) -> ImportReport:
    """Load DfE published LA figures (name, CSV text) into annual published returns, and DfE's
    own national and regional rows as the England and region figures (``PublishedFigure``).

    Idempotent: values are upserted on (return, indicator); a rerun changes nothing. LAs are
    matched on the DfE number so reorganised LAs with a new GSS code keep one series; a
    predecessor LA's rows are kept for the years it existed; a joint row ("314 / 318") gives
    each LA of the pair the joint value, marked in the value's comment. Rows of an LA in a year
    it did not exist are skipped and reported (DfE codes them z), as are blank values and
    values outside an indicator's valid range. Raises ValidationError (nothing saved) for an unknown file.
    Sends ``values_changed`` for each published return whose values changed.
    """
    require(actor, "benchmarking.import_published")
    report = ImportReport()
    indicators = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    if not indicators:
        indicators_load(actor=actor)
        indicators = {i.code: i for i in Indicator.objects.filter(region__isnull=True)}
    read = _records(files, indicators, report)
    years = {year for _, year, _ in read.las} | {year for _, year, _ in read.areas}
    periods = {year: period_for_year(year) for year in sorted(years)}
    returns = _published_returns(read.las, periods)
    rows = _rows(read, periods, returns, indicators, report)
    figures = _store_area_figures(read.areas, periods, indicators)
    report.figures_created, report.figures_updated, report.figures_unchanged = figures[:3]
    for problem in figures[3]:
        report.skip("England or region rate with no population estimate for the year", problem)
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
            "suppression_reason varchar(500), comment text) ON COMMIT DROP"
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
            INSERT INTO benchmarking_value ({columns}, warning, updated_at)
            SELECT {", ".join(f"s.{c}" for c in ["return_id", "indicator_id", *VALUE_FIELDS])},
                   '', now()
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
