"""Findings of a cycle, and proposing a regional theme for the region's next plan."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority
from regions.selectors.candidates import candidate_priority_source_key
from regions.services.candidates import candidate_priority_propose
from sli_portal.access import System, require

from ..models import Cycle, Finding, FindingKind, FindingStatus, Triad
from ._common import MAX_TEXT, _person


@transaction.atomic
def finding_create(
    *,
    actor: User | System,
    cycle: Cycle,
    kind: str,
    text: str,
    triad: Triad | None = None,
    local_authority: LocalAuthority | None = None,
) -> Finding:
    require(actor, "peer_challenge.manage_cycle", cycle)
    if kind not in FindingKind.values:
        raise ValidationError({"kind": "Choose what kind of finding this is."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the finding."})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"A finding is at most {MAX_TEXT} characters."})
    if triad is not None and triad.cycle_id != cycle.pk:
        raise ValidationError({"triad": "That triad belongs to another cycle."})
    if local_authority is not None and local_authority.region_id != cycle.region_id:
        raise ValidationError({"local_authority": "That LA is not in the cycle's region."})
    return Finding.objects.create(
        cycle=cycle,
        kind=kind,
        text=text,
        triad=triad,
        local_authority=local_authority,
        created_by=_person(actor),
    )


def _candidate_title(text: str, limit: int = 120) -> str:
    """A short title from a finding's text: its first line, cut at a word if too long."""
    first = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if len(first) <= limit:
        return first.rstrip(".")
    return first[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


@transaction.atomic
def finding_promote(*, actor: User | System, finding: Finding) -> Finding:
    """Propose a regional theme as a candidate priority for the region's next plan.

    The candidate goes on the region's list through the regions service (which checks the actor
    manages the region's plans); the finding keeps the link. Promoting twice is refused here and
    by regions' one-candidate-per-source constraint.
    """
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("cycle__region")
        .get(pk=finding.pk)
    )
    require(actor, "peer_challenge.manage_cycle", finding.cycle)
    if finding.kind != FindingKind.REGIONAL_THEME:
        raise ValidationError("Only regional themes can be proposed for the next plan.")
    if finding.status == FindingStatus.PROPOSED:
        raise ValidationError("This theme is already proposed for the next plan.")
    cycle = finding.cycle
    candidate = candidate_priority_propose(
        actor=actor,
        region=cycle.region,
        title=_candidate_title(finding.text),
        description=finding.text,
        source_label=f"Regional theme from {cycle.title}",
        source_url=f"{cycle.get_absolute_url()}#finding-{finding.pk}",
        source_key=candidate_priority_source_key("peer_challenge", "finding", finding.pk),
    )
    finding.status = FindingStatus.PROPOSED
    finding.promoted_by = _person(actor)
    finding.promoted_at = timezone.now()
    finding.candidate_priority = candidate
    finding.save(update_fields=["status", "promoted_by", "promoted_at", "candidate_priority"])
    return finding
