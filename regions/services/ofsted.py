"""Writes for Ofsted judgements: importing Ofsted's "Local authority inspection outcomes" ODS."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from python_calamine import CalamineWorkbook

from accounts.models import User
from sli_portal.access import System, require

from ..models import SUB_JUDGEMENTS, Judgement, LocalAuthority, OfstedInspection

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OFSTED_FILE = DATA_DIR / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
HISTORY_SHEET = "ILACS_inspection_history"
JUDGEMENTS = {label.lower(): value for value, label in Judgement.choices}
FIELDS = [
    "publication_date",
    "inspection_type",
    "overall_effectiveness",
    *[name for name, _ in SUB_JUDGEMENTS],
    "source_file",
]


@dataclass
class OfstedImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [
            f"Ofsted inspections: {self.created} new, {self.updated} changed, "
            f"{self.unchanged} unchanged."
        ]
        out += [f"Skipped {n}: {reason}" for reason, n in self.skipped.most_common()]
        return out


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None


def _rows(path: Path) -> list[dict]:
    """The history sheet's rows as dicts keyed by Ofsted's headings."""
    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_name(HISTORY_SHEET).to_python()
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise ValidationError(
            f"{path.name}: not Ofsted's inspection outcomes workbook (no readable "
            f"'{HISTORY_SHEET}' sheet)."
        ) from exc
    header_at = next((i for i, r in enumerate(rows) if "Inspection date" in r), None)
    if header_at is None:
        raise ValidationError(f"{path.name}: the '{HISTORY_SHEET}' sheet has no header row.")
    header = [str(h).strip() for h in rows[header_at]]
    return [dict(zip(header, row, strict=False)) for row in rows[header_at + 1 :] if any(row)]


def _fields(row: dict, name: str) -> dict | None:
    overall = JUDGEMENTS.get(str(row.get("Overall effectiveness", "")).strip().lower())
    if overall is None:
        return None
    fields = {
        "publication_date": _date(row.get("Publication date")),
        "inspection_type": str(row.get("Inspection type", "")).strip(),
        "overall_effectiveness": overall,
        "source_file": name,
    }
    for field_name, heading in SUB_JUDGEMENTS:
        fields[field_name] = JUDGEMENTS.get(str(row.get(heading, "")).strip().lower(), "")
    return fields


@transaction.atomic
def ofsted_import(*, actor: User | System, path: Path = OFSTED_FILE) -> OfstedImportReport:
    """Load every ILACS inspection in Ofsted's workbook (history sheet), matched to LAs on the
    ONS area code (then the name, for LAs whose code changed). Idempotent; a newer file adds
    its new inspections and updates changed ones (simple-history keeps the old judgements)."""
    require(actor, "regions.run_jobs")
    report = OfstedImportReport()
    las = list(LocalAuthority.objects.all())
    by_code = {la.gss_code: la for la in las}
    by_name = {la.name.lower(): la for la in las}
    existing = {
        (i.local_authority_id, i.inspection_date): i for i in OfstedInspection.objects.all()
    }
    for row in _rows(path):
        code = str(row.get("Local authority area code", "")).strip()
        la = by_code.get(code) or by_name.get(str(row.get("Local authority name", "")).lower())
        day = _date(row.get("Inspection date"))
        fields = _fields(row, path.name)
        if la is None:
            report.skipped[f"LA not known ({code} {row.get('Local authority name')})"] += 1
            continue
        if day is None or fields is None:
            report.skipped["no inspection date or overall judgement"] += 1
            continue
        current = existing.get((la.pk, day))
        if current is None:
            OfstedInspection.objects.create(local_authority=la, inspection_date=day, **fields)
            report.created += 1
        elif any(getattr(current, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(current, k, v)
            current.save()
            report.updated += 1
        else:
            report.unchanged += 1
    return report
