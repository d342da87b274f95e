"""Who may see the benchmarking reports and write exception narratives.

Visibility follows the returns: a region's quarterly (unpublished) figures are for the region's
people and administrators only, and reports show only *approved or locked* quarterly returns, so
an LA's unapproved data never appears in any report; published annual data is for every
signed-in user. Exception narratives are the region's business; an LA's DCS or performance lead
writes them for their own LA.
"""

from dataclasses import dataclass

import rules

from regions.models import LocalAuthority, Region
from regions.rules import is_admin, is_dcs_of, is_in_region_of, is_performance_lead_of


@dataclass(frozen=True)
class ReportTarget:
    region: Region
    period: object  # benchmarking.models.Period

    @property
    def region_id(self) -> int:
        return self.region.pk


@rules.predicate
def is_published_period(user, target):
    return isinstance(target, ReportTarget) and target.period.kind == "year"


@rules.predicate
def is_in_target_region(user, target):
    return isinstance(target, ReportTarget) and is_in_region_of(user, target.region)


@rules.predicate
def is_region_member(user, region):
    return isinstance(region, Region | LocalAuthority) and is_in_region_of(user, region)


can_view_report = rules.is_authenticated & (is_admin | is_published_period | is_in_target_region)

rules.add_perm("benchmarking.view_report", can_view_report)
rules.add_perm(
    "benchmarking.view_exceptions", rules.is_authenticated & (is_admin | is_region_member)
)
rules.add_perm("benchmarking.write_narrative", is_dcs_of | is_performance_lead_of)
