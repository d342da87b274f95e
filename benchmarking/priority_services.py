"""Writes for indicators linked to a regional plan priority (issue 3: "a priority shows the trend
of its indicators"). Only the region's programme manager or an administrator links and unlinks;
the indicator must be a core indicator or a local indicator of the priority's region."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from .models import Indicator, PriorityIndicator


def _require(actor, priority) -> None:
    if not actor.has_perm("benchmarking.link_priority_indicator", priority):
        raise PermissionDenied("Only the region's programme manager may change linked indicators.")


def linkable_indicators(region_id: int):
    """Active core indicators and the region's own local indicators."""
    from django.db.models import Q

    return Indicator.objects.filter(is_active=True).filter(
        Q(is_core=True, region__isnull=True) | Q(region_id=region_id)
    )


@transaction.atomic
def priority_indicator_link(*, actor, priority, indicator: Indicator) -> PriorityIndicator:
    """Link ``indicator`` to ``priority`` (linking twice keeps the one link)."""
    _require(actor, priority)
    region_id = priority.plan.region_id
    if not linkable_indicators(region_id).filter(pk=indicator.pk).exists():
        raise ValidationError(
            f"{indicator.short_name} cannot be linked: choose a core indicator or one of this "
            "region's local indicators.",
            code="indicator_not_linkable",
        )
    existing = PriorityIndicator.objects.filter(priority=priority, indicator=indicator).first()
    if existing:
        return existing
    # the priority row is the lock: two links added at once get distinct orders
    type(priority).objects.select_for_update().filter(pk=priority.pk).first()
    last = PriorityIndicator.objects.filter(priority=priority).aggregate(m=Max("order"))["m"]
    link, _ = PriorityIndicator.objects.get_or_create(
        priority=priority,
        indicator=indicator,
        defaults={"order": (last or 0) + 1, "linked_by": actor},
    )
    return link


@transaction.atomic
def priority_indicator_unlink(*, actor, priority, indicator: Indicator) -> bool:
    """Remove the link; True if there was one."""
    _require(actor, priority)
    deleted, _ = PriorityIndicator.objects.filter(priority=priority, indicator=indicator).delete()
    return bool(deleted)
