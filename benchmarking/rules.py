"""Who may see and change benchmarking data (returns; reports and priority links at the end).

Objects: a LocalAuthority (returns of that LA), a Region (bulk files, grids, windows, local
indicators) or a Return. A region's analysts are members with the position "analyst" in any LA
of the region; with the programme manager they approve returns and upload multi-LA files.
Administrators (``sli_portal.access.is_admin``) are named in every rule they pass; the portal's
own jobs (``run_jobs``) are allowed to ``SYSTEM`` only.
"""

from dataclasses import dataclass

import rules

from regions.models import LocalAuthority, Membership, Position, Region
from regions.rules import (
    is_dcs_of,
    is_in_region_of,
    is_performance_lead_of,
    is_programme_manager_of,
    region_id_of,
    works_for,
)
from regions.scope import user_scope
from sli_portal.access import is_admin

from .models import (
    VISIBLE_TO_REGION_STATUSES,
    Indicator,
    IndicatorSet,
    Period,
    ReportBuild,
    Return,
    Source,
    Status,
)

_ANALYST_ATTR = "_sli_analyst_region_ids"


def analyst_region_ids(user) -> frozenset[int]:
    """Regions where the user is an analyst; no query unless they hold the position at all."""
    if Position.ANALYST not in user_scope(user).positions:
        return frozenset()
    cached = getattr(user, _ANALYST_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(user_id=user.pk, position=Position.ANALYST).values_list(
                "local_authority__region_id", flat=True
            )
        )
        setattr(user, _ANALYST_ATTR, cached)
    return cached


def _la(obj):
    if isinstance(obj, LocalAuthority):
        return obj
    if isinstance(obj, Return):
        return obj.local_authority
    return None


def region_staff_ids(user) -> frozenset[int]:
    """Regions whose returns the user manages: programme manager or analyst."""
    return user_scope(user).managed_region_ids | analyst_region_ids(user)


@rules.predicate
def is_region_staff(user, obj):
    region_id = region_id_of(obj)
    return region_id is not None and region_id in region_staff_ids(user)


@rules.predicate
def is_lead_of_la(user, obj):
    la = _la(obj)
    return la is not None and is_performance_lead_of(user, la)


@rules.predicate
def works_for_la(user, obj):
    la = _la(obj)
    return la is not None and works_for(user, la)


@rules.predicate
def in_region(user, obj):
    region_id = region_id_of(obj)
    return region_id is not None and user_scope(user).in_region(region_id)


@rules.predicate
def return_shared_with_region(user, obj):
    return isinstance(obj, Return) and (
        obj.source == Source.PUBLISHED or obj.status in VISIBLE_TO_REGION_STATUSES
    )


@rules.predicate
def is_published(user, obj):
    return isinstance(obj, Return) and obj.source == Source.PUBLISHED


# State checks: what a quarterly return's status allows (a LocalAuthority stands for a return
# not started yet, which is a draft to be).
@rules.predicate
def return_is_draft(user, obj):
    return not isinstance(obj, Return) or obj.status == Status.DRAFT


@rules.predicate
def return_is_submitted(user, obj):
    return isinstance(obj, Return) and obj.status == Status.SUBMITTED


@rules.predicate
def return_is_approved(user, obj):
    return isinstance(obj, Return) and obj.status == Status.APPROVED


@rules.predicate
def return_is_closed(user, obj):
    return isinstance(obj, Return) and obj.status in (
        Status.SUBMITTED,
        Status.APPROVED,
        Status.LOCKED,
    )


# Editing (upload, comment, submit) an LA's return: its performance lead, or region staff.
can_edit_return = is_admin | is_lead_of_la | is_region_staff
can_approve_return = is_admin | is_region_staff
can_reopen_return = is_admin | is_programme_manager_of
rules.add_perm("benchmarking.edit_return", can_edit_return)
rules.add_perm("benchmarking.approve_return", can_approve_return)
# Reopening a submitted, approved or locked return is the programme manager's call.
rules.add_perm("benchmarking.reopen_return", can_reopen_return)
# The same, with the return's status: what the services require.
rules.add_perm("benchmarking.change_return", can_edit_return & return_is_draft)
rules.add_perm("benchmarking.submit_return", can_edit_return & return_is_draft)
rules.add_perm("benchmarking.approve_submitted_return", can_approve_return & return_is_submitted)
rules.add_perm("benchmarking.lock_return", can_approve_return & return_is_approved)
rules.add_perm("benchmarking.reopen_closed_return", can_reopen_return & return_is_closed)
# Uploading after a window's lock date: region staff only.
rules.add_perm("benchmarking.upload_after_lock", is_admin | is_region_staff)
# Seeing a quarterly return: the LA's own people, region staff, and the rest of the region once
# approved. Published returns: everyone signed in.
rules.add_perm(
    "benchmarking.view_return",
    is_admin
    | is_published & rules.is_authenticated
    | works_for_la
    | is_region_staff
    | (in_region & return_shared_with_region),
)
rules.add_perm("benchmarking.view_completeness", is_admin | in_region)
rules.add_perm("benchmarking.bulk_upload", is_admin | is_region_staff)
rules.add_perm("benchmarking.manage_windows", is_admin | is_programme_manager_of)


# The optional first approval, by the LA's DCS (object: the Return).
@rules.predicate
def is_dcs_of_la(user, obj):
    la = _la(obj)
    return la is not None and is_dcs_of(user, la)


rules.add_perm("benchmarking.la_approve_return", is_admin | is_dcs_of_la)
# A region's own validation rules and expected ranges (object: the Region).
rules.add_perm("benchmarking.manage_rules", is_admin | is_programme_manager_of)
rules.add_perm("benchmarking.import_published", is_admin)
rules.add_perm("benchmarking.load_indicators", is_admin)
rules.add_perm("benchmarking.view_indicators", rules.is_authenticated)


# Indicators: the shipped catalogue is for every signed-in user; a region's local indicators
# (name, short name, definition, and every figure of them) for its own people and
# administrators. This one rule decides it for the indicator pages, the reports and their files.
def local_indicator_region_ids(user) -> frozenset[int] | None:
    """Regions whose local indicators the user may see; None: every region's (administrators)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if is_admin(user):
        return None
    return frozenset(user_scope(user).region_ids)


@rules.predicate
def sees_local_indicators_of(user, obj):
    """Object: an Indicator (shipped ones pass), a Region, or anything with a region."""
    if isinstance(obj, Indicator) and obj.region_id is None:
        return True
    region_id = region_id_of(obj)
    allowed = local_indicator_region_ids(user)
    return region_id is not None and (allowed is None or region_id in allowed)


rules.add_perm("benchmarking.read_indicator", rules.is_authenticated & sees_local_indicators_of)
rules.add_perm(
    "benchmarking.view_local_indicators", rules.is_authenticated & sees_local_indicators_of
)
# Scheduled jobs (chasing, locking at the lock date): the portal itself, nobody else.
rules.add_perm("benchmarking.run_jobs", rules.always_deny)


# Indicators linked to a regional plan priority (object: a regions.Priority).
@rules.predicate
def manages_priority_region(user, priority):
    plan = getattr(priority, "plan", None)
    return plan is not None and user_scope(user).manages_region(plan.region_id)


rules.add_perm("benchmarking.link_priority_indicator", is_admin | manages_priority_region)


# --- Reports ------------------------------------------------------------------------------------
# Visibility follows the returns: a region's quarterly (unpublished) figures are for the region's
# people and administrators only, and reports show only *approved or locked* quarterly returns,
# so an LA's unapproved data never appears in any report; published annual data is for every
# signed-in user. Exception narratives are the region's business; an LA's DCS or performance lead
# (or an administrator) writes them for their own LA. Objects: a ReportTarget (a region's report
# for a period) or a ReportBuild (a stored file of one); a Region for the exception report.


@dataclass(frozen=True)
class ReportTarget:
    region: Region
    period: Period
    indicator_set: str = IndicatorSet.CORE

    @property
    def region_id(self) -> int:
        return self.region.pk


@rules.predicate
def is_published_period(user, target):
    return isinstance(target, ReportTarget | ReportBuild) and target.period.kind == "year"


@rules.predicate
def is_in_target_region(user, target):
    return isinstance(target, ReportTarget | ReportBuild) and is_in_region_of(user, target.region)


@rules.predicate
def is_region_member(user, region):
    return isinstance(region, Region | LocalAuthority) and is_in_region_of(user, region)


@rules.predicate
def is_core_set(user, target):
    return getattr(target, "indicator_set", IndicatorSet.CORE) == IndicatorSet.CORE


# "All indicators" includes the region's local indicators: only for those who may see them.
can_view_report = rules.is_authenticated & (
    (is_admin | is_published_period | is_in_target_region)
    & (is_core_set | sees_local_indicators_of)
)

rules.add_perm("benchmarking.view_report", can_view_report)
# Asking for a report's file (or retrying a failed build): whoever may see the report.
rules.add_perm("benchmarking.build_report", can_view_report)
rules.add_perm(
    "benchmarking.view_exceptions", rules.is_authenticated & (is_admin | is_region_member)
)
rules.add_perm("benchmarking.write_narrative", is_admin | is_dcs_of | is_performance_lead_of)
