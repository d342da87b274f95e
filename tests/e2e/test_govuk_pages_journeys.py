"""Issue 14: the GOV.UK pages outside events and benchmarking, as their personas use them, at 1280
and 390 px, with zero axe violations and no sideways page scroll; the skip link comes first; an
error takes focus to the error summary and puts "Error: " in the title; a deletion asks first."""

from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import assert_page_works_at_every_width, sign_in
from tests.regions.factories import (
    ActionFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    StatisticalNeighbourFactory,
    ThemeFactory,
)


def test_a_visitor_reaches_the_skip_link_first_and_reads_the_footer_pages(page, world):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator(".govuk-phase-banner")).to_contain_text("Beta")
    assert_page_works_at_every_width(page)

    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("Open Government Licence v3.0")
    for link, heading, says in (
        ("Accessibility statement", "Accessibility statement for the SLI Portal", "WCAG"),
        ("Privacy notice", "Privacy notice", "lead local authority"),
        ("Help", "Help using the SLI Portal", "Performance lead"),
        ("Contact", "Contact and feedback", "programme manager"),
    ):
        page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        expect(page.locator("main")).to_contain_text(says)
        assert_page_works_at_every_width(page)

    # Nothing steals focus on load: the first Tab reaches "Skip to main content".
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_a_sign_in_error_is_summarised_focused_and_named_in_the_title(page, world):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page).to_have_title("Error: Sign in \N{EN DASH} SLI Portal")
    # Each message links to its field.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert_page_works_at_every_width(page)


def test_a_dcs_reads_the_region_its_las_and_the_plan_at_both_widths(page, world):
    StatisticalNeighbourFactory(
        local_authority=world.home_la, neighbour=world.other_la, rank=1, closeness="very_close"
    )
    plan = PlanFactory(region=world.region, title="Regional plan 2025-2028", start_year=2025)
    priority = PriorityFactory(theme=ThemeFactory(plan=plan, title="Practice"), title="Neglect")
    ProgressUpdateFactory(priority=priority, rag="green", author=world.users["dcs"])
    ActionFactory(priority=priority, title="Evaluation event", owner=world.users["dcs"])

    sign_in(page, "dcs@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Dan")).to_be_visible()
    assert_page_works_at_every_width(page)
    nav = page.get_by_role("navigation", name="Main")

    nav.get_by_role("link", name="Local authorities").click()
    expect(page.get_by_role("heading", name="Local authorities", level=1)).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="Somerset").first.click()
    expect(page.get_by_role("table", name="Statistical neighbours of Somerset")).to_contain_text(
        "Very close"
    )
    assert_page_works_at_every_width(page)

    nav.get_by_role("link", name="Regions").click()
    page.get_by_role("link", name="South West").click()
    expect(page.get_by_role("heading", name="South West", level=1)).to_be_visible()
    assert_page_works_at_every_width(page)

    page.goto(plan.get_absolute_url())
    expect(page.get_by_role("heading", name="Regional plan 2025-2028", level=1)).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="Neglect").click()
    expect(page.get_by_role("region", name="RAG timeline")).to_contain_text("Green")
    assert_page_works_at_every_width(page)
    page.goto(plan.get_absolute_url() + "history/")
    expect(page.get_by_role("heading", name="History of changes")).to_be_visible()
    expect(page.locator("main")).to_contain_text("added the priority")
    assert_page_works_at_every_width(page)


def test_deleting_a_priority_asks_first_and_going_back_changes_nothing(page, world):
    plan = PlanFactory(region=world.region, title="Regional plan 2025-2028", start_year=2025)
    priority = PriorityFactory(theme=ThemeFactory(plan=plan, title="Practice"), title="Neglect")

    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name=f"Delete priority {priority.number}").click()
    expect(page.get_by_role("heading", name=f"Delete priority {priority.number}")).to_contain_text(
        "Neglect"
    )
    expect(page.locator("main")).to_contain_text("with its actions, milestones and progress")
    expect(page.locator("main")).to_contain_text("Nobody is sent an email")
    assert_page_works_at_every_width(page)

    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("link", name="Neglect")).to_be_visible()

    page.get_by_role("link", name=f"Delete priority {priority.number}").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.get_by_role("status")).to_contain_text(f"Priority {priority.number} deleted")
    expect(page.get_by_role("link", name="Neglect")).to_have_count(0)
