"""England-scale plans for the benchmark: per region a current three-year plan with
(10 x factor) priorities in three themes, each with three actions and four RAG updates, LA
subscriptions and a DfE grant each year, and a closed summit vote with every LA's ballot.

Written with bulk_create for speed, so these rows have no history records (the demo and the
portal itself write through the services, which keep history)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from sli_portal.scale import ScaleContext

from .plan_models import (
    RAG,
    Action,
    ActionStatus,
    Ballot,
    BallotChoice,
    FundingContribution,
    FundingSource,
    FundingStatus,
    Plan,
    PlanStatus,
    Priority,
    ProgressUpdate,
    Theme,
    Vote,
    VoteCandidate,
    VoteMethod,
)

THEMES = (
    "Actions that will address practice issues",
    "Actions that will develop leadership capacity and staff resources",
    "Actions that will underpin the cycle of self-assessment and peer challenge",
)


def seed_plans(ctx: ScaleContext) -> None:
    rng = ctx.random
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
