"""Demo plan data modelled on the seeds: the South West's 2018-2021 plan, its summit vote on two
priorities with regional principles (April 2016 update), South East-style themes and DCS-sponsored
projects (December 2019 update), LA subscriptions plus a £130,000 DfE grant, and a regional group
with an assistant-director sponsor and an annual account."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sli_portal.demo import DemoContext

from . import group_vote_services as gv_services
from . import plan_services as services
from .models import LocalAuthority, Membership, Position, Role
from .plan_models import (
    RAG,
    AccountableBody,
    ActionStatus,
    FundingSource,
    FundingStatus,
    Plan,
    PlanStatus,
    VoteMethod,
)

PLAN_TITLE = "Regional Strategic Improvement Plan 2018-2021"

PRINCIPLES = [
    "Focus on outcomes at a regional level",
    "From talk and process to action and outcomes",
    "Agreeing standard enablers: assessment and intervention approaches, tools and toolkits "
    "shared and used consistently, building on the best available within the region or beyond",
    "Campaigns of regional messages on key topics",
    "Use of standardised regional scorecards to understand data, the story behind it, focus "
    "planning, desired outcomes, action plans and reviews of outcomes",
    "Topic leadership supported by key regional officer groups",
    "A non-stigmatising approach: there is excellent practice in all authorities, and all "
    "authorities have improvement needs",
]

SUMMIT_CANDIDATES = [
    (
        "Preventing and tackling neglect",
        "Causes and forces, what works, toolkits applied more widely and consistently, with "
        "links to CSE, quality of supervision, and early help and action.",
    ),
    (
        "Improving outcomes for children in care",
        "Sufficiency of provision, in-house, cost effectiveness and quality; a regional profile "
        "of the children in care population; more regional co-operation over placements.",
    ),
    ("Workforce: recruitment, retention and agency staff", ""),
    ("Data benchmarking and a regional scorecard", ""),
    ("Children in need of help and protection", ""),
]

THEMES = [
    ("Actions that will address practice issues", ""),
    ("Actions that will develop leadership capacity and staff resources", ""),
    ("Actions that will underpin the cycle of self-assessment and peer challenge", ""),
]

SUBSCRIPTION = Decimal("10156.25")  # £162,500 of subscription income shared by 16 LAs
DFE_GRANT = Decimal("130000.00")


@transaction.atomic
def build_plan(demo: DemoContext) -> None:
    region = demo.region
    if Plan.objects.filter(region=region, title=PLAN_TITLE).exists():
        demo.log.append(f"Plan: “{PLAN_TITLE}” already there.")
        return
    pm = demo.users["programme_manager"]
    las = list(LocalAuthority.objects.filter(region=region, is_active=True).order_by("name"))
    dcs_by_la = {
        m.local_authority_id: m.user
        for m in Membership.objects.filter(local_authority__in=las, role=Role.DCS).select_related(
            "user"
        )
    }
    sponsors = [(dcs_by_la[la.pk], la) for la in las if la.pk in dcs_by_la]
    home = demo.home_la

    plan = services.plan_create(
        actor=pm,
        region=region,
        title=PLAN_TITLE,
        start_year=2018,
        end_year=2020,
        status=PlanStatus.AGREED,
        summary="A three-year strategic improvement plan setting out the ambition for sector-led "
        "improvement and the development of the Regional Improvement Alliance for the South "
        "West, developed with the LGA and the lead member and chief executive networks. The "
        "region's LAs agreed to raise their contributions significantly.",
        principles=PRINCIPLES,
        launch_date=date(2018, 6, 14),
        launch_event="Regional Summit, Taunton",
        is_current=True,
    )
    themes = [services.theme_create(actor=pm, plan=plan, title=t, description=d) for t, d in THEMES]

    # The summit vote that chose the two broad priorities (closed, then promoted).
    vote = gv_services.vote_open(
        actor=pm,
        region=region,
        plan=plan,
        title="Learning and Performance Summit: regional priorities",
        candidates=SUMMIT_CANDIDATES,
        method=VoteMethod.RANKED,
        max_choices=2,
        closes_at=timezone.now() + timedelta(minutes=5),
    )
    candidates = list(vote.candidates.order_by("position"))
    for n, (dcs, la) in enumerate(sponsors):
        picks = [candidates[0], candidates[1]] if n % 3 else [candidates[1], candidates[n % 5]]
        if picks[0] == picks[1]:
            picks = [picks[0], candidates[2]]
        gv_services.vote_cast(
            actor=dcs, vote=vote, local_authority=la, candidate_ids=[c.pk for c in picks]
        )
    gv_services.vote_close(actor=pm, vote=vote)
    neglect = gv_services.candidate_promote(actor=pm, candidate=candidates[0], theme=themes[0])
    children_in_care = gv_services.candidate_promote(
        actor=pm, candidate=candidates[1], theme=themes[0]
    )
    home_dcs = dcs_by_la.get(home.pk)
    services.priority_update(
        actor=pm,
        priority=neglect,
        sponsor=home_dcs,
        sponsor_la=home,
        lead="Principal Social Worker network",
    )
    if len(sponsors) > 1:
        services.priority_update(
            actor=pm,
            priority=children_in_care,
            sponsor=sponsors[1][0],
            sponsor_la=sponsors[1][1],
            lead="Children in care sufficiency group",
        )
    workforce = services.priority_create(
        actor=pm,
        theme=themes[1],
        title="Workforce matters: recruitment, retention and agency staff",
        description="Workforce development workstream, including an agency engagement event.",
        sponsor=sponsors[2][0] if len(sponsors) > 2 else None,
        sponsor_la=sponsors[2][1] if len(sponsors) > 2 else None,
        lead="Regional ADCS workforce group",
    )
    benchmarking = services.priority_create(
        actor=pm,
        theme=themes[2],
        title="Data benchmarking",
        description="Share annual and quarterly in-year data; biannual regional analysis to the "
        "SLI group.",
        lead="Performance leads group",
    )
    peer_challenge = services.priority_create(
        actor=pm,
        theme=themes[2],
        title="Annual self-assessment and triad peer challenge",
        lead="SLI programme manager",
    )

    today = timezone.localdate()
    member = demo.users["member"]
    lead = demo.users["performance_lead"]
    for priority, title, owner, due, status in [
        (neglect, "Complete thematic peer challenges on neglect", pm, date(2018, 7, 31), "done"),
        (neglect, "Evaluation event on neglect learning", member, today - timedelta(days=14), ""),
        (children_in_care, "Regional profile of the children in care population", lead, today + timedelta(days=45), ""),
        (workforce, "Agency engagement event", pm, date(2018, 6, 26), "done"),
        (workforce, "Review the memorandum of co-operation on agency staff", member, today + timedelta(days=60), ""),
        (benchmarking, "Quarterly in-year data report", lead, today - timedelta(days=3), ""),
        (peer_challenge, "Self-assessment peer challenge day", pm, date(2018, 12, 7), "done"),
    ]:  # fmt: skip
        action = services.action_create(
            actor=pm, priority=priority, title=title, owner=owner, due_date=due
        )
        if status:
            services.action_update(actor=pm, action=action, status=ActionStatus.DONE)

    for priority, on, rag, text in [
        (neglect, today - timedelta(days=120), RAG.AMBER, "Thematic peer challenges under way in 12 of 16 LAs."),
        (neglect, today - timedelta(days=20), RAG.GREEN, "All peer challenges complete; evaluation event planned by the PSW network."),
        (children_in_care, today - timedelta(days=30), RAG.AMBER, "Sufficiency data collected; placement co-operation proposal drafted."),
        (workforce, today - timedelta(days=100), RAG.RED, "Agency rates rising; the memorandum of co-operation is under pressure."),
        (benchmarking, today - timedelta(days=10), RAG.GREEN, "Benchmarking system established; Bournemouth leads for the region."),
    ]:  # fmt: skip
        services.progress_record(actor=pm, priority=priority, rag=rag, narrative=text, on=on)

    for year in plan.financial_years:
        services.funding_record(
            actor=pm,
            plan=plan,
            financial_year=year,
            source=FundingSource.DFE_GRANT,
            amount=DFE_GRANT,
            description="DfE contribution to regional sector-led improvement",
            status=FundingStatus.RECEIVED,
        )
        for n, la in enumerate(las):
            # The current year's invoices are still going out; a few LAs have yet to pay.
            if year == plan.end_year and n % 4 == 0:
                continue
            paid = year < plan.end_year or n % 3
            services.funding_record(
                actor=pm,
                plan=plan,
                financial_year=year,
                source=FundingSource.LA_SUBSCRIPTION,
                local_authority=la,
                amount=SUBSCRIPTION,
                status=FundingStatus.RECEIVED if paid else FundingStatus.INVOICED,
            )
    services.funding_record(
        actor=pm,
        plan=plan,
        financial_year=2018,
        source=FundingSource.LGA_GRANT,
        amount=Decimal("25000.00"),
        description="LGA grant for regional data analysis",
        status=FundingStatus.RECEIVED,
    )

    ad = Membership.objects.filter(
        local_authority=home, position=Position.ASSISTANT_DIRECTOR
    ).first()
    leads = [
        m.user
        for m in Membership.objects.filter(
            local_authority__in=las, role=Role.PERFORMANCE_LEAD
        ).select_related("user")
    ]
    group = gv_services.group_create(
        actor=pm,
        region=region,
        name="Performance leads group",
        accountable_to=AccountableBody.STEERING_GROUP,
        sponsor=ad.user if ad else None,
        remit="Shares quarterly data, builds the regional scorecard and supports the plan's "
        "data benchmarking priority.",
        members=leads,
        priorities=[benchmarking, neglect],
    )
    gv_services.group_account_submit(
        actor=ad.user if ad else pm,
        group=group,
        year=2018,
        summary="The group met quarterly and published the first regional scorecard.",
        narratives={
            benchmarking.pk: "Quarterly in-year data shared by every LA from Q2.",
            neglect.pk: "Neglect indicators added to the scorecard for the thematic challenges.",
        },
    )
    gv_services.group_create(
        actor=pm,
        region=region,
        name="Principal social workers network",
        accountable_to=AccountableBody.ADCS_BRANCH,
        remit="Practice leadership; ran the evaluation event on neglect.",
        priorities=[neglect],
    )
    demo.log.append(
        f"Plan: “{PLAN_TITLE}” with {plan.priorities.count()} priorities, funding and groups."
    )
