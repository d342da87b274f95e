"""What peer challenge offers the header's search: findings, shown on their cycle's page, for
those who may open it. Registered in PeerChallengeConfig.ready()."""

from django.utils.text import Truncator

from regions.scope import user_scope
from sli_portal.search import Hit
from sli_portal.search.kinds import OVERSAMPLE, visible
from sli_portal.search.text import matching

from .models import Cycle, Finding


def _findings(user):
    scope = user_scope(user)
    findings = Finding.objects.all()
    if not scope.is_admin:
        findings = findings.filter(cycle__region_id__in=scope.region_ids)
    return findings


def _reads(user):
    from regions.models import Region

    scope = user_scope(user)
    cycles = Cycle.objects.all()
    if not scope.is_admin:
        cycles = cycles.filter(region_id__in=scope.region_ids)
    return [_findings(user), cycles, Region.objects.all()]


def find_findings(user, query: str, limit: int) -> list[Hit]:
    findings = _findings(user).select_related("cycle__region")
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

    search.register("Findings", find_findings, order=60, reads=_reads)
