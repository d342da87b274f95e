"""The regional update: the programme manager starts this quarter's update from the portal's
own activity, edits and publishes it; signed out, the region's public page shows it with its
tags and featured event, and the Atom feed has the entry."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from events.models import Delegate
from regions.models import RAG
from regions.services import plans as plan_services
from regions.services import priorities as priority_services
from regions.services import subscriptions as subscription_services
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import assert_accessible, assert_page_works_at_every_width, sign_in
from tests.events.factories import EventFactory


def _quarter_of_activity(world):
    pm = world.users["programme_manager"]
    plan = plan_services.plan_create(
        actor=pm,
        region=world.region,
        title="Regional Strategic Improvement Plan 2018-2021",
        start_year=2018,
        end_year=2020,
        is_current=True,
    )
    theme = priority_services.theme_create(actor=pm, plan=plan, title="Practice")
    priority = priority_services.priority_create(
        actor=pm, theme=theme, title="Preventing and tackling neglect"
    )
    priority_services.progress_record(
        actor=pm,
        priority=priority,
        rag=RAG.AMBER,
        narrative="Toolkit drafted.",
        on=timezone.localdate() - timedelta(days=20),
    )
    priority_services.progress_record(
        actor=pm, priority=priority, rag=RAG.GREEN, narrative="In use."
    )
    summit = EventFactory(
        region=world.region,
        title="Summer summit",
        venue="Taunton",
        is_public=True,
        audience="DCSs, assistant directors and partners",
        how_to_book="Ask your director of children's services",
    )
    Delegate.objects.create(
        event=summit, local_authority=world.home_la, full_name="Dan Clarke", email="d@example.org"
    )
    subscription_services.public_profile_save(
        actor=pm, region=world.region, is_enabled=True, noindex=True, publish_plan_summary=True
    )


def test_programme_manager_composes_publishes_and_the_public_page_shows_it(page, world):
    _quarter_of_activity(world)
    sign_in(page, "pm@example.org", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Updates").click()
    expect(page.get_by_role("heading", name="South West regional updates")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Start this quarter\u2019s update").click()
    body = page.get_by_label("Body")
    expect(body).to_contain_text("moved from Amber to Green")
    expect(body).to_contain_text("Summer summit")
    expect(body).to_contain_text("Each LA has 4 delegate places: 7 of 8 are left.")
    assert_accessible(page)

    page.get_by_label("Title").fill("South West Regional Update June 2018")
    page.get_by_label("Tags").fill("SLI, SOUTH WEST, SUMMIT")
    body.fill(
        "## Regional summit\n\nThe summer summit will take place in Taunton.\n\n"
        + body.input_value()
    )
    page.get_by_role("button", name="Save update").click()
    expect(
        page.get_by_role("heading", name="South West Regional Update June 2018", level=1)
    ).to_be_visible()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published.")).to_be_visible()
    assert_accessible(page)
    # The email edition: who is emailed first (issue 14), then sent.
    page.get_by_role("link", name="Send the email edition").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("by email?")
    expect(page.get_by_text("6 members of South West, by email")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Yes, send the email edition").click()
    expect(page.get_by_text("Email edition queued for 6 new recipient(s).")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto("/public/south-west/")
    expect(page.get_by_role("heading", name="South West regional updates")).to_be_visible()
    featured = page.get_by_role("region", name="Featured event")
    expect(featured).to_contain_text("Summer summit")
    expect(featured).to_contain_text("Ask your director of children's services")
    expect(
        page.get_by_role("region", name="Tags").get_by_role("link", name="SUMMIT")
    ).to_be_visible()
    updates = page.get_by_role("region", name="Updates")
    expect(updates.get_by_role("link", name="SUMMIT")).to_be_visible()
    expect(page.get_by_text("Preventing and tackling neglect")).to_be_visible()
    assert "Dan Clarke" not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="South West Regional Update June 2018").click()
    expect(page.get_by_role("complementary", name="Featured event")).to_contain_text(
        "Summer summit"
    )
    expect(page.get_by_text("The summer summit will take place in Taunton.")).to_be_visible()
    expect(page.get_by_role("link", name="SOUTH WEST", exact=True)).to_be_visible()
    assert_accessible(page)

    feed = page.request.get("/public/south-west/feed/")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "<title>South West Regional Update June 2018</title>" in feed.text()
