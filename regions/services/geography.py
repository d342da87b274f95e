"""Writes for geography: England's regions, LAs and statistical neighbours from the shipped files."""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from sli_portal.access import System, require

from ..models import Closeness, LocalAuthority, Region, StatisticalNeighbour

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LA_FILE = DATA_DIR / "english_las_childrens_services.csv"
NEIGHBOUR_FILE = DATA_DIR / "statistical_neighbours_2025_long.csv"
REORGANISED_FILE = DATA_DIR / "reorganised_las.csv"
NEIGHBOUR_MODEL_YEAR = 2025


@dataclass
class ReferenceDataReport:
    regions_created: int = 0
    regions_updated: int = 0
    las_created: int = 0
    las_updated: int = 0
    las_deactivated: int = 0
    predecessors_created: int = 0
    predecessors_updated: int = 0
    neighbour_lists_changed: int = 0
    neighbour_links: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.regions_created,
                self.regions_updated,
                self.las_created,
                self.las_updated,
                self.las_deactivated,
                self.predecessors_created,
                self.predecessors_updated,
                self.neighbour_lists_changed,
            )
        )

    def lines(self) -> list[str]:
        return [
            f"Regions: {self.regions_created} created, {self.regions_updated} updated.",
            f"Local authorities: {self.las_created} created, {self.las_updated} updated, "
            f"{self.las_deactivated} no longer in the list (marked inactive).",
            f"Reorganised (predecessor) LAs: {self.predecessors_created} created, "
            f"{self.predecessors_updated} updated.",
            f"Statistical neighbours ({NEIGHBOUR_MODEL_YEAR} model): "
            f"{self.neighbour_lists_changed} LAs' lists changed; {self.neighbour_links} links in all.",
            *self.problems,
        ]


_CLOSENESS_BY_LABEL = {label.lower(): value for value, label in Closeness.choices}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name) or "la"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _load_regions(la_rows: list[dict[str, str]], report: "ReferenceDataReport") -> dict:
    regions_by_code = {region.code: region for region in Region.objects.all()}
    for code, name in sorted({(row["region_code"], row["region_name"]) for row in la_rows}):
        region = regions_by_code.get(code)
        if region is None:
            regions_by_code[code] = Region.objects.create(code=code, name=name, slug=slugify(name))
            report.regions_created += 1
        elif region.name != name:
            region.name = name
            region.save(update_fields=["name"])
            report.regions_updated += 1
    return regions_by_code


def _load_las(
    la_rows: list[dict[str, str]], regions_by_code: dict, report: "ReferenceDataReport"
) -> dict[str, LocalAuthority]:
    """LAs by GSS code, of those in the file. Matched on their DfE number; LAs missing from the
    file are marked inactive, never deleted."""
    existing = {la.dfe_code: la for la in LocalAuthority.objects.all()}
    taken_slugs = {la.slug for la in existing.values()}
    wanted_codes = {row["old_la_code"] for row in la_rows}
    predecessor_codes = {row["old_la_code"] for row in _read_csv(REORGANISED_FILE)}

    # A GSS code may move between LAs across a reorganisation: park changing codes first so
    # that the unique constraint never sees two LAs holding one code mid-update.
    gss_changes = [
        existing[row["old_la_code"]]
        for row in la_rows
        if row["old_la_code"] in existing
        and existing[row["old_la_code"]].gss_code != row["gss_code"]
    ]
    for parked in gss_changes:
        parked.gss_code = f"~{parked.dfe_code}"
        parked.save(update_fields=["gss_code"])

    for row in la_rows:
        values = {
            "gss_code": row["gss_code"],
            "name": row["la_name"],
            "la_type": row["lait_la_type"],
            "region_id": regions_by_code[row["region_code"]].pk,
            "is_active": True,
        }
        la = existing.get(row["old_la_code"])
        if la is None:
            created = LocalAuthority.objects.create(
                dfe_code=row["old_la_code"],
                slug=_unique_slug(row["la_name"], taken_slugs),
                **values,
            )
            existing[created.dfe_code] = created
            report.las_created += 1
            continue
        # A parked GSS code (above) differs from the file's, so it is among the changes.
        changed = [name for name, value in values.items() if getattr(la, name) != value]
        if changed:
            for name in changed:
                setattr(la, name, values[name])
            la.save(update_fields=changed)
            report.las_updated += 1

    for dfe_code, la in existing.items():
        if dfe_code not in wanted_codes and dfe_code not in predecessor_codes and la.is_active:
            la.is_active = False
            la.save(update_fields=["is_active"])
            report.las_deactivated += 1
    return {la.gss_code: la for la in existing.values() if la.dfe_code in wanted_codes}


def _load_neighbours(
    neighbour_rows: list[dict[str, str]],
    by_gss: dict[str, LocalAuthority],
    report: "ReferenceDataReport",
) -> None:
    wanted_links: dict[int, list[tuple[int, int, str]]] = {}
    for row in neighbour_rows:
        la = by_gss.get(row["la_gss_code"])
        neighbour = by_gss.get(row["neighbour_gss_code"])
        closeness = _CLOSENESS_BY_LABEL.get(row["closeness"].lower())
        if la is None or neighbour is None or closeness is None:
            report.problems.append(
                f"Skipped neighbour row {row['la_gss_code']} #{row['rank']}: unknown LA or closeness."
            )
            continue
        wanted_links.setdefault(la.pk, []).append((int(row["rank"]), neighbour.pk, closeness))

    current_links: dict[int, list[tuple[int, int, str]]] = {}
    for la_id, rank, neighbour_id, closeness in StatisticalNeighbour.objects.filter(
        model_year=NEIGHBOUR_MODEL_YEAR
    ).values_list("local_authority_id", "rank", "neighbour_id", "closeness"):
        current_links.setdefault(la_id, []).append((rank, neighbour_id, closeness))

    for la_id in set(wanted_links) | set(current_links):
        wanted = sorted(wanted_links.get(la_id, []))
        if wanted == sorted(current_links.get(la_id, [])):
            continue
        StatisticalNeighbour.objects.filter(
            local_authority_id=la_id, model_year=NEIGHBOUR_MODEL_YEAR
        ).delete()
        StatisticalNeighbour.objects.bulk_create(
            StatisticalNeighbour(
                local_authority_id=la_id,
                neighbour_id=neighbour_id,
                rank=rank,
                closeness=closeness,
                model_year=NEIGHBOUR_MODEL_YEAR,
            )
            for rank, neighbour_id, closeness in wanted
        )
        report.neighbour_lists_changed += 1
    report.neighbour_links = StatisticalNeighbour.objects.filter(
        model_year=NEIGHBOUR_MODEL_YEAR
    ).count()


def _load_predecessors(
    rows: list[dict[str, str]], regions_by_code: dict, report: "ReferenceDataReport"
) -> None:
    """LAs abolished by a reorganisation (inactive, with an end date) and their successors'
    start dates, so that published figures of their own years are kept."""
    existing = {la.dfe_code: la for la in LocalAuthority.objects.all()}
    taken_slugs = {la.slug for la in existing.values()}
    for row in rows:
        until = datetime.date.fromisoformat(row["existed_until"])
        values = {
            "gss_code": row["gss_code"],
            "name": row["la_name"],
            "la_type": row["lait_la_type"],
            "region_id": regions_by_code[row["region_code"]].pk,
            "is_active": False,
            "existed_until": until,
        }
        la = existing.get(row["old_la_code"])
        if la is None:
            la = LocalAuthority.objects.create(
                dfe_code=row["old_la_code"],
                slug=_unique_slug(f"{row['la_name']} {row['old_la_code']}", taken_slugs),
                **values,
            )
            report.predecessors_created += 1
        else:
            changed = [name for name, value in values.items() if getattr(la, name) != value]
            if changed:
                for name in changed:
                    setattr(la, name, values[name])
                la.save(update_fields=changed)
                report.predecessors_updated += 1
        for code in row["successor_old_la_codes"].split(";"):
            successor = existing.get(code.strip())
            if successor is None:
                report.problems.append(f"Successor {code} of {row['la_name']} is not an LA.")
                continue
            start = until + datetime.timedelta(days=1)
            if successor.existed_from != start:
                successor.existed_from = start
                successor.save(update_fields=["existed_from"])
            successor.predecessors.add(la)


@transaction.atomic
def reference_data_load(
    *, actor: User | System, la_file: Path = LA_FILE, neighbour_file: Path = NEIGHBOUR_FILE
) -> ReferenceDataReport:
    """Bring regions, LAs and statistical neighbours in line with the shipped files.

    Idempotent: only differences are written, so a second run reports no changes. LAs are
    matched on their DfE number, so a reorganised LA keeps its memberships and other data when
    its GSS code or name changes; LAs missing from the file are marked inactive, never deleted.
    """
    require(actor, "regions.run_jobs")
    report = ReferenceDataReport()
    la_rows = _read_csv(la_file)
    neighbour_rows = _read_csv(neighbour_file)
    regions_by_code = _load_regions(la_rows, report)
    by_gss = _load_las(la_rows, regions_by_code, report)
    _load_predecessors(_read_csv(REORGANISED_FILE), regions_by_code, report)
    _load_neighbours(neighbour_rows, by_gss, report)
    return report
