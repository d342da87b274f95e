"""Writes for priority votes: opening, delegating, casting and closing, and promoting winners.

An LA casts one ballot per vote: the vote row is locked while a ballot is cast, and the
`ballot_one_per_la_per_vote` constraint is the backstop.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from sli_portal.access import System, require, user_of

from .. import signals
from ..models import (
    Ballot,
    BallotChoice,
    CandidatePriority,
    LocalAuthority,
    Membership,
    Plan,
    Priority,
    Region,
    Theme,
    Vote,
    VoteCandidate,
    VoteDelegate,
    VoteMethod,
)
from ..selectors.votes import vote_las_for
from ._shared import _full_clean
from .priorities import priority_create


@transaction.atomic
def vote_open(
    *,
    actor: User | System,
    region: Region,
    title: str,
    candidates: list[tuple[str, str]],
    method: str = VoteMethod.APPROVAL,
    max_choices: int = 2,
    closes_at: datetime,
    plan: Plan | None = None,
    candidate_priorities: Iterable[CandidatePriority] = (),
) -> Vote:
    """Open a vote on candidate priorities; candidates are (title, description) pairs.

    `candidate_priorities` come from the region's list for its next plan; each becomes a
    candidate after the typed ones and keeps its link, so the winner's adoption is recorded
    on the list too.
    """
    require(actor, "regions.manage_vote", region)
    listed = list(candidate_priorities)
    if any(c.region_id != region.pk for c in listed):
        raise ValidationError(
            {"candidate_priorities": "Candidate priorities must be the region's own."}
        )
    if any(c.adopted_as_id for c in listed):
        raise ValidationError(
            {"candidate_priorities": "A candidate priority already adopted cannot be voted on."}
        )
    candidates = [(t.strip(), (d or "").strip()) for t, d in candidates if t and t.strip()]
    sources: list[CandidatePriority | None] = [None] * len(candidates)
    for c in listed:
        candidates.append((c.title, c.description))
        sources.append(c)
    if len(candidates) < 2:
        raise ValidationError({"candidates": "A vote needs at least two candidate priorities."})
    titles = [t.lower() for t, _ in candidates]
    if len(set(titles)) != len(titles):
        raise ValidationError({"candidates": "Two candidates have the same title."})
    if not 1 <= (max_choices or 0) <= len(candidates):
        raise ValidationError(
            {"max_choices": f"Choices per ballot must be between 1 and {len(candidates)}."}
        )
    if closes_at <= timezone.now():
        raise ValidationError({"closes_at": "The closing time must be in the future."})
    if plan is not None and plan.region_id != region.pk:
        raise ValidationError({"plan": "The plan must be one of the region's own."})
    vote = Vote(
        region=region,
        plan=plan,
        title=(title or "").strip(),
        method=method,
        max_choices=max_choices,
        closes_at=closes_at,
        created_by=user_of(actor),
    )
    _full_clean(vote)
    vote.save()
    VoteCandidate.objects.bulk_create(
        VoteCandidate(
            vote=vote, title=t[:250], description=d, position=n, candidate_priority=source
        )
        for n, ((t, d), source) in enumerate(zip(candidates, sources, strict=True), start=1)
    )
    signals.vote_opened.send(sender=Vote, vote=vote, actor=actor)
    return vote


@transaction.atomic
def vote_close(*, actor: User | System, vote: Vote) -> Vote:
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    require(actor, "regions.manage_vote", vote)
    if vote.closed_at is None:
        vote.closed_at = min(timezone.now(), vote.closes_at)
        vote.save(update_fields=["closed_at"])
    return vote


@transaction.atomic
def vote_delegate(
    *, actor: User | System, vote: Vote, local_authority: LocalAuthority, user: User
) -> VoteDelegate:
    """The DCS names someone else in their LA to cast its ballot in this vote."""
    require(actor, "regions.delegate_vote", vote)
    if not vote.is_open:
        raise ValidationError("The vote has closed.")
    if local_authority.region_id != vote.region_id:
        raise ValidationError({"local_authority": f"{local_authority} is not in {vote.region}."})
    if not Membership.objects.filter(user=user, local_authority=local_authority).exists():
        raise ValidationError({"user": f"{user} has no role in {local_authority}."})
    if Ballot.objects.filter(vote=vote, local_authority=local_authority).exists():
        raise ValidationError(f"{local_authority} has already voted.")
    delegate, _ = VoteDelegate.objects.update_or_create(
        vote=vote,
        local_authority=local_authority,
        defaults={"user": user, "nominated_by": user_of(actor)},
    )
    return delegate


@transaction.atomic
def vote_cast(
    *, actor: User | System, vote: Vote, local_authority: LocalAuthority, candidate_ids: list[int]
) -> Ballot:
    """Cast an LA's one ballot. For a ranked vote, candidate_ids are in order of preference.

    The vote row is locked so two submissions for one LA queue up and the second is told the LA
    has voted; the unique constraint `ballot_one_per_la_per_vote` is the backstop. Whose
    ballot the actor may cast (as the LA's DCS or its delegate) is told with the LA's name
    before the access check, which then always holds for them.
    """
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if not vote.is_open:
        raise ValidationError("The vote has closed: no more ballots can be cast.")
    if local_authority not in vote_las_for(user=actor, vote=vote):
        raise ValidationError(
            {"local_authority": f"You cannot cast {local_authority}'s ballot in this vote."}
        )
    require(actor, "regions.cast_ballot", vote)
    ids = [int(i) for i in candidate_ids]
    if not ids:
        raise ValidationError({"candidates": "Choose at least one candidate."})
    if len(set(ids)) != len(ids):
        raise ValidationError({"candidates": "A candidate can be chosen only once."})
    if len(ids) > vote.max_choices:
        raise ValidationError(
            {"candidates": f"Choose at most {vote.max_choices}; you chose {len(ids)}."}
        )
    candidates = {c.pk: c for c in vote.candidates.filter(pk__in=ids)}
    if len(candidates) != len(ids):
        raise ValidationError({"candidates": "One of the choices is not a candidate in this vote."})
    existing = Ballot.objects.filter(vote=vote, local_authority=local_authority).first()
    if existing is not None:
        raise ValidationError(f"{local_authority} has already voted in “{vote}”.")
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                vote=vote, local_authority=local_authority, cast_by=user_of(actor)
            )
    except IntegrityError as error:
        raise ValidationError(f"{local_authority} has already voted in “{vote}”.") from error
    ranked = vote.method == VoteMethod.RANKED
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, candidate=candidates[pk], rank=n if ranked else None)
        for n, pk in enumerate(ids, start=1)
    )
    return ballot


@transaction.atomic
def candidate_promote(*, actor: User | System, candidate: VoteCandidate, theme: Theme) -> Priority:
    """Make a (closed) vote's candidate a priority in one of the region's plans."""
    candidate = (
        VoteCandidate.objects.select_for_update().select_related("vote").get(pk=candidate.pk)
    )
    require(actor, "regions.manage_vote", candidate.vote)
    if candidate.vote.is_open:
        raise ValidationError("Close the vote before promoting its winners.")
    if candidate.promoted_to is not None:
        raise ValidationError(f"“{candidate}” is already priority {candidate.promoted_to.number}.")
    if theme.plan.region_id != candidate.vote.region_id:
        raise ValidationError({"theme": "The theme must be in one of the region's own plans."})
    priority = priority_create(
        actor=actor, theme=theme, title=candidate.title, description=candidate.description
    )
    candidate.promoted_to = priority
    candidate.save(update_fields=["promoted_to"])
    if candidate.candidate_priority_id:
        CandidatePriority.objects.filter(
            pk=candidate.candidate_priority_id, adopted_as__isnull=True
        ).update(adopted_as=priority, adopted_by=user_of(actor), adopted_at=timezone.now())
    return priority
