"""Who may do what with events. Objects: Event, Region, LocalAuthority or Delegate."""

import rules

from regions.rules import is_admin, is_dcs_of, is_in_region_of, is_programme_manager_of
from regions.scope import user_scope

from .models import EventStatus


@rules.predicate
def is_not_draft(user, event):
    return getattr(event, "status", EventStatus.DRAFT) != EventStatus.DRAFT


@rules.predicate
def organises_delegates_event(user, delegate):
    return user_scope(user).manages_region(delegate.event.region_id)


@rules.predicate
def is_dcs_of_delegates_la(user, delegate):
    return user_scope(user).has_la_role(delegate.local_authority_id, "dcs")


organiser = is_admin | is_programme_manager_of

# An event of another region, or a draft, is not shown at all (404), not refused.
rules.add_perm("events.view_event", organiser | (is_in_region_of & is_not_draft))
# Create events (object: Region), change them and see everything about them (object: Event).
rules.add_perm("events.manage_event", organiser)
# Dietary and access needs: organisers only, never the registering LA afterwards.
rules.add_perm("events.view_needs", organiser)
# Register an LA's delegates (object: LocalAuthority): its DCS, or the organisers.
rules.add_perm("events.register_for_la", organiser | is_dcs_of)
# Change, substitute or cancel one delegate (object: Delegate).
rules.add_perm(
    "events.change_delegate", is_admin | organises_delegates_event | is_dcs_of_delegates_la
)


@rules.predicate
def manages_a_region(user):
    return user_scope(user).is_programme_manager


# Creating events at all (the form then offers only the regions the user manages).
rules.add_perm("events.create_events", is_admin | manages_a_region)
