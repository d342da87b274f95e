import datetime

from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import assert_page_works_at_every_width, choose, fill_date, sign_in


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("domcontentloaded")


def test_cycle_triads_self_assessment_moderation_and_comments(page, world):
    today = datetime.date.today()
    # Programme manager: create the cycle, generate and confirm the triads.
    sign_in(page, "pm@example.org", PASSWORD)
    page.get_by_role("link", name="Peer challenge", exact=True).first.click()
    expect(page.get_by_role("heading", name="Peer challenge", level=1)).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="New cycle in South West").click()
    page.get_by_label("Kind of cycle").select_option("annual_triad")
    page.get_by_role("spinbutton", name="Year").fill(str(today.year))
    page.get_by_label("Title").fill("Self-assessment peer challenge")
    fill_date(page, "Self-assessments due (optional)", today + datetime.timedelta(days=20))
    fill_date(page, "Moderation due (optional)", f"31/2/{today.year + 1}")
    fill_date(page, "Challenge day (optional)", today + datetime.timedelta(days=60))
    page.get_by_label("Challenge day venue").fill("Taunton")
    page.get_by_label("Moderators must not come from the LA's own triad").uncheck()
    page.get_by_role("button", name="Create cycle").click()
    # An impossible date: the GOV.UK message names the field; the rest is kept.
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The moderation due date must be a real date"
    )
    assert_page_works_at_every_width(page)
    fill_date(page, "Moderation due (optional)", today + datetime.timedelta(days=40))
    page.get_by_label("Moderators must not come from the LA's own triad").uncheck()
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Create cycle").click()
    expect(
        page.get_by_role("heading", name="Self-assessment peer challenge", level=1)
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Self-assessments you can open in this cycle")
    ).to_contain_text("Somerset")
    # The challenge day is the region's event: linked, with its places per LA.
    day = today + datetime.timedelta(days=60)
    expect(
        page.get_by_role("table", name="Delegates registered against places, per local authority")
    ).to_contain_text("Somerset")
    expect(page.get_by_text("0 of 8 places taken")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name=f"{day.day} {day:%B %Y}, Taunton").click()
    expect(
        page.get_by_role("heading", name="Self-assessment peer challenge: challenge day", level=1)
    ).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Arrange triads").click()
    page.get_by_role("button", name="Generate triads").click()
    expect(page.locator("#repeat-summary")).to_contain_text("0 repeated pairings")
    expect(page.get_by_label("Somerset")).to_have_value("1")
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="Confirm triads").click()
    # "Are you sure?": what happens; "No, keep editing" changes nothing.
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirm the triads")
    expect(page.locator("main")).to_contain_text("The 1 triad of 2 local authorities becomes final")
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="No, keep editing").click()
    expect(page.get_by_role("link", name="Confirm triads")).to_be_visible()
    page.get_by_role("link", name="Confirm triads").click()
    page.get_by_role("button", name="Yes, confirm the triads").click()
    expect(page.get_by_text("The triads are confirmed")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Triad 1:")).to_contain_text(
        "Devon, Somerset"
    )
    _sign_out(page)

    # The DCS writes and submits the self-assessment.
    sign_in(page, "dcs@example.org", PASSWORD)
    page.get_by_role("link", name="Somerset: Write and submit the self-assessment").click()
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="Edit the self-assessment").click()
    narratives = page.get_by_label("Narrative")
    for index in range(narratives.count()):
        narratives.nth(index).fill(f"Our position, section {index + 1}.")
    page.get_by_label("Strengths").first.fill("Stable, visible leadership.")
    page.get_by_label("Evidence links").first.fill("https://example.org/annual-conversation")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your self-assessment is saved.")).to_be_visible()
    page.get_by_role("link", name="Submit for moderation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("submit Somerset's")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Yes, submit for moderation").click()
    expect(page.locator("#sa-status")).to_have_text("Submitted")
    _sign_out(page)

    # The programme manager assigns a moderator from Devon.
    sign_in(page, "pm@example.org", PASSWORD)
    page.get_by_role("link", name="Self-assessment peer challenge", exact=True).first.click()
    page.get_by_role("link", name="Somerset").click()
    page.get_by_role("link", name="Moderators").click()
    choose(page, "Moderator", "Pip", "Pip Devon, Director of children's services, Devon")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Assign moderator").click()
    expect(page.get_by_text("Pip Devon will moderate it.")).to_be_visible()
    _sign_out(page)

    # The moderator from Devon comments and sends the comments.
    sign_in(page, "peer@example.org", PASSWORD)
    page.get_by_role("link", name="Moderate Somerset's self-assessment").click()
    expect(page.get_by_text("Our position, section 1.")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_label("Your comment on “Leadership, governance and management”").fill(
        "Convincing. What do children say about the changes?"
    )
    page.get_by_role("button", name="Add comment on section 1").click()
    expect(page.get_by_text("Convincing. What do children say")).to_be_visible()
    page.get_by_role("link", name="Send my comments to Somerset").click()
    expect(page.locator("main")).to_contain_text("Somerset can read your 1 comment")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Yes, send my comments").click()
    expect(page.get_by_text("Your comments are sent to Somerset.")).to_be_visible()
    _sign_out(page)

    # The DCS sees the comments and responds.
    sign_in(page, "dcs@example.org", PASSWORD)
    page.get_by_role("link", name="Somerset: Read the moderators' comments").click()
    expect(page.locator("#sa-status")).to_have_text("Moderated")
    expect(page.get_by_text("Pip Devon, Devon: Convincing. What do children say")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_label("Your response to this comment").fill(
        "We will add the young people's survey."
    )
    page.get_by_role("button", name="Respond").click()
    expect(page.get_by_text("Response from Dan Clarke: We will add")).to_be_visible()
    assert_page_works_at_every_width(page)
