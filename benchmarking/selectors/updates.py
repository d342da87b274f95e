"""Benchmarking's part of a regional update (registered in apps.py with `regions.composing`):
the quarter's tartan rug against England (where the region's LAs moved a quartile since the
quarter before) and the indicators on the exception report (top and bottom 20%).

Core indicators only (a region's local indicators stay inside the portal). Reads the region's
approved quarters up to the end of the window, then two report inputs (this quarter and the one
before), a fixed number of queries."""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils import timezone

from regions.composing import DraftSection, Window
from sli_portal.reversing import cached_reverse

from ..domain.reports import exception_flags
from ..models import (
    VISIBLE_TO_REGION_STATUSES,
    IndicatorSet,
    Period,
    PeriodKind,
    ReportScope,
    Return,
    Source,
)
from .reports import load_inputs, rug

BAND_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}
MAX_LINES = 8


def _quarters(window: Window) -> list[Period]:
    approved = Return.objects.filter(
        period=OuterRef("pk"),
        source=Source.RETURN,
        status__in=VISIBLE_TO_REGION_STATUSES,
        local_authority__region=window.region,
    )
    return list(
        Period.objects.filter(kind=PeriodKind.QUARTER, end__lte=timezone.localdate(window.until))
        .filter(Exists(approved))
        .order_by("-end")[:2]
    )


def _bands(period: Period, region) -> dict[tuple[str, str], str]:
    inputs = load_inputs(region, period, scope=ReportScope.ENGLAND, indicator_set=IndicatorSet.CORE)
    return {
        (row.indicator.name, cell.la_name): str(cell.band)
        for row in rug(inputs).rows
        for cell in row.cells
        if cell.band
    }


def _escape(text: str) -> str:
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _moves(current: dict, previous: dict) -> list[str]:
    up: dict[str, list[str]] = defaultdict(list)
    down: dict[str, list[str]] = defaultdict(list)
    for (indicator, la), band in current.items():
        before = previous.get((indicator, la))
        if before is None or before == band:
            continue
        (up if BAND_ORDER[band] < BAND_ORDER[before] else down)[indicator].append(la)
    lines = []
    for indicator in sorted(set(up) | set(down))[:MAX_LINES]:
        parts = []
        if up[indicator]:
            parts.append(f"up a quartile: {', '.join(_escape(n) for n in sorted(up[indicator]))}")
        if down[indicator]:
            parts.append(f"down: {', '.join(_escape(n) for n in sorted(down[indicator]))}")
        lines.append(f"- {_escape(indicator)}: {'; '.join(parts)}")
    return lines


def _exceptions(period: Period, region) -> list[str]:
    inputs = load_inputs(region, period, scope=ReportScope.REGION, indicator_set=IndicatorSet.CORE)
    flagged: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for flag in exception_flags(
        inputs.indicator_data(period),
        columns=inputs.las,
        scope=inputs.scope,
        neighbours=inputs.neighbours,
    ):
        flagged[flag.indicator.name][flag.flag.label].append(flag.la_name)
    return [
        f"- {_escape(name)}: "
        + "; ".join(
            f"{label}: {', '.join(_escape(n) for n in las)}" for label, las in kinds.items()
        )
        for name, kinds in sorted(flagged.items())[:MAX_LINES]
    ]


def update_sections(window: Window) -> list[DraftSection]:
    quarters = _quarters(window)
    if not quarters:
        return []
    current = quarters[0]
    region = window.region
    lines = [f"The tartan rug for {current.label} (approved returns of the region's LAs)."]
    if len(quarters) > 1:
        moves = _moves(_bands(current, region), _bands(quarters[1], region))
        lines.append(f"\nAgainst England, since {quarters[1].label}:")
        lines += moves or ["- No LA moved a quartile."]
    exceptions = _exceptions(current, region)
    if exceptions:
        lines.append("\nOn the exception report (top or bottom 20% of the region):")
        lines += exceptions
    url = cached_reverse("benchmarking_reports:rug", region_slug=region.slug)
    return [
        DraftSection(
            title=f"Data: {current.label}",
            markdown="\n".join(lines),
            source_url=f"{url}?period={current.slug}&scope=england",
            source_label="the tartan rug",
            order=40,
        )
    ]
