"""Who may do what in peer challenge. Objects: Region, Cycle, SelfAssessment, Challenge.

An administrator reads and manages everything, but does not write, submit or sign off an LA's
self-assessment (those rules do not say `is_admin`). Check with `sli_portal.access`.
"""

import rules

from regions.rules import region_id_of
from regions.scope import user_scope
from sli_portal.access import is_admin

from .models import ModeratorAssignment, SelfAssessment, SelfAssessmentStatus
from .selectors.triads import triad_partner_la_ids

WRITER_ROLES = ("dcs", "performance_lead")


@rules.predicate
def manages(user, obj):
    region_id = region_id_of(obj)
    return region_id is not None and user_scope(user).manages_region(region_id)


@rules.predicate
def in_region(user, obj):
    region_id = region_id_of(obj)
    return region_id is not None and user_scope(user).in_region(region_id)


@rules.predicate
def works_for_assessed_la(user, sa):
    return isinstance(sa, SelfAssessment) and user_scope(user).has_la_role(sa.local_authority_id)


@rules.predicate
def writes_for_assessed_la(user, sa):
    return isinstance(sa, SelfAssessment) and user_scope(user).has_la_role(
        sa.local_authority_id, *WRITER_ROLES
    )


@rules.predicate
def is_dcs_of_assessed_la(user, sa):
    return isinstance(sa, SelfAssessment) and user_scope(user).has_la_role(
        sa.local_authority_id, "dcs"
    )


@rules.predicate
def is_moderator_of(user, sa):
    if not isinstance(sa, SelfAssessment) or not user.is_authenticated:
        return False
    cached = getattr(sa, "_moderator_ids", None)
    if cached is None:
        cached = set(
            ModeratorAssignment.objects.filter(self_assessment=sa).values_list(
                "moderator_id", flat=True
            )
        )
        sa._moderator_ids = cached
    return user.pk in cached


@rules.predicate
def is_triad_partner_after_submission(user, sa):
    """Works for an LA in the same triad, and the self-assessment has been submitted."""
    if not isinstance(sa, SelfAssessment) or sa.status == SelfAssessmentStatus.DRAFT:
        return False
    la_ids = user_scope(user).la_ids
    if not la_ids:
        return False
    return bool(triad_partner_la_ids(sa) & la_ids)


@rules.predicate
def is_draft(user, sa):
    return sa.status == SelfAssessmentStatus.DRAFT


rules.add_perm("peer_challenge.view_region", is_admin | in_region)
rules.add_perm("peer_challenge.manage_region", is_admin | manages)
rules.add_perm("peer_challenge.view_cycle", is_admin | in_region)
rules.add_perm("peer_challenge.manage_cycle", is_admin | manages)
rules.add_perm(
    "peer_challenge.view_selfassessment",
    is_admin
    | manages
    | works_for_assessed_la
    | is_moderator_of
    | is_triad_partner_after_submission,
)
rules.add_perm("peer_challenge.edit_selfassessment", writes_for_assessed_la & is_draft)
rules.add_perm("peer_challenge.submit_selfassessment", is_dcs_of_assessed_la)
rules.add_perm("peer_challenge.sign_off_selfassessment", is_dcs_of_assessed_la)
rules.add_perm("peer_challenge.respond_selfassessment", writes_for_assessed_la)
rules.add_perm("peer_challenge.moderate_selfassessment", is_moderator_of)
rules.add_perm("peer_challenge.assign_moderators", is_admin | manages)
rules.add_perm("peer_challenge.view_challenge", is_admin | in_region)
rules.add_perm("peer_challenge.manage_challenge", is_admin | manages)
# Scheduled jobs (due reminders): only the portal itself (`SYSTEM`) passes.
rules.add_perm("peer_challenge.run_jobs", rules.always_deny)
