"""Reads for priority votes: the region's votes, a vote's turnout and results, and whose
ballot a user may cast."""

from dataclasses import dataclass

from django.db.models import Count

from accounts.models import User
from sli_portal.access import System

from ..models import (
    Ballot,
    BallotChoice,
    LocalAuthority,
    Region,
    Role,
    Vote,
    VoteCandidate,
    VoteDelegate,
    VoteMethod,
)


def vote_las_for(*, user: "User | System", vote: Vote) -> list[LocalAuthority]:
    """The LAs whose ballot this user may cast in this vote: as their DCS or as the delegate."""
    if not isinstance(user, User):
        return []
    as_dcs = LocalAuthority.objects.filter(
        region_id=vote.region_id, memberships__user=user, memberships__role=Role.DCS
    )
    as_delegate = LocalAuthority.objects.filter(
        pk__in=VoteDelegate.objects.filter(vote=vote, user=user).values("local_authority_id")
    )
    return list((as_dcs | as_delegate).distinct().order_by("name"))


def votes_for_region(*, region: Region) -> list[Vote]:
    return list(
        Vote.objects.filter(region=region)
        .annotate(ballot_count=Count("ballots", distinct=True))
        .order_by("-closes_at")
    )


@dataclass
class CandidateResult:
    candidate: VoteCandidate
    count: int
    points: int
    first_choices: int


def vote_results(*, vote: Vote) -> list[CandidateResult]:
    """Per candidate: ballots choosing it, and for ranked votes Borda points (N for a 1st, ...)."""
    candidates = list(vote.candidates.select_related("promoted_to").order_by("position", "pk"))
    tallies = {
        c.pk: CandidateResult(candidate=c, count=0, points=0, first_choices=0) for c in candidates
    }
    choices = BallotChoice.objects.filter(ballot__vote=vote).values_list("candidate_id", "rank")
    for candidate_id, rank in choices:
        result = tallies[candidate_id]
        result.count += 1
        if vote.method == VoteMethod.RANKED and rank:
            result.points += vote.max_choices - rank + 1
            result.first_choices += rank == 1
    key = (
        (lambda r: (-r.points, -r.count))
        if vote.method == VoteMethod.RANKED
        else (lambda r: -r.count)
    )
    return sorted(tallies.values(), key=key)


@dataclass
class VoteTurnout:
    la: LocalAuthority
    ballot: Ballot | None
    delegate: VoteDelegate | None


def vote_turnout(*, vote: Vote) -> list[VoteTurnout]:
    las = LocalAuthority.objects.filter(region_id=vote.region_id, is_active=True).order_by("name")
    ballots = {b.local_authority_id: b for b in vote.ballots.select_related("cast_by")}
    delegates = {d.local_authority_id: d for d in vote.delegates.select_related("user")}
    return [
        VoteTurnout(la=la, ballot=ballots.get(la.pk), delegate=delegates.get(la.pk)) for la in las
    ]
