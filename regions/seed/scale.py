"""England-scale data for the benchmark.

People: a programme manager per region; per LA a DCS, a performance lead and (2 x factor)
members. Plans: per region a current three-year plan with (10 x factor) priorities in three
themes, each with three actions and four RAG updates, LA subscriptions and a DfE grant each
year, and a closed summit vote with every LA's ballot.

Written with bulk_create for speed, so these rows have no history records (the demo and the
portal itself write through the services, which keep history)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from sli_portal.access import SYSTEM
from sli_portal.scale import ScaleContext

from ..models import (
    RAG,
    Action,
    ActionStatus,
    Ballot,
    BallotChoice,
    FundingContribution,
    FundingSource,
    FundingStatus,
    LocalAuthority,
    Membership,
    Plan,
    PlanStatus,
    Position,
    Priority,
    ProgressUpdate,
    Region,
    Role,
    Theme,
    Vote,
    VoteCandidate,
    VoteMethod,
)
from ..services.geography import reference_data_load

SCALE_DOMAIN = "scale.sli-portal.local"
SCALE_PASSWORD = "scale-sli-portal-2026"

User = get_user_model()


def seed_people(ctx: ScaleContext) -> None:
    if not LocalAuthority.objects.exists():
        reference_data_load(actor=SYSTEM)
    ctx.regions = list(Region.objects.order_by("code"))
    ctx.las = list(LocalAuthority.objects.filter(is_active=True).order_by("gss_code"))
    # One hash for every scale user: hashing 1,000 passwords would dominate the seed time.
    password = make_password(SCALE_PASSWORD)
    users: list = []
    memberships: list[tuple[int, str, int | None, int | None, str]] = []

    def person(email: str, name: str) -> int:
        users.append(User(email=email, full_name=name, password=password))
        return len(users) - 1

    for region in ctx.regions:
        index = person(f"pm.{region.slug}@{SCALE_DOMAIN}", f"Programme manager, {region.name}")
        memberships.append((index, Role.PROGRAMME_MANAGER, region.pk, None, ""))
    positions = [Position.ASSISTANT_DIRECTOR, Position.PRINCIPAL_SOCIAL_WORKER]
    for la in ctx.las:
        index = person(f"dcs.{la.slug}@{SCALE_DOMAIN}", f"DCS of {la.name}")
        memberships.append((index, Role.DCS, None, la.pk, ""))
        index = person(f"lead.{la.slug}@{SCALE_DOMAIN}", f"Performance lead, {la.name}")
        memberships.append((index, Role.PERFORMANCE_LEAD, None, la.pk, ""))
        for n in range(2 * ctx.factor):
            index = person(f"member{n}.{la.slug}@{SCALE_DOMAIN}", f"Member {n} of {la.name}")
            memberships.append((index, Role.MEMBER, None, la.pk, positions[n % 2]))

    created = User.objects.bulk_create(users, batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(
                user=created[index],
                role=role,
                region_id=region_id,
                local_authority_id=la_id,
                position=position,
            )
            for index, role, region_id, la_id, position in memberships
        ],
        batch_size=1000,
    )
    for index, role, region_id, la_id, _ in memberships:
        if role == Role.PROGRAMME_MANAGER:
            ctx.programme_managers[region_id] = created[index]
        else:
            ctx.la_users.setdefault(la_id, {}).setdefault(role, []).append(created[index])


THEMES = (
    "Actions that will address practice issues",
    "Actions that will develop leadership capacity and staff resources",
    "Actions that will underpin the cycle of self-assessment and peer challenge",
)


def seed_plans(ctx: ScaleContext) -> None:
    today = timezone.localdate()
    las_by_region: dict[int, list] = {}
    for la in ctx.las:
        las_by_region.setdefault(la.region_id, []).append(la)

    plans = Plan.objects.bulk_create(
        Plan(
            region=region,
            title=f"{region.name} improvement plan {today.year - 1}-{today.year + 2}",
            start_year=today.year - 1,
            end_year=today.year + 1,
            status=PlanStatus.AGREED,
            principles=["Focus on outcomes at a regional level", "From talk to action"],
            is_current=True,
            created_by=ctx.programme_managers.get(region.pk),
        )
        for region in ctx.regions
    )
    themes = Theme.objects.bulk_create(
        Theme(plan=plan, title=title, position=n)
        for plan in plans
        for n, title in enumerate(THEMES, start=1)
    )
    priorities = []
    for plan in plans:
        plan_themes = [t for t in themes if t.plan_id == plan.pk]
        las = las_by_region.get(plan.region_id, [])
        for number in range(1, 10 * ctx.factor + 1):
            la = las[number % len(las)] if las else None
            dcs = ctx.la_users.get(la.pk, {}).get("dcs", [None])[0] if la else None
            priorities.append(
                Priority(
                    plan=plan,
                    theme=plan_themes[number % 3],
                    number=number,
                    position=number,
                    title=f"Regional priority {number}",
                    sponsor=dcs,
                    sponsor_la=la if dcs else None,
                    lead="Regional group",
                )
            )
    priorities = Priority.objects.bulk_create(priorities, batch_size=1000)
    _seed_progress(ctx, plans, priorities)
    _seed_funding(ctx, plans, las_by_region)
    _seed_votes(ctx, plans, las_by_region)


def _seed_progress(ctx: ScaleContext, plans: list, priorities: list) -> None:
    rng = ctx.random
    today = timezone.localdate()
    pm_by_plan = {plan.pk: ctx.programme_managers.get(plan.region_id) for plan in plans}
    Action.objects.bulk_create(
        (
            Action(
                priority=p,
                title=f"Action {n} for priority {p.number}",
                owner=pm_by_plan[p.plan_id],
                due_date=today + timedelta(days=rng.randint(-60, 120)),
                status=rng.choice(
                    [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
                ),
                position=n,
            )
            for p in priorities
            for n in range(1, 4)
        ),
        batch_size=2000,
    )
    ProgressUpdate.objects.bulk_create(
        (
            ProgressUpdate(
                priority=p,
                date=today - timedelta(days=30 * n + rng.randint(0, 20)),
                rag=rng.choice(RAG.values),
                narrative="Progress reported to the steering group.",
                author=pm_by_plan[p.plan_id],
            )
            for p in priorities
            for n in range(4)
        ),
        batch_size=2000,
    )


def _seed_funding(ctx: ScaleContext, plans: list, las_by_region: dict[int, list]) -> None:
    rng = ctx.random
    contributions = []
    for plan in plans:
        for year in plan.financial_years:
            contributions.append(
                FundingContribution(
                    plan=plan,
                    financial_year=year,
                    source=FundingSource.DFE_GRANT,
                    amount=Decimal("130000.00"),
                    status=FundingStatus.RECEIVED,
                )
            )
            for la in las_by_region.get(plan.region_id, []):
                contributions.append(
                    FundingContribution(
                        plan=plan,
                        financial_year=year,
                        source=FundingSource.LA_SUBSCRIPTION,
                        local_authority=la,
                        amount=Decimal("10156.25"),
                        status=rng.choice(FundingStatus.values),
                    )
                )
    FundingContribution.objects.bulk_create(contributions, batch_size=2000)


def _seed_votes(ctx: ScaleContext, plans: list, las_by_region: dict[int, list]) -> None:
    rng = ctx.random
    votes = Vote.objects.bulk_create(
        Vote(
            region_id=plan.region_id,
            plan=plan,
            title="Summit vote on regional priorities",
            method=VoteMethod.RANKED,
            max_choices=2,
            closes_at=timezone.now() - timedelta(days=30),
            closed_at=timezone.now() - timedelta(days=30),
        )
        for plan in plans
    )
    candidates = VoteCandidate.objects.bulk_create(
        VoteCandidate(vote=vote, title=f"Candidate {n}", position=n)
        for vote in votes
        for n in range(1, 6)
    )
    ballots = Ballot.objects.bulk_create(
        Ballot(vote=vote, local_authority=la)
        for vote in votes
        for la in las_by_region.get(vote.region_id, [])
    )
    by_vote: dict[int, list] = {}
    for candidate in candidates:
        by_vote.setdefault(candidate.vote_id, []).append(candidate)
    BallotChoice.objects.bulk_create(
        (
            BallotChoice(ballot=ballot, candidate=candidate, rank=rank)
            for ballot in ballots
            for rank, candidate in enumerate(rng.sample(by_vote[ballot.vote_id], 2), start=1)
        ),
        batch_size=2000,
    )
