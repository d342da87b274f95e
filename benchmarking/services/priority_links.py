"""Writes for indicators linked to a regional plan priority (issue 3: "a priority shows the trend
of its indicators"). Only the region's programme manager or an administrator links and unlinks;
the indicator must be a core indicator or a local indicator of the priority's region."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from benchmarking.models import Indicator, PriorityIndicator
from benchmarking.selectors.priority_links import linkable_indicators
from regions.models import Priority
from sli_portal.access import System, require, user_of

if TYPE_CHECKING:
    from accounts.models import User

PERM = "benchmarking.link_priority_indicator"


@transaction.atomic
def priority_indicator_link(
    *, actor: User | System, priority: Priority, indicator: Indicator
) -> PriorityIndicator:
    """Link ``indicator`` to ``priority`` (linking twice keeps the one link)."""
    require(actor, PERM, priority)
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
    Priority.objects.select_for_update().filter(pk=priority.pk).first()
    last = PriorityIndicator.objects.filter(priority=priority).aggregate(m=Max("order"))["m"]
    link, _ = PriorityIndicator.objects.get_or_create(
        priority=priority,
        indicator=indicator,
        defaults={"order": (last or 0) + 1, "linked_by": user_of(actor)},
    )
    return link


@transaction.atomic
def priority_indicator_unlink(
    *, actor: User | System, priority: Priority, indicator: Indicator
) -> bool:
    """Remove the link; True if there was one."""
    require(actor, PERM, priority)
    deleted, _ = PriorityIndicator.objects.filter(priority=priority, indicator=indicator).delete()
    return bool(deleted)
