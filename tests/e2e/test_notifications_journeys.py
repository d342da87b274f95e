"""Notifications in the browser: a DCS sees that a vote opened, follows the notification and
casts the LA's ballot; the inbox then has nothing unread."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from regions.services import votes as vote_services
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import (
    PHONE,
    assert_accessible,
    assert_page_works_at_every_width,
    sign_in,
)


def test_dcs_sees_the_vote_opened_follows_it_and_casts_the_ballot(page, world):
    vote_services.vote_open(
        actor=world.users["programme_manager"],
        region=world.region,
        title="Summit vote",
        candidates=[("Preventing and tackling neglect", ""), ("Workforce", "")],
        max_choices=1,
        closes_at=timezone.now() + timedelta(hours=3),
    )

    sign_in(page, "dcs@example.org", PASSWORD)
    header_link = page.locator("#header-notifications")
    expect(header_link).to_have_text("Notifications 1 unread")
    header_link.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.locator("#unread-summary")).to_have_text("1 unread notification.")
    assert_page_works_at_every_width(page)  # the inbox, and the header's search box and link

    page.get_by_role("link", name="Vote open: Summit vote. Cast your LA's ballot by").click()
    expect(page.get_by_role("region", name="Cast your LA's ballot")).to_contain_text(
        "you are voting for Somerset"
    )
    expect(page.locator("#header-unread-count")).to_have_count(0)  # followed: read
    page.get_by_label("Preventing and tackling neglect").check()
    page.get_by_role("button", name="Cast ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Somerset's ballot has been cast")
    assert_accessible(page)

    page.locator("#header-notifications").click()
    expect(page.locator("#unread-summary")).to_have_text("Nothing unread.")
    assert_accessible(page)


def test_search_from_the_header_at_a_laptop_and_a_phone_width(page, world):
    sign_in(page, "dcs@example.org", PASSWORD)
    page.set_viewport_size(PHONE)
    box = page.get_by_role("search", name="Search the portal")
    expect(box.get_by_role("searchbox")).to_be_visible()
    expect(page.locator("#header-notifications")).to_be_visible()
    box.get_by_role("searchbox").fill("Somerset")
    box.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    expect(page.locator("#search-summary")).to_contain_text("for “Somerset”")
    expect(page.get_by_role("heading", name="Local authorities", level=2)).to_be_visible()
    expect(page.get_by_role("link", name="Somerset", exact=True)).to_be_visible()
    assert_page_works_at_every_width(page)


def test_dcs_marks_one_read_from_the_kept_inbox_and_sees_it_at_once(page, world):
    """The inbox list is kept per person: its forms still carry this browser's CSRF token, and
    marking one read shows on the page the browser is sent back to."""
    from notifications.services import notify
    from sli_portal.access import SYSTEM

    dcs = world.users["dcs"]
    for n in (1, 2):
        notify(
            actor=SYSTEM,
            recipients=[dcs],
            kind="test",
            occasion=f"test:{n}",
            text=f"Thing {n}",
            url="/regions/",
        )
    sign_in(page, "dcs@example.org", PASSWORD)
    page.locator("#header-notifications").click()
    expect(page.locator("#unread-summary")).to_have_text("2 unread notifications.")
    page.reload()  # the list now comes from the cache
    expect(page.locator("#unread-summary")).to_have_text("2 unread notifications.")
    item = page.locator(".portal-inbox__item", has_text="Thing 1")
    item.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as read: Thing 1")
    expect(page.locator("#unread-summary")).to_have_text("1 unread notification.")
    expect(item.get_by_role("button", name="Mark as read")).to_have_count(0)
    expect(item.get_by_text("Unread")).to_have_count(0)
    expect(page.locator("#header-unread-count")).to_have_text("1 unread")
