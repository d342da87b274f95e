"""Reads for Ofsted judgements."""

from ..models import LocalAuthority, OfstedInspection


def la_inspections(la: LocalAuthority) -> list[OfstedInspection]:
    """The LA's ILACS inspections, newest first (the first is its current judgement)."""
    return list(OfstedInspection.objects.filter(local_authority=la).order_by("-inspection_date"))


def latest_inspections(la_ids) -> dict[int, OfstedInspection]:
    """LA id -> its latest inspection, for the given LAs (one query)."""
    latest: dict[int, OfstedInspection] = {}
    for inspection in OfstedInspection.objects.filter(local_authority_id__in=list(la_ids)).order_by(
        "local_authority_id", "-inspection_date"
    ):
        latest.setdefault(inspection.local_authority_id, inspection)
    return latest
