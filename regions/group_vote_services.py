"""Writes for regional groups (with their annual accounts) and priority voting.

Like `plan_services`, every write names its acting user; the vote's one-ballot-per-LA rule is
held by a row lock and the `ballot_one_per_la_per_vote` constraint.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import LocalAuthority, Membership, Role
from .plan_models import (
    Ballot,
    BallotChoice,
    CandidatePriority,
    GroupAccountEntry,
    GroupAnnualAccount,
    Plan,
    Priority,
    RegionalGroup,
    Theme,
    Vote,
    VoteCandidate,
    VoteDelegate,
    VoteMethod,
    financial_year_label,
)
from .plan_services import _full_clean, priority_create

# --- regional groups ------------------------------------------------------------------------


def _check_group(group: RegionalGroup, members, priorities) -> None:
    region_id = group.region_id
    if (
        group.sponsor_id
        and not Membership.objects.filter(
            user_id=group.sponsor_id, local_authority__region_id=region_id
        ).exists()
    ):
        raise ValidationError(
            {"sponsor": f"{group.sponsor} has no role in an LA of {group.region}."}
        )
    outsiders = [
        m
        for m in members
        if not Membership.objects.filter(user=m, local_authority__region_id=region_id).exists()
    ]
    if outsiders:
        names = ", ".join(str(m) for m in outsiders)
        raise ValidationError({"members": f"Not in an LA of {group.region}: {names}."})
    foreign = [p for p in priorities if p.plan.region_id != region_id]
    if foreign:
        raise ValidationError({"priorities": "Priorities must come from the region's own plans."})


@transaction.atomic
def group_create(
    *,
    actor,
    region,
    name: str,
    accountable_to: str,
    sponsor=None,
    remit: str = "",
    members=(),
    priorities=(),
) -> RegionalGroup:
    name = (name or "").strip()
    if RegionalGroup.objects.filter(region=region, name__iexact=name).exists():
        raise ValidationError({"name": f"{region} already has a group called “{name}”."})
    group = RegionalGroup(
        region=region, name=name, accountable_to=accountable_to, sponsor=sponsor, remit=remit
    )
    _full_clean(group)
    _check_group(group, members, priorities)
    group.save()
    group.members.set(members)
    group.priorities.set(priorities)
    return group


@transaction.atomic
def group_update(
    *,
    actor,
    group: RegionalGroup,
    name: str,
    accountable_to: str,
    sponsor=None,
    remit: str = "",
    members=(),
    priorities=(),
) -> RegionalGroup:
    name = (name or "").strip()
    if (
        RegionalGroup.objects.filter(region=group.region, name__iexact=name)
        .exclude(pk=group.pk)
        .exists()
    ):
        raise ValidationError({"name": f"{group.region} already has a group called “{name}”."})
    group.name, group.accountable_to, group.sponsor, group.remit = (
        name,
        accountable_to,
        sponsor,
        remit,
    )
    _full_clean(group)
    _check_group(group, members, priorities)
    group.save()
    group.members.set(members)
    group.priorities.set(priorities)
    return group


@transaction.atomic
def group_account_submit(
    *, actor, group: RegionalGroup, year: int, summary: str, narratives: dict[int, str]
) -> GroupAnnualAccount:
    """The group's account for a year: per supported priority, how its work advanced it."""
    if GroupAnnualAccount.objects.filter(group=group, year=year).exists():
        raise ValidationError(
            {"year": f"{group} has already given its account for {financial_year_label(year)}."}
        )
    supported = {p.pk: p for p in group.priorities.all()}
    unknown = set(narratives) - set(supported)
    if unknown:
        raise ValidationError("The account names priorities the group does not support.")
    entries = {pk: (text or "").strip() for pk, text in narratives.items() if (text or "").strip()}
    if not entries and not (summary or "").strip():
        raise ValidationError(
            {"summary": "Say how the group's work advanced at least one priority."}
        )
    try:
        with transaction.atomic():
            account = GroupAnnualAccount.objects.create(
                group=group, year=year, summary=(summary or "").strip(), submitted_by=actor
            )
    except IntegrityError as error:
        raise ValidationError(
            {"year": f"{group} has already given its account for {financial_year_label(year)}."}
        ) from error
    GroupAccountEntry.objects.bulk_create(
        GroupAccountEntry(account=account, priority=supported[pk], narrative=text)
        for pk, text in entries.items()
    )
    return account


# --- priority voting ------------------------------------------------------------------------


@transaction.atomic
def vote_open(
    *,
    actor,
    region,
    title: str,
    candidates: list[tuple[str, str]],
    method: str = VoteMethod.APPROVAL,
    max_choices: int = 2,
    closes_at: datetime,
    plan: Plan | None = None,
    candidate_priorities=(),
) -> Vote:
    """Open a vote on candidate priorities; candidates are (title, description) pairs.

    `candidate_priorities` come from the region's list for its next plan; each becomes a
    candidate after the typed ones and keeps its link, so the winner's adoption is recorded
    on the list too.
    """
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
    sources = [None] * len(candidates)
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
        created_by=actor,
    )
    _full_clean(vote)
    vote.save()
    VoteCandidate.objects.bulk_create(
        VoteCandidate(
            vote=vote, title=t[:250], description=d, position=n, candidate_priority=source
        )
        for n, ((t, d), source) in enumerate(zip(candidates, sources, strict=True), start=1)
    )
    return vote


@transaction.atomic
def vote_close(*, actor, vote: Vote) -> Vote:
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.closed_at is None:
        vote.closed_at = min(timezone.now(), vote.closes_at)
        vote.save(update_fields=["closed_at"])
    return vote


def vote_las_for(user, vote: Vote) -> list[LocalAuthority]:
    """The LAs whose ballot this user may cast in this vote: as their DCS or as the delegate."""
    as_dcs = LocalAuthority.objects.filter(
        region_id=vote.region_id, memberships__user=user, memberships__role=Role.DCS
    )
    as_delegate = LocalAuthority.objects.filter(
        pk__in=VoteDelegate.objects.filter(vote=vote, user=user).values("local_authority_id")
    )
    return list((as_dcs | as_delegate).distinct().order_by("name"))


@transaction.atomic
def vote_delegate(*, actor, vote: Vote, local_authority: LocalAuthority, user) -> VoteDelegate:
    """The DCS names someone else in their LA to cast its ballot in this vote."""
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
        defaults={"user": user, "nominated_by": actor},
    )
    return delegate


@transaction.atomic
def vote_cast(
    *, actor, vote: Vote, local_authority: LocalAuthority, candidate_ids: list[int]
) -> Ballot:
    """Cast an LA's one ballot. For a ranked vote, candidate_ids are in order of preference.

    The vote row is locked so two submissions for one LA queue up and the second is told the LA
    has voted; the unique constraint `ballot_one_per_la_per_vote` is the backstop.
    """
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if not vote.is_open:
        raise ValidationError("The vote has closed: no more ballots can be cast.")
    if local_authority not in vote_las_for(actor, vote):
        raise ValidationError(
            {"local_authority": f"You cannot cast {local_authority}'s ballot in this vote."}
        )
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
                vote=vote, local_authority=local_authority, cast_by=actor
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
def candidate_promote(*, actor, candidate: VoteCandidate, theme: Theme) -> Priority:
    """Make a (closed) vote's candidate a priority in one of the region's plans."""
    candidate = (
        VoteCandidate.objects.select_for_update().select_related("vote").get(pk=candidate.pk)
    )
    if candidate.vote.is_open:
        raise ValidationError("Close the vote before promoting its winners.")
    if candidate.promoted_to_id:
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
        ).update(adopted_as=priority, adopted_by=actor, adopted_at=timezone.now())
    return priority


# --- candidate priorities for the next plan -------------------------------------------------


def _require_region_manager(actor, region) -> None:
    if not actor.has_perm("regions.change_plan", region):
        raise PermissionDenied(f"Only {region}'s programme managers manage its next plan.")


def candidate_priority_source_key(app_label: str, model_name: str, pk: int) -> str:
    return f"{app_label}.{model_name}:{pk}"


@transaction.atomic
def candidate_priority_propose(
    *,
    actor,
    region,
    title: str,
    description: str = "",
    source_label: str,
    source_url: str = "",
    source_key: str = "",
) -> CandidatePriority:
    """Add a candidate priority to the region's list for its next plan.

    Other apps call this to hand a proposal over (they never write regions' tables). A
    `source_key` names what was proposed; proposing the same source twice is refused, here and
    by the `candidate_priority_one_per_source` constraint.
    """
    _require_region_manager(actor, region)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Give the candidate priority a title."})
    if len(title) > 250:
        raise ValidationError({"title": "A candidate priority's title is at most 250 characters."})
    source_label = (source_label or "").strip()
    if not source_label:
        raise ValidationError({"source_label": "Say where the candidate priority comes from."})
    duplicate = f"This is already a candidate priority for {region}'s next plan."
    if (
        source_key
        and CandidatePriority.objects.filter(region=region, source_key=source_key).exists()
    ):
        raise ValidationError(duplicate)
    candidate = CandidatePriority(
        region=region,
        title=title,
        description=(description or "").strip(),
        source_label=source_label[:200],
        source_url=(source_url or "")[:500],
        source_key=source_key,
        proposed_by=actor,
    )
    _full_clean(candidate, exclude=["source_key"])
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as error:
        raise ValidationError(duplicate) from error
    return candidate


@transaction.atomic
def candidate_priority_adopt(*, actor, candidate: CandidatePriority, theme: Theme) -> Priority:
    """Adopt a candidate straight into a theme of one of the region's plans, as a priority."""
    candidate = (
        CandidatePriority.objects.select_for_update(of=("self",))
        .select_related("region", "adopted_as__plan")
        .get(pk=candidate.pk)
    )
    _require_region_manager(actor, candidate.region)
    if candidate.adopted_as_id:
        raise ValidationError(
            f"“{candidate}” is already priority {candidate.adopted_as.number} "
            f"of {candidate.adopted_as.plan}."
        )
    if theme.plan.region_id != candidate.region_id:
        raise ValidationError({"theme": "The theme must be in one of the region's own plans."})
    priority = priority_create(
        actor=actor, theme=theme, title=candidate.title, description=candidate.description
    )
    candidate.adopted_as = priority
    candidate.adopted_by = actor
    candidate.adopted_at = timezone.now()
    candidate.save(update_fields=["adopted_as", "adopted_by", "adopted_at"])
    return priority
