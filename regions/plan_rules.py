"""Who may do what with plans, priorities, funding, groups and votes.

Every object here knows its region (`region_id`, or through its plan), so the predicates reuse
`regions.rules`: programme managers of the region edit, everyone with a role in the region reads.
"""

import rules

from .models import Region
from .plan_models import (
    Action,
    FundingContribution,
    Plan,
    PlanAttachment,
    Priority,
    ProgressUpdate,
    Theme,
)
from .rules import is_admin, is_in_region_of, is_programme_manager_of
from .scope import user_scope


def _plan_region_id(obj) -> int | None:
    if isinstance(obj, Region):
        return obj.pk
    if isinstance(obj, Plan):
        return obj.region_id
    if isinstance(obj, (Theme, Priority, FundingContribution)):
        return obj.plan.region_id
    if isinstance(obj, PlanAttachment):
        return obj.plan.region_id
    if isinstance(obj, Action | ProgressUpdate):
        return obj.priority.plan.region_id
    return getattr(obj, "region_id", None)


class _InRegion:
    """Adapter so the region predicates see a plan object's region."""

    def __init__(self, region_id):
        self.region_id = region_id


@rules.predicate
def manages_plan_region(user, obj):
    return is_programme_manager_of(user, _InRegion(_plan_region_id(obj)))


@rules.predicate
def in_plan_region(user, obj):
    return is_in_region_of(user, _InRegion(_plan_region_id(obj)))


@rules.predicate
def sponsors_priority(user, priority):
    """The DCS sponsoring the priority, while they are still the DCS of the sponsoring LA."""
    return (
        isinstance(priority, Priority)
        and priority.sponsor_id == user.pk
        and user_scope(user).has_la_role(priority.sponsor_la_id, "dcs")
    )


@rules.predicate
def owns_action(user, action):
    return isinstance(action, Action) and action.owner_id == user.pk


@rules.predicate
def sponsors_group(user, group):
    return getattr(group, "sponsor_id", None) == user.pk


@rules.predicate
def is_region_dcs(user, obj):
    """DCS of some LA in the object's region."""
    scope = user_scope(user)
    region_id = _plan_region_id(obj)
    return any(scope.la_region_ids.get(la_id) == region_id for la_id in scope.las_with_role("dcs"))


can_read = is_admin | in_plan_region
can_edit = is_admin | manages_plan_region

# Plans, themes, priorities, actions, funding: the region reads, its programme managers edit.
rules.add_perm("regions.view_plan", can_read)
rules.add_perm("regions.add_plan", can_edit)  # object: the Region
rules.add_perm("regions.change_plan", can_edit)
rules.add_perm("regions.record_progress", can_edit | sponsors_priority)
rules.add_perm("regions.update_action_status", can_edit | owns_action)
# Groups: the region reads; programme managers edit; the sponsor gives the annual account.
rules.add_perm("regions.view_group", can_read)
rules.add_perm("regions.change_group", can_edit)
rules.add_perm("regions.account_group", can_edit | sponsors_group)
# Votes: the region reads; programme managers run them; DCSs (and delegates, checked by the
# service against the vote's delegate list) vote.
rules.add_perm("regions.view_vote", can_read)
rules.add_perm("regions.manage_vote", can_edit)
rules.add_perm("regions.delegate_vote", is_region_dcs)
