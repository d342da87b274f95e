"""Reads about thematic and bilateral challenges, and the region's take-up over the years."""

from dataclasses import dataclass

from django.db.models import QuerySet

from regions.models import LocalAuthority, Region

from ..models import (
    Challenge,
    ChallengeStatus,
    Cycle,
    CycleKind,
    SelfAssessment,
    SelfAssessmentStatus,
)


def cycle_challenges(cycle: Cycle) -> list[Challenge]:
    return list(
        cycle.challenges.select_related("home_la")
        .prefetch_related("challenging_las")
        .order_by("home_la__name")
    )


@dataclass
class TakeUpYear:
    year: int
    total: int
    by_la: dict[str, list[str]]

    @property
    def count(self) -> int:
        return len(self.by_la)

    @property
    def rate(self) -> float:
        return self.count / self.total if self.total else 0.0


def take_up(region: Region) -> list[TakeUpYear]:
    """Per year: which LAs completed which kind of challenge, and how many of the region's LAs.

    An LA counts once a year if its annual self-assessment was signed off, or it was the home LA
    of a completed thematic or bilateral challenge. The denominator is the region's LAs that
    existed that year (before April 2019 the South West had Bournemouth, Poole and the old
    Dorset county: 16 LAs, not today's 15).
    """
    las = [
        la
        for la in LocalAuthority.objects.filter(region=region).only(
            "is_active", "existed_from", "existed_until"
        )
        if la.is_active or la.existed_until
    ]

    def total_in(year: int) -> int:
        return sum(1 for la in las if la.existed_in_year(year))

    years: dict[int, dict[str, set[str]]] = {}
    for year, la_name in SelfAssessment.objects.filter(
        cycle__region=region, status=SelfAssessmentStatus.SIGNED_OFF
    ).values_list("cycle__year", "local_authority__name"):
        years.setdefault(year, {}).setdefault(la_name, set()).add(CycleKind.ANNUAL_TRIAD.label)
    kind_labels = dict(CycleKind.choices)
    for year, kind, la_name in Challenge.objects.filter(
        cycle__region=region, status=ChallengeStatus.COMPLETED
    ).values_list("cycle__year", "cycle__kind", "home_la__name"):
        years.setdefault(year, {}).setdefault(la_name, set()).add(kind_labels[kind])
    for year in Cycle.objects.filter(region=region).values_list("year", flat=True):
        years.setdefault(year, {})
    return [
        TakeUpYear(
            year=year,
            total=total_in(year),
            by_la={name: sorted(kinds) for name, kinds in sorted(years[year].items())},
        )
        for year in sorted(years)
    ]


def challenges_for_pages() -> QuerySet[Challenge]:
    """Challenges as their pages read them (fetch one with `sli_portal.access.fetch`)."""
    return Challenge.objects.select_related("cycle__region", "home_la")
