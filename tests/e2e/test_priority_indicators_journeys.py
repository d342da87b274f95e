"""A priority shows the trend of its indicators: the programme manager links one on the
priority page and sees its mini trend; a member of the region reads it without the form."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.benchmarking.priority_links.factories import (
    load_indicators,
    make_return,
    priority_in,
    quarters_back,
)
from tests.e2e.conftest import assert_accessible, assert_page_works_at_every_width, sign_in


def test_programme_manager_links_an_indicator_and_sees_its_mini_trend(page, world):
    load_indicators()
    priority = priority_in(world.region, title="Preventing and tackling neglect")
    for i, period in enumerate(quarters_back(8)):
        make_return(world.home_la, period, values={"REREF_PCT": (10 + i, 10 + i, 100)})
        make_return(world.peer_la, period, values={"REREF_PCT": (30, 30, 100)})

    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(reverse("regions:priority_detail", kwargs={"pk": priority.pk}))
    indicators = page.get_by_role("region", name="Indicators")
    expect(indicators).to_contain_text("No indicators are linked to this priority.")
    assert_accessible(page)

    indicators.get_by_label("Indicator to link").select_option(
        label="Re-referrals within 12 months of a previous referral (%)"
    )
    indicators.get_by_role("button", name="Link indicator").click()
    expect(page.get_by_text("Linked Re-referrals")).to_be_visible()
    table = indicators.get_by_role("table")
    row = table.get_by_role("row").filter(has_text="Re-referrals")
    expect(row.get_by_role("img", name="Re-referrals: region trend")).to_be_visible()
    # latest quarter 2025-26 Q4: (17 + 30) / 200
    expect(row).to_contain_text("23.5% (2025-26 Q4)")
    expect(row).to_contain_text("approved returns, last 8 quarters")
    expect(row.get_by_role("link", name="Tartan rug for Re-referrals")).to_be_visible()
    assert_accessible(page)

    row.get_by_role("link", name="Unlink Re-referrals").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("unlink")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Yes, unlink the indicator").click()
    expect(indicators).to_contain_text("No indicators are linked to this priority.")
