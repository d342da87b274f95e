"""A performance lead corrects one value of the return in the browser, keyboard only: the
value breaks a rule, the message appears beside the cell, the corrected value is saved with a
comment, the return is submitted; the programme manager approves it."""

from playwright.sync_api import expect

from benchmarking import services
from benchmarking.models import Return
from sli_portal.access import SYSTEM
from tests.accounts.factories import PASSWORD
from tests.benchmarking.factories import open_quarter, return_rows, to_csv
from tests.e2e.conftest import assert_accessible, assert_page_works_at_every_width, sign_in


def _uploaded(world, period, *, submit=False):
    lead = world.users["performance_lead"]
    services.return_upload(
        actor=lead,
        period=period,
        file_name="r.csv",
        data=to_csv(return_rows(world.home_la, period)),
        local_authority=world.home_la,
    )
    if submit:
        ret = Return.objects.get(local_authority=world.home_la, period=period)
        services.return_submit(actor=lead, return_id=ret.pk)


def test_lead_types_a_value_fixes_it_comments_submits_and_manager_approves(page, world):
    services.indicators_load(actor=SYSTEM)
    _uploaded(world, open_quarter(world.region, fiscal_year=2025, quarter=4), submit=True)
    quarter = open_quarter(world.region)
    _uploaded(world, quarter)

    sign_in(page, "lead@example.org", PASSWORD)
    page.goto(f"/benchmarking/returns/{world.home_la.slug}/{quarter.slug}/")
    page.get_by_role("link", name="Enter or correct values").click()
    expect(
        page.get_by_role("heading", name=f"Enter or correct values for {quarter.label}")
    ).to_be_visible()
    row = page.locator("#CPP_RATE-row")
    expect(row).to_contain_text("4")  # last quarter's rate beside the cell
    assert_page_works_at_every_width(page)

    # More children on plans (4,000) than children in need (3,500): refused beside the cell.
    numerator = page.get_by_role(
        "textbox",
        name="Numerator (Children subject to a plan at the end of the period): Child "
        "protection plan rate",
    )
    numerator.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("4000")
    page.keyboard.press("Tab")
    error = page.locator("#CPP_RATE-numerator-error")
    expect(error).to_contain_text("must not be more than children in need")
    expect(page.locator("#CPP_RATE-numerator")).to_have_attribute(
        "aria-describedby", "CPP_RATE-numerator-error"
    )
    expect(page.locator("#CPP_RATE-denominator")).to_be_focused()
    assert_accessible(page)

    # Corrected; Enter goes down to the next indicator's numerator, like a spreadsheet.
    page.locator("#CPP_RATE-numerator").focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("420")
    page.keyboard.press("Enter")
    expect(page.locator("#CPP_SUBSEQUENT_PCT-numerator")).to_be_focused()
    expect(error).to_have_count(0)
    expect(page.locator("#CPP_RATE-derived")).to_contain_text("42.0")
    expect(row).to_contain_text("Saved")

    page.locator("#CPP_RATE-comment").focus()
    page.keyboard.type("Recounted after the March audit.")
    page.keyboard.press("Tab")
    expect(row).to_contain_text("Saved")
    assert_accessible(page)

    page.get_by_role("button", name="Save and submit the return").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Return submitted to the programme manager.")).to_be_visible()
    expect(page.locator("#return-status")).to_have_text("Submitted")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/benchmarking/returns/{world.home_la.slug}/{quarter.slug}/")
    expect(page.locator("#value-CPP_RATE")).to_contain_text("Recounted after the March audit.")
    page.get_by_role("button", name="Approve the return").click()
    expect(page.locator("#return-status")).to_have_text("Approved")
    page.get_by_role("link", name="See the values as entered").click()
    expect(page.locator("#read-only")).to_contain_text("approved")
    assert_accessible(page)
