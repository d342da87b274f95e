"""Who may do what with events. Objects: Event, Region, LocalAuthority or Delegate.

Administrators (`sli_portal.access.is_admin`) get exactly what the rules below grant them; the
portal itself (`SYSTEM`) passes every check, and is the only one to pass `events.run_jobs`."""

import rules

from regions.rules import is_dcs_of, is_in_region_of, is_partner_of, is_programme_manager_of
from regions.scope import user_scope
from sli_portal.access import is_admin

from .models import Delegate, Event, EventStatus


@rules.predicate
def is_not_draft(user, event):
    return getattr(event, "status", EventStatus.DRAFT) != EventStatus.DRAFT


# Every predicate answers without an object too (obj=None: the admin's list and add pages ask
# "may they change any delegate?"), with False: no one passes on an object they did not name.
@rules.predicate
def organises_delegates_event(user, delegate):
    return isinstance(delegate, Delegate) and user_scope(user).manages_region(
        delegate.event.region_id
    )


@rules.predicate
def is_dcs_of_delegates_la(user, delegate):
    return isinstance(delegate, Delegate) and user_scope(user).has_la_role(
        delegate.local_authority_id, "dcs"
    )


@rules.predicate
def sees_delegates_event(user, delegate):
    return isinstance(delegate, Delegate) and can_view_event(user, delegate.event)


@rules.predicate
def works_in_events_region(user, event):
    """Holds a role in an LA of the event's region (so has a place they could use)."""
    return isinstance(event, Event) and event.region_id in user_scope(user).la_region_ids.values()


@rules.predicate
def is_invited_to(user, event):
    return (
        isinstance(event, Event)
        and user.is_authenticated
        and event.invitees.filter(user_id=user.pk).exists()
    )


@rules.predicate
def manages_a_region(user):
    return user_scope(user).is_programme_manager


organiser = is_admin | is_programme_manager_of
# Partners see the region's events too (issue 17: what the region opens to partners).
can_view_event = organiser | ((is_in_region_of | is_partner_of) & is_not_draft)

# An event of another region, or a draft, is not shown at all (404), not refused.
rules.add_perm("events.view_event", can_view_event)
# Create events (object: Region), change them and see everything about them (object: Event).
rules.add_perm("events.manage_event", organiser)
# Dietary and access needs: organisers only, never the registering LA afterwards.
rules.add_perm("events.view_needs", organiser)
# Register an LA's delegates (object: LocalAuthority): its DCS, or the organisers.
rules.add_perm("events.register_for_la", organiser | is_dcs_of)
# A member registers themselves with one of their LA's places (object: Event); whether the
# event allows it is the service's check, so the refusal can say why.
rules.add_perm("events.register_self", works_in_events_region)
# See one delegate (object: Delegate): whoever sees the event.
rules.add_perm("events.view_delegate", sees_delegates_event)
# Change, substitute or cancel one delegate (object: Delegate).
rules.add_perm(
    "events.change_delegate", is_admin | organises_delegates_event | is_dcs_of_delegates_la
)
# Take one of their organisation's guest places (object: Event): partners of the event's region;
# whether their organisation has a place left is the service's check, so the refusal says why.
rules.add_perm("events.register_as_guest", is_partner_of & is_not_draft)
# Reply to a meeting invitation (object: Event): those invited.
rules.add_perm("events.respond_to_meeting", is_invited_to)
# Dates to avoid for every region (no region): administrators only.
rules.add_perm("events.manage_national_dates", is_admin)
# Creating events at all (the form then offers only the regions the user manages).
rules.add_perm("events.create_events", is_admin | manages_a_region)
# Feedback is given through the signed link in the feedback email (the link is the
# credential; the view checks it and records the answers as the portal).
rules.add_perm("events.record_feedback", rules.always_deny)
# Scheduled jobs: pools, quorum warnings, feedback requests, reminders, erasing needs.
rules.add_perm("events.run_jobs", rules.always_deny)
