"""Reads about findings."""

from ..models import Cycle, Finding


def cycle_findings(cycle: Cycle) -> list[Finding]:
    return list(
        cycle.findings.select_related("triad", "local_authority", "promoted_by").order_by(
            "kind", "created_at"
        )
    )
