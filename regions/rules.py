"""Who may do what with regions, LAs and people. Objects are Region or LocalAuthority."""

import rules

from .models import LocalAuthority, Region
from .scope import user_scope


def region_id_of(obj) -> int | None:
    """The region an object belongs to, for every app's rules: a Region itself, or anything
    with a `region_id` (a column, or a property on models that reach their region through a
    parent, e.g. a self-assessment through its cycle)."""
    if isinstance(obj, Region):
        return obj.pk
    return getattr(obj, "region_id", None)


_region_id = region_id_of


@rules.predicate
def is_admin(user):
    return user_scope(user).is_admin


@rules.predicate
def is_programme_manager_of(user, obj):
    """Programme manager of the region (or of the LA's region)."""
    region_id = _region_id(obj)
    return region_id is not None and user_scope(user).manages_region(region_id)


@rules.predicate
def is_in_region_of(user, obj):
    region_id = _region_id(obj)
    return region_id is not None and user_scope(user).in_region(region_id)


@rules.predicate
def is_dcs_of(user, la):
    return isinstance(la, LocalAuthority) and user_scope(user).has_la_role(la.pk, "dcs")


@rules.predicate
def is_performance_lead_of(user, la):
    return isinstance(la, LocalAuthority) and user_scope(user).has_la_role(
        la.pk, "performance_lead"
    )


@rules.predicate
def works_for(user, la):
    """Holds any role (DCS, performance lead, member) in the LA."""
    return isinstance(la, LocalAuthority) and user_scope(user).has_la_role(la.pk)


# Reference data (names, codes, types, neighbours) is public: any signed-in user sees it.
rules.add_perm("regions.view_region", rules.is_authenticated)
rules.add_perm("regions.view_localauthority", rules.is_authenticated)
# People's names and email addresses are for their own region (and administrators).
rules.add_perm("regions.view_people", is_admin | is_in_region_of)
rules.add_perm("regions.invite_people", is_admin | is_programme_manager_of)

# Plans, groups and votes register their permissions on import.
from . import plan_rules  # noqa: E402, F401
