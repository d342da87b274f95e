"""Who may do what in regions: reference data, people, plans, groups, votes and candidates.

Every object knows its region: a Region is its own, everything else has a `region_id` (a
column, or a property through its parent, e.g. an action through its priority's plan).
`region_id_of` is the one lookup every app's rules share. Programme managers of the region
edit; everyone with a role in the region reads; administrators (`sli_portal.access.is_admin`)
are named wherever they may act.
"""

import rules

from sli_portal.access import is_admin

from .models import (
    Action,
    LocalAuthority,
    Priority,
    Region,
    RegionalGroup,
    Update,
    Vote,
    VoteDelegate,
)
from .scope import user_scope

__all__ = [
    "is_admin",
    "is_dcs_of",
    "is_in_region_of",
    "is_partner_of",
    "is_performance_lead_of",
    "is_programme_manager_of",
    "region_id_of",
    "works_for",
]


def region_id_of(obj) -> int | None:
    """The region an object belongs to, for every app's rules: a Region itself, or anything
    with a `region_id` (a column, or a property on models that reach their region through a
    parent, e.g. a self-assessment through its cycle)."""
    if isinstance(obj, Region):
        return obj.pk
    return getattr(obj, "region_id", None)


@rules.predicate
def is_programme_manager_of(user, obj):
    """Programme manager of the object's region (a region, an LA, a plan, ...)."""
    region_id = region_id_of(obj)
    return region_id is not None and user_scope(user).manages_region(region_id)


@rules.predicate
def manages_a_region(user):
    return user_scope(user).is_programme_manager


@rules.predicate
def is_partner_of(user, obj):
    """A partner working with the object's region (reads only what the region opens)."""
    region_id = region_id_of(obj)
    return region_id is not None and region_id in user_scope(user).partner_region_ids


@rules.predicate
def is_in_region_of(user, obj):
    region_id = region_id_of(obj)
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
def is_partner_in_group(user, group):
    """A partner of the group's region who is one of its members (issue 17)."""
    return (
        isinstance(group, RegionalGroup)
        and group.region_id in user_scope(user).partner_region_ids
        and group.members.filter(pk=user.pk).exists()
    )


@rules.predicate
def is_region_dcs(user, obj):
    """DCS of some LA in the object's region."""
    scope = user_scope(user)
    region_id = region_id_of(obj)
    return any(scope.la_region_ids.get(la_id) == region_id for la_id in scope.las_with_role("dcs"))


@rules.predicate
def is_vote_delegate(user, vote):
    """Nominated by their DCS to cast an LA's ballot in this vote."""
    return isinstance(vote, Vote) and VoteDelegate.objects.filter(vote=vote, user=user).exists()


@rules.predicate
def is_invitee(user, invitation):
    """The signed-in person the invitation was sent to (the link itself is the credential)."""
    return bool(user.email) and user.email.lower() == invitation.email.lower()


@rules.predicate
def is_published_update(user, update):
    return isinstance(update, Update) and update.is_published


@rules.predicate
def is_public_update(user, update):
    return isinstance(update, Update) and update.is_published and update.is_public


can_read = is_admin | is_in_region_of
can_edit = is_admin | is_programme_manager_of

# The portal's own jobs (loading reference data, demo and scale seeding): SYSTEM only.
rules.add_perm("regions.run_jobs", rules.always_deny)
# Reference data (names, codes, types, neighbours) is public: any signed-in user sees it.
rules.add_perm("regions.view_region", rules.is_authenticated)
rules.add_perm("regions.view_localauthority", rules.is_authenticated)
# People's names and email addresses (and invitations) are for their own region.
rules.add_perm("regions.view_people", can_read)
rules.add_perm("regions.invite_people", can_edit)  # object: the Region or LocalAuthority
rules.add_perm("regions.accept_invitation", is_invitee)
rules.add_perm("regions.add_organisation", is_admin | manages_a_region)
# Ending any role (a DCS's too): object the Region (a programme manager) or the LocalAuthority.
rules.add_perm("regions.end_membership", can_edit)
# The position "analyst" is a regional grant (it approves, locks, uploads and reads every return of
# the region's LAs: benchmarking/rules.py): only the programme manager or an administrator gives it.
rules.add_perm("regions.grant_analyst", can_edit)  # object: the LocalAuthority
# Plans, themes, priorities, actions, funding: the region reads, its programme managers edit.
# Partners read the plan too (what the region opens to partners, issue 17).
rules.add_perm("regions.view_plan", can_read | is_partner_of)
rules.add_perm("regions.add_plan", can_edit)  # object: the Region
rules.add_perm("regions.change_plan", can_edit)
rules.add_perm("regions.record_progress", can_edit | sponsors_priority)
rules.add_perm("regions.update_action_status", can_edit | owns_action)
# Groups: the region reads; programme managers edit; the sponsor gives the annual account.
# A partner reads the groups they are a member of.
rules.add_perm("regions.view_group", can_read | is_partner_in_group)
rules.add_perm("regions.change_group", can_edit)
rules.add_perm("regions.account_group", can_edit | sponsors_group)
# Votes: the region reads; programme managers run them; DCSs (and delegates, checked against
# the vote's delegate list) vote.
rules.add_perm("regions.view_vote", can_read)
rules.add_perm("regions.manage_vote", can_edit)
rules.add_perm("regions.delegate_vote", is_region_dcs)
rules.add_perm("regions.cast_ballot", is_region_dcs | is_vote_delegate)
# Regional updates: the programme manager (and administrators) write, publish and send; the
# region's people and partners read what is published, every signed-in person reads published public ones
# (anyone reads those on the public pages).
rules.add_perm(
    "regions.view_update",
    can_edit | (is_published_update & (is_in_region_of | is_partner_of)) | is_public_update,
)
rules.add_perm("regions.add_update", can_edit)  # object: the Region
rules.add_perm("regions.change_update", can_edit)
rules.add_perm("regions.view_update_emails", can_edit)
rules.add_perm("regions.change_public_profile", can_edit)  # object: the Region
# Public subscriptions (subscribe, confirm, unsubscribe) come from people with no account: the
# portal acts for them (SYSTEM) and the signed link is the credential.
rules.add_perm("regions.manage_subscriptions", rules.always_deny)
