"""The exception report: each flagged figure of a report, with its narrative and whether the
viewer may write one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from benchmarking.domain.reports import ExceptionFlag, exception_flags
from benchmarking.models import ExceptionNarrative, Indicator
from regions.scope import user_scope

from .reports import ReportInputs


@dataclass(frozen=True)
class ExceptionRow:
    flag: ExceptionFlag
    indicator: Indicator
    narrative: ExceptionNarrative | None
    can_write: bool
    la_slug: str


def exception_rows(user, inputs: ReportInputs) -> list[ExceptionRow]:
    flags = exception_flags(
        inputs.indicator_data(inputs.period),
        columns=inputs.las,
        scope=inputs.scope,
        neighbours=inputs.neighbours,
    )
    narratives = {
        (n.local_authority_id, n.indicator_id): n
        for n in ExceptionNarrative.objects.filter(
            period=inputs.period, local_authority__region=inputs.region
        ).select_related("written_by")
    }
    by_code = {i.code: i for i in inputs.indicators}
    scope = user_scope(user)
    slug_of = {pk: slug for slug, pk in inputs.la_ids_by_slug.items()}
    rows = []
    for flag in flags:
        indicator = by_code[flag.indicator.code]
        la_id = cast(int, flag.la_key)  # the report's LA columns are keyed by LA id
        rows.append(
            ExceptionRow(
                flag=flag,
                indicator=indicator,
                narrative=narratives.get((la_id, indicator.pk)),
                can_write=scope.has_la_role(la_id, "dcs", "performance_lead"),
                la_slug=slug_of[la_id],
            )
        )
    return rows


# The report's columns the page sorts by (sli_portal/listing.py); ties by LA, then indicator.
EXCEPTION_SORTS = {
    "la": lambda r: (r.flag.la_name.casefold(), r.indicator.name.casefold()),
    "indicator": lambda r: (r.indicator.name.casefold(), r.flag.la_name.casefold()),
    "value": lambda r: r.flag.cell.value,
    "flag": lambda r: (r.flag.flag != "bottom", r.flag.la_name.casefold()),
    "narrative": lambda r: (r.narrative is not None, r.flag.la_name.casefold()),
}
