"""Writes for candidate priorities: proposals for a region's next plan, and their adoption.

Other apps hand their proposals over through `candidate_priority_propose` (they never write
regions' tables), naming the proposing object with
`regions.selectors.candidates.candidate_priority_source_key`.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from sli_portal.access import System, require, user_of

from ..models import CandidatePriority, Priority, Region, Theme
from ._shared import _full_clean
from .priorities import priority_create


@transaction.atomic
def candidate_priority_propose(
    *,
    actor: User | System,
    region: Region,
    title: str,
    description: str = "",
    source_label: str,
    source_url: str = "",
    source_key: str = "",
) -> CandidatePriority:
    """Add a candidate priority to the region's list for its next plan.

    Other apps call this to hand a proposal over (they never write regions' tables). A
    `source_key` names what was proposed; proposing the same source twice is refused, here and
    by the `candidate_priority_one_per_source` constraint.
    """
    require(actor, "regions.change_plan", region)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Give the candidate priority a title."})
    if len(title) > 250:
        raise ValidationError({"title": "A candidate priority's title is at most 250 characters."})
    source_label = (source_label or "").strip()
    if not source_label:
        raise ValidationError({"source_label": "Say where the candidate priority comes from."})
    duplicate = f"This is already a candidate priority for {region}'s next plan."
    if (
        source_key
        and CandidatePriority.objects.filter(region=region, source_key=source_key).exists()
    ):
        raise ValidationError(duplicate)
    candidate = CandidatePriority(
        region=region,
        title=title,
        description=(description or "").strip(),
        source_label=source_label[:200],
        source_url=(source_url or "")[:500],
        source_key=source_key,
        proposed_by=user_of(actor),
    )
    _full_clean(candidate, exclude=["source_key"])
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as error:
        raise ValidationError(duplicate) from error
    return candidate


@transaction.atomic
def candidate_priority_adopt(
    *, actor: User | System, candidate: CandidatePriority, theme: Theme
) -> Priority:
    """Adopt a candidate straight into a theme of one of the region's plans, as a priority."""
    candidate = (
        CandidatePriority.objects.select_for_update(of=("self",))
        .select_related("region", "adopted_as__plan")
        .get(pk=candidate.pk)
    )
    require(actor, "regions.change_plan", candidate.region)
    if candidate.adopted_as is not None:
        raise ValidationError(
            f"“{candidate}” is already priority {candidate.adopted_as.number} "
            f"of {candidate.adopted_as.plan}."
        )
    if theme.plan.region_id != candidate.region_id:
        raise ValidationError({"theme": "The theme must be in one of the region's own plans."})
    priority = priority_create(
        actor=actor, theme=theme, title=candidate.title, description=candidate.description
    )
    candidate.adopted_as = priority
    candidate.adopted_by = user_of(actor)
    candidate.adopted_at = timezone.now()
    candidate.save(update_fields=["adopted_as", "adopted_by", "adopted_at"])
    return priority
