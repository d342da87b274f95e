"""What peer challenge offers the header's search: findings, shown on their cycle's page, for
those who may open it. Registered in PeerChallengeConfig.ready()."""

from django.utils.text import Truncator

from regions.scope import user_scope
from sli_portal.search import Hit
from sli_portal.search.kinds import OVERSAMPLE, visible
from sli_portal.search.text import matching

from .models import Finding


def find_findings(user, query: str, limit: int) -> list[Hit]:
    scope = user_scope(user)
    findings = Finding.objects.select_related("cycle__region")
    if not scope.is_admin:
        findings = findings.filter(cycle__region_id__in=scope.region_ids)
    rows = matching(findings, query, vector="search_vector", text=("text",))[: limit * OVERSAMPLE]
    return [
        Hit(
            Truncator(f.text).chars(120),
            f"{f.cycle.get_absolute_url()}#finding-{f.pk}",
            f"{f.get_kind_display()} · {f.cycle}",
        )
        for f in visible(user, rows, "peer_challenge.view_cycle", limit, subject=lambda f: f.cycle)
    ]


def register() -> None:
    from sli_portal import search

    search.register("Findings", find_findings, order=60)
