import re

from playwright.sync_api import expect

from regions.models import Plan
from regions.services import funding as funding_services
from regions.services import groups as group_services
from regions.services import plans as plan_services
from regions.services import priorities as priority_services
from regions.services import votes as vote_services
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import assert_page_works_at_every_width, choose, fill_date, sign_in


def test_programme_manager_builds_a_plan_and_an_outsider_is_refused(page, world):
    sign_in(page, "pm@example.org", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plans").click()
    expect(page.get_by_role("heading", name="Improvement plans, South West")).to_be_visible()
    assert_page_works_at_every_width(page)

    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Title").fill("Regional Strategic Improvement Plan 2018-2021")
    page.get_by_label("First financial year").fill("2018")
    page.get_by_label("Last financial year").fill("2020")
    page.get_by_label("Principles").fill(
        "Focus on outcomes at a regional level\nFrom talk to action"
    )
    fill_date(page, "Launch date (optional)", "31/2/2018")
    page.get_by_role("button", name="Create plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The launch date must be a real date"
    )
    assert_page_works_at_every_width(page)
    fill_date(page, "Launch date (optional)", "14/6/2018")
    page.get_by_role("button", name="Create plan").click()
    expect(
        page.get_by_role("heading", name="Regional Strategic Improvement Plan 2018-2021", level=1)
    ).to_be_visible()
    expect(page.get_by_role("list").filter(has_text="Focus on outcomes")).to_be_visible()
    expect(page.get_by_text("14 June 2018")).to_be_visible()
    assert_page_works_at_every_width(page)

    # A theme, added inline without leaving the page.
    page.get_by_label("Theme title").fill("Actions that will address practice issues")
    page.get_by_role("button", name="Add theme").click()
    theme = page.get_by_role("region", name="Actions that will address practice issues")
    expect(theme).to_be_visible()

    for title, sponsor in (
        ("Preventing and tackling neglect", "Dan Clarke (Somerset)"),
        ("Improving outcomes for children in care", "Pip Devon (Devon)"),
    ):
        page.get_by_role("link", name=re.compile("Add a priority")).click()
        page.get_by_label("Title").fill(title)
        choose(page, "Sponsoring DCS", sponsor.split()[0], sponsor)
        page.get_by_role("button", name="Add priority").click()
        expect(page.get_by_role("link", name=title)).to_be_visible()
    assert_page_works_at_every_width(page)
    rows = page.get_by_role(
        "table", name="Priorities under Actions that will address practice issues"
    ).locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Dan Clarke")
    expect(rows.nth(1)).to_contain_text("Pip Devon")

    # An amber progress update on priority 1.
    page.get_by_role("link", name="Preventing and tackling neglect").click()
    page.get_by_role("link", name="Record progress").click()
    page.get_by_label("Amber").check()
    page.get_by_label("What has happened").fill("Peer challenges on neglect in 12 of 16 LAs.")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Record progress").click()
    timeline = page.get_by_role("region", name="RAG timeline")
    expect(timeline).to_contain_text("Amber")
    expect(timeline).to_contain_text("Peer challenges on neglect")
    assert_page_works_at_every_width(page)
    # An action, added inline (htmx) without leaving the priority.
    page.get_by_role("textbox", name="Action").fill("Evaluation event on neglect")
    choose(page, "Owner", "morg", "Morgan Ellis")
    fill_date(page, "Due (optional)", "30/9/2030")
    page.get_by_role("button", name="Add action").click()
    actions = page.get_by_role("table", name="Actions and milestones of priority 1")
    expect(actions).to_contain_text("Evaluation event on neglect")
    expect(actions).to_contain_text("30 Sept 2030")
    expect(actions).to_contain_text("Morgan Ellis")
    expect(page.get_by_role("textbox", name="Action")).to_have_value("")

    # Back on the plan: the RAG at a glance, then reorder (numbers stay with their priorities).
    page.get_by_role("link", name="Regional Strategic Improvement Plan 2018-2021").click()
    expect(page.get_by_role("region", name="At a glance")).to_contain_text("Amber: 1")
    page.get_by_role("button", name="Move down priority 1").click()
    expect(rows.nth(0)).to_contain_text("Improving outcomes for children in care")
    expect(rows.nth(0).locator("td").first).to_have_text("2")
    expect(rows.nth(1)).to_contain_text("Preventing and tackling neglect")
    assert_page_works_at_every_width(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "regional-strategic-improvement-plan-2018-2021.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    plan = Plan.objects.get()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "outsider@example.org", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plans").click()
    expect(page.get_by_role("heading", name="Improvement plans, South East")).to_be_visible()
    # Issue 12: another region's plan is not shown at all (404, was 403).
    response = page.goto(f"/plans/{plan.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Preventing and tackling neglect")).to_have_count(0)
    assert_page_works_at_every_width(page)


def test_dcs_votes_on_priorities_and_the_programme_manager_promotes_the_winner(page, world):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    pm = world.users["programme_manager"]
    plan = plan_services.plan_create(
        actor=pm, region=world.region, title="Plan 2018-2021", start_year=2018, end_year=2020
    )
    priority_services.theme_create(actor=pm, plan=plan, title="Practice")
    funding_services.funding_record(
        actor=pm,
        plan=plan,
        financial_year=2018,
        source="dfe_grant",
        amount=Decimal("130000"),
        status="received",
    )
    group_services.group_create(
        actor=pm,
        region=world.region,
        name="Performance leads group",
        accountable_to="steering_group",
        sponsor=world.users["member"],
        members=[world.users["performance_lead"]],
    )
    vote = vote_services.vote_open(
        actor=pm,
        region=world.region,
        plan=plan,
        title="Summit vote",
        candidates=[
            ("Preventing and tackling neglect", ""),
            ("Children in care", ""),
            ("Workforce", ""),
        ],
        max_choices=2,
        closes_at=timezone.now() + timedelta(hours=3),
    )

    sign_in(page, "dcs@example.org", PASSWORD)
    page.goto(f"/votes/{vote.pk}/")
    expect(page.get_by_role("region", name="Cast your LA's ballot")).to_contain_text(
        "you are voting for Somerset"
    )
    assert_page_works_at_every_width(page)
    page.get_by_label("Preventing and tackling neglect").check()
    page.get_by_label("Children in care").check()
    page.get_by_role("button", name="Cast ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Somerset's ballot has been cast")
    expect(page.get_by_role("button", name="Cast ballot")).to_have_count(0)
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/votes/{vote.pk}/")
    page.get_by_role("link", name="Close the vote now").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("close the vote")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Yes, close the vote").click()
    results = page.get_by_role("table", name="Results per candidate")
    expect(results.locator("tbody tr").first).to_contain_text("Preventing and tackling neglect")
    assert_page_works_at_every_width(page)
    page.get_by_role(
        "button", name=re.compile("Make it a priority.*Preventing and tackling neglect")
    ).click()
    expect(page.locator(".portal-messages")).to_contain_text("is now priority 1 of Plan 2018-2021")
    expect(results.get_by_role("link", name="Priority 1")).to_be_visible()

    # The theme renamed in place on the plan page.
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Edit theme Practice").click()
    editing = page.get_by_role("form", name="Edit theme Practice")
    editing.get_by_role("textbox", name="Theme title").fill(
        "Actions that will address practice issues"
    )
    assert_page_works_at_every_width(page)
    editing.get_by_role("button", name="Save theme").click()
    expect(
        page.get_by_role("heading", name="Actions that will address practice issues")
    ).to_be_visible()

    page.goto(f"/plans/{plan.pk}/funding/")
    expect(page.get_by_role("table", name="Totals by source, all years")).to_contain_text(
        "£130,000"
    )
    assert_page_works_at_every_width(page)
    page.goto(f"/plans/{plan.pk}/history/")
    expect(page.get_by_role("list", name="Changes to")).to_contain_text(
        "added the priority “1. Preventing and tackling neglect”"
    )
    assert_page_works_at_every_width(page)
    page.goto("/regions/south-west/groups/")
    page.get_by_role("link", name="Performance leads group").click()
    expect(page.get_by_text("SLI steering group")).to_be_visible()
    assert_page_works_at_every_width(page)


def test_programme_manager_promotes_a_regional_theme_and_adopts_it_into_a_plan(page, world):
    from peer_challenge.services import findings as peer_services
    from tests.peer_challenge import factories as peer_factories

    pm = world.users["programme_manager"]
    plan = plan_services.plan_create(
        actor=pm, region=world.region, title="Plan 2026-2029", start_year=2026, end_year=2028
    )
    priority_services.theme_create(actor=pm, plan=plan, title="Placements")
    cycle = peer_factories.annual_cycle(world)
    peer_services.finding_create(
        actor=pm,
        cycle=cycle,
        kind="theme",
        text="Sufficiency of placements for children with complex needs",
    )

    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(cycle.get_absolute_url())
    findings = page.get_by_role("table", name="Findings of this cycle")
    findings.get_by_role("button", name="Propose for the next plan").click()
    expect(page.locator(".portal-messages")).to_contain_text("candidate priority for the next plan")
    assert_page_works_at_every_width(page)
    findings.get_by_role("link", name="candidate priority on the plans page").click()

    candidates = page.get_by_role("table", name=re.compile("Candidate priorities for South West"))
    row = candidates.locator("tbody tr").first
    expect(row).to_contain_text("Sufficiency of placements for children with complex needs")
    expect(row.get_by_role("link", name=f"Regional theme from {cycle.title}")).to_be_visible()
    expect(row).to_contain_text("Open")
    assert_page_works_at_every_width(page)

    # Offered for a summit vote, already ticked; here the PM adopts it directly instead.
    row.get_by_role("link", name=re.compile("Put to a vote")).click()
    expect(
        page.get_by_label(re.compile("Sufficiency of placements for children with complex needs"))
    ).to_be_checked()
    assert_page_works_at_every_width(page)
    page.goto(f"/regions/{world.region.slug}/plans/")

    row.get_by_role("link", name=re.compile("Adopt into a plan")).click()
    page.get_by_label("Into theme").select_option(label="Plan 2026-2029: Placements")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Adopt into the plan").click()
    expect(page.locator(".portal-messages")).to_contain_text("is now priority 1 of Plan 2026-2029")
    expect(
        page.get_by_role(
            "heading", name=re.compile("Sufficiency of placements for children with complex needs")
        )
    ).to_be_visible()

    page.goto(f"/regions/{world.region.slug}/plans/")
    expect(candidates.locator("tbody tr").first).to_contain_text("Adopted as priority 1")
    assert_page_works_at_every_width(page)
