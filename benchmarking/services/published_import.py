"""Loading DfE published annual figures into published returns."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

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
