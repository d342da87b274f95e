"""The demo South West region: real LAs, one person per role, a DCS and lead for every LA; and
its plan, modelled on the seeds: the South West's three-year plan (dated so that it is current whenever it is seeded), its summit vote on two
priorities with regional principles (April 2016 update), South East-style themes and
DCS-sponsored projects (December 2019 update), LA subscriptions plus a £130,000 DfE grant, and a
regional group with an assistant-director sponsor and an annual account.

Written through the services, as the portal itself (SYSTEM) for the people and as the demo
programme manager for the plan, so the plan's history names them."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sli_portal.access import SYSTEM
from sli_portal.demo import DemoContext

from ..models import (
    RAG,
    AccountableBody,
    ActionStatus,
    FundingSource,
    FundingStatus,
    LocalAuthority,
    Membership,
    Plan,
    PlanStatus,
    Position,
    Region,
    Role,
    VoteMethod,
)
from ..services import funding, groups, people, plans, priorities, votes
from ..services.geography import reference_data_load

DEMO_PASSWORD = "demo-sli-portal-2026"
DEMO_DOMAIN = "demo.sli-portal.local"
DEMO_REGION_CODE = "E12000009"  # South West
DEMO_HOME_LA_GSS = "E06000066"  # Somerset
DEMO_OUTSIDER_LA_GSS = "E06000036"  # Bracknell Forest, South East

User = get_user_model()


def _user(email: str, full_name: str, job_title: str = "", **extra):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "job_title": job_title, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _grant(user, role, *, region=None, la=None, position=""):
    # Demo people are appointed by the portal itself, not by a signed-in user.
    if (
        role == Role.DCS
        and Membership.objects.filter(local_authority=la, role=Role.DCS).exclude(user=user).exists()
    ):
        return
    people.membership_grant(
        actor=SYSTEM, user=user, role=role, region=region, local_authority=la, position=position
    )


@transaction.atomic
def build_people() -> DemoContext:
    if not LocalAuthority.objects.exists():
        reference_data_load(actor=SYSTEM)
    region = Region.objects.get(code=DEMO_REGION_CODE)
    home = LocalAuthority.objects.get(gss_code=DEMO_HOME_LA_GSS)
    outsider_la = LocalAuthority.objects.get(gss_code=DEMO_OUTSIDER_LA_GSS)

    users = {
        "administrator": _user(
            f"admin@{DEMO_DOMAIN}",
            "Ada Administrator",
            "Portal administrator",
            is_staff=True,
            is_superuser=True,
        ),
        "programme_manager": _user(
            f"pm@{DEMO_DOMAIN}", "Priya Mandal", "SLI programme manager, South West"
        ),
        "dcs": _user(f"dcs@{DEMO_DOMAIN}", "Dan Clarke", "Director of children's services"),
        "performance_lead": _user(f"lead@{DEMO_DOMAIN}", "Pat Lewis", "Head of performance"),
        "member": _user(f"member@{DEMO_DOMAIN}", "Morgan Ellis", "Assistant director"),
        "chief_executive": _user(f"ceo@{DEMO_DOMAIN}", "Chris Evans", "Chief executive"),
        "lead_member": _user(f"councillor@{DEMO_DOMAIN}", "Cllr Lee Morris", "Lead member"),
        "outsider": _user(
            f"outsider@{DEMO_DOMAIN}", "Olu Adeyemi", "Director of children's services"
        ),
    }
    _grant(users["programme_manager"], Role.PROGRAMME_MANAGER, region=region)
    _grant(users["dcs"], Role.DCS, la=home)
    _grant(users["performance_lead"], Role.PERFORMANCE_LEAD, la=home)
    _grant(users["member"], Role.MEMBER, la=home, position=Position.ASSISTANT_DIRECTOR)
    _grant(users["chief_executive"], Role.MEMBER, la=home, position=Position.CHIEF_EXECUTIVE)
    _grant(users["lead_member"], Role.MEMBER, la=home, position=Position.LEAD_MEMBER)
    _grant(users["outsider"], Role.DCS, la=outsider_la)

    la_users = {home.pk: {"dcs": users["dcs"], "performance_lead": users["performance_lead"]}}
    for la in LocalAuthority.objects.filter(region=region, is_active=True).exclude(pk=home.pk):
        dcs = _user(
            f"dcs.{la.slug}@{DEMO_DOMAIN}", f"DCS of {la.name}", "Director of children's services"
        )
        lead = _user(
            f"lead.{la.slug}@{DEMO_DOMAIN}", f"Performance lead, {la.name}", "Performance lead"
        )
        _grant(dcs, Role.DCS, la=la)
        _grant(lead, Role.PERFORMANCE_LEAD, la=la)
        la_users[la.pk] = {"dcs": dcs, "performance_lead": lead}
    return DemoContext(region=region, home_la=home, users=users, la_users=la_users)


# --- the plan ---------------------------------------------------------------------------


def plan_years(today: date | None = None) -> tuple[int, int]:
    """The demo plan's first and last financial years: it is always in its second year, so
    `make run` shows a current plan whenever it is run."""
    today = today or timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    return year - 1, year + 1


def plan_title(today: date | None = None) -> str:
    start, end = plan_years(today)
    return f"Regional Strategic Improvement Plan {start}-{end + 1}"


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
    title = plan_title()
    if Plan.objects.filter(region=region, title=title).exists():
        demo.log.append(f"Plan: “{title}” already there.")
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
    plan = _plan(pm, region)
    themes = [
        priorities.theme_create(actor=pm, plan=plan, title=t, description=d) for t, d in THEMES
    ]
    neglect, children_in_care = _summit(pm, plan, themes, sponsors)
    made = _priorities(demo, plan, themes, sponsors, dcs_by_la, neglect, children_in_care)
    _actions_and_progress(demo, made)
    _funding(pm, plan, las)
    _groups(demo, las, made)
    demo.log.append(
        f"Plan: “{title}” with {plan.priorities.count()} priorities, funding and groups."
    )


def _plan(pm, region):
    return plans.plan_create(
        actor=pm,
        region=region,
        title=plan_title(),
        start_year=plan_years()[0],
        end_year=plan_years()[1],
        status=PlanStatus.AGREED,
        summary="A three-year strategic improvement plan setting out the ambition for sector-led "
        "improvement and the development of the Regional Improvement Alliance for the South "
        "West, developed with the LGA and the lead member and chief executive networks. The "
        "region's LAs agreed to raise their contributions significantly.",
        principles=PRINCIPLES,
        launch_date=date(plan_years()[0], 6, 14),
        launch_event="Regional Summit, Taunton",
        is_current=True,
    )


def _summit(pm, plan, themes, sponsors):
    """The summit vote that chose the two broad priorities (closed, then promoted)."""
    region = plan.region
    vote = votes.vote_open(
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
        votes.vote_cast(
            actor=dcs, vote=vote, local_authority=la, candidate_ids=[c.pk for c in picks]
        )
    votes.vote_close(actor=pm, vote=vote)
    neglect = votes.candidate_promote(actor=pm, candidate=candidates[0], theme=themes[0])
    children_in_care = votes.candidate_promote(actor=pm, candidate=candidates[1], theme=themes[0])
    return neglect, children_in_care


def _priorities(demo, plan, themes, sponsors, dcs_by_la, neglect, children_in_care):
    pm, home = demo.users["programme_manager"], demo.home_la
    home_dcs = dcs_by_la.get(home.pk)
    priorities.priority_update(
        actor=pm,
        priority=neglect,
        sponsor=home_dcs,
        sponsor_la=home,
        lead="Principal Social Worker network",
    )
    if len(sponsors) > 1:
        priorities.priority_update(
            actor=pm,
            priority=children_in_care,
            sponsor=sponsors[1][0],
            sponsor_la=sponsors[1][1],
            lead="Children in care sufficiency group",
        )
    workforce = priorities.priority_create(
        actor=pm,
        theme=themes[1],
        title="Workforce matters: recruitment, retention and agency staff",
        description="Workforce development workstream, including an agency engagement event.",
        sponsor=sponsors[2][0] if len(sponsors) > 2 else None,
        sponsor_la=sponsors[2][1] if len(sponsors) > 2 else None,
        lead="Regional ADCS workforce group",
    )
    benchmarking = priorities.priority_create(
        actor=pm,
        theme=themes[2],
        title="Data benchmarking",
        description="Share annual and quarterly in-year data; biannual regional analysis to the "
        "SLI group.",
        lead="Performance leads group",
    )
    peer_challenge = priorities.priority_create(
        actor=pm,
        theme=themes[2],
        title="Annual self-assessment and triad peer challenge",
        lead="SLI programme manager",
    )

    return {
        "neglect": neglect,
        "children_in_care": children_in_care,
        "workforce": workforce,
        "benchmarking": benchmarking,
        "peer_challenge": peer_challenge,
    }


def _actions_and_progress(demo, made):
    pm = demo.users["programme_manager"]
    neglect, children_in_care, workforce = (
        made["neglect"],
        made["children_in_care"],
        made["workforce"],
    )
    benchmarking, peer_challenge = made["benchmarking"], made["peer_challenge"]
    today = timezone.localdate()
    member = demo.users["member"]
    lead = demo.users["performance_lead"]
    for priority, title, owner, due, status in [
        (neglect, "Complete thematic peer challenges on neglect", pm, date(plan_years()[0], 7, 31), "done"),
        (neglect, "Evaluation event on neglect learning", member, today - timedelta(days=14), ""),
        (children_in_care, "Regional profile of the children in care population", lead, today + timedelta(days=45), ""),
        (workforce, "Agency engagement event", pm, date(plan_years()[0], 6, 26), "done"),
        (workforce, "Review the memorandum of co-operation on agency staff", member, today + timedelta(days=60), ""),
        (benchmarking, "Quarterly in-year data report", lead, today - timedelta(days=3), ""),
        (peer_challenge, "Self-assessment peer challenge day", pm, date(plan_years()[0], 12, 7), "done"),
    ]:  # fmt: skip
        action = priorities.action_create(
            actor=pm, priority=priority, title=title, owner=owner, due_date=due
        )
        if status:
            priorities.action_update(actor=pm, action=action, status=ActionStatus.DONE)

    for priority, on, rag, text in [
        (neglect, today - timedelta(days=120), RAG.AMBER, "Thematic peer challenges under way in 12 of 16 LAs."),
        (neglect, today - timedelta(days=20), RAG.GREEN, "All peer challenges complete; evaluation event planned by the PSW network."),
        (children_in_care, today - timedelta(days=30), RAG.AMBER, "Sufficiency data collected; placement co-operation proposal drafted."),
        (workforce, today - timedelta(days=100), RAG.RED, "Agency rates rising; the memorandum of co-operation is under pressure."),
        (benchmarking, today - timedelta(days=10), RAG.GREEN, "Benchmarking system established; Bournemouth leads for the region."),
    ]:  # fmt: skip
        priorities.progress_record(actor=pm, priority=priority, rag=rag, narrative=text, on=on)


def _funding(pm, plan, las):
    for year in plan.financial_years:
        funding.funding_record(
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
            funding.funding_record(
                actor=pm,
                plan=plan,
                financial_year=year,
                source=FundingSource.LA_SUBSCRIPTION,
                local_authority=la,
                amount=SUBSCRIPTION,
                status=FundingStatus.RECEIVED if paid else FundingStatus.INVOICED,
            )
    funding.funding_record(
        actor=pm,
        plan=plan,
        financial_year=plan.start_year,
        source=FundingSource.LGA_GRANT,
        amount=Decimal("25000.00"),
        description="LGA grant for regional data analysis",
        status=FundingStatus.RECEIVED,
    )


def _groups(demo, las, made):
    pm, region = demo.users["programme_manager"], demo.region
    benchmarking, neglect = made["benchmarking"], made["neglect"]
    ad = Membership.objects.filter(
        local_authority=demo.home_la, position=Position.ASSISTANT_DIRECTOR
    ).first()
    leads = [
        m.user
        for m in Membership.objects.filter(
            local_authority__in=las, role=Role.PERFORMANCE_LEAD
        ).select_related("user")
    ]
    group = groups.group_create(
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
    groups.group_account_submit(
        actor=ad.user if ad else pm,
        group=group,
        year=plan_years()[0],
        summary="The group met quarterly and published the first regional scorecard.",
        narratives={
            benchmarking.pk: "Quarterly in-year data shared by every LA from Q2.",
            neglect.pk: "Neglect indicators added to the scorecard for the thematic challenges.",
        },
    )
    groups.group_create(
        actor=pm,
        region=region,
        name="Principal social workers network",
        accountable_to=AccountableBody.ADCS_BRANCH,
        remit="Practice leadership; ran the evaluation event on neglect.",
        priorities=[neglect],
    )
