"""Peer challenge's part of a regional update (registered in apps.py with `regions.composing`):
each open cycle's status, and the year's take-up ("12 of 16 LAs")."""

from collections import Counter

from regions.composing import DraftSection, Window
from sli_portal.reversing import cached_reverse

from ..models import Cycle, CycleStatus, SelfAssessment, SelfAssessmentStatus
from .challenges import take_up


def _escape(text: str) -> str:
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def update_sections(window: Window) -> list[DraftSection]:
    region = window.region
    cycles = list(
        Cycle.objects.filter(region=region, created_at__lte=window.until)
        .filter(status=CycleStatus.OPEN)
        .order_by("-year", "kind", "title")[:5]
    )
    counts: dict[int, Counter] = {}
    for cycle_id, status in SelfAssessment.objects.filter(cycle__in=cycles).values_list(
        "cycle_id", "status"
    ):
        counts.setdefault(cycle_id, Counter())[status] += 1
    lines = []
    for cycle in cycles:
        mine = counts.get(cycle.pk, Counter())
        signed = mine.get(SelfAssessmentStatus.SIGNED_OFF, 0)
        line = f"- [{_escape(cycle.title)}]({cycle.get_absolute_url()}) ({cycle.year}): open"
        if sum(mine.values()):
            line += f", {signed} of {sum(mine.values())} self-assessments signed off"
        if cycle.self_assessment_due:
            line += f", self-assessments due {cycle.self_assessment_due:%-d %B %Y}"
        lines.append(line)
    years = [year for year in take_up(region) if year.year <= window.until.year]
    if years:
        latest = years[-1]
        line = f"- Take-up in {latest.year}: {latest.count} of {latest.total} LAs"
        if len(years) > 1:
            before = years[-2]
            line += f" (in {before.year}: {before.count} of {before.total})"
        lines.append(line + ".")
    if not lines:
        return []
    return [
        DraftSection(
            title="Peer challenge",
            markdown="\n".join(lines),
            source_url=cached_reverse("peer_challenge:index"),
            source_label="peer challenge in the portal",
            order=30,
        )
    ]
