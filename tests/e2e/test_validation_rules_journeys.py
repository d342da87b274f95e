"""A programme manager previews a region's own rule against the current returns, saves it,
and switches on the DCS's approval; the DCS approves a submitted return before the region."""

from playwright.sync_api import expect

from benchmarking import services
from benchmarking.models import Return
from sli_portal.access import SYSTEM
from tests.accounts.factories import PASSWORD
from tests.benchmarking.factories import open_quarter, return_rows, to_csv
from tests.e2e.conftest import assert_accessible, assert_page_works_at_every_width, sign_in


def test_manager_previews_and_saves_a_rule_then_dcs_approves_first(page, world):
    services.indicators_load(actor=SYSTEM)
    quarter = open_quarter(world.region)
    lead = world.users["performance_lead"]
    services.return_upload(
        actor=lead,
        period=quarter,
        file_name="r.csv",
        data=to_csv(return_rows(world.home_la, quarter)),
        local_authority=world.home_la,
    )
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    services.return_submit(actor=lead, return_id=ret.pk)

    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/benchmarking/regions/{world.region.slug}/rules/")
    expect(page.get_by_role("heading", name="Validation rules")).to_be_visible()
    form = page.get_by_role("group", name="Add a rule")
    form.get_by_label("Indicator", exact=True).select_option("CPP_RATE")
    form.get_by_label("Figure", exact=True).select_option("numerator")
    form.get_by_label("Comparison").select_option("ge")
    form.get_by_label("Compared with indicator").select_option("CLA_RATE")
    form.get_by_label("Its figure").select_option("numerator")
    form.get_by_label("Message shown when a value breaks the rule").fill(
        "Children on plans must not be fewer than children looked after"
    )
    page.get_by_role("button", name="Preview the rule").click()
    preview = page.locator("#rule_form-preview")
    expect(preview).to_contain_text("1 current return for 2026-27 Q1 would fail")
    expect(preview).to_contain_text("Somerset (submitted)")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Save the rule").click()
    expect(page.get_by_text("Rule saved")).to_be_visible()
    expect(page.locator("#rules")).to_contain_text("Children on plans must not be fewer")
    assert_accessible(page)

    page.goto(f"/benchmarking/regions/{world.region.slug}/approval/")
    page.get_by_label("First the LA's DCS, then the region").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Each LA's DCS now approves its return before you do.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "dcs@example.org", PASSWORD)
    page.goto(f"/benchmarking/returns/{world.home_la.slug}/{quarter.slug}/")
    expect(page.locator("#dcs-approval")).to_contain_text("Waiting for Somerset's DCS")
    assert_accessible(page)
    page.get_by_role("button", name="Approve as DCS").click()
    expect(page.locator("#dcs-approval")).to_contain_text("Approved by the DCS")
