"""Guest places in the browser (issue 17): the programme manager gives the Department for
Education two guest places at a summit; a partner from DfE registers on one; the programme
manager finds them on the registrations page and checks them in on the day."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventKind, EventStatus, GuestDelegate
from events.services import events as events_services
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import assert_page_works_at_every_width, sign_in


def test_a_partner_registers_on_a_guest_place(page, world):
    starts = (timezone.now() + timedelta(days=30)).replace(hour=9, minute=30)
    event = events_services.event_create(
        actor=world.users["programme_manager"],
        region=world.region,
        kind=EventKind.SUMMIT,
        title="Summer summit",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        status=EventStatus.PUBLISHED,
        venue="Taunton",
    )

    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="Guest places for partners").click()
    expect(page.get_by_role("heading", name="Guest places for partners", level=1)).to_be_visible()
    page.get_by_label("Partner organisation").select_option(label="Department for Education")
    page.get_by_label("Guest places").fill("2")
    page.get_by_role("button", name="Save guest places").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Department for Education has 2 guest places at Summer summit."
    )
    expect(page.get_by_role("region", name="Guest places table")).to_contain_text("Nobody yet")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "partner@example.org", PASSWORD)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="Your guest place").click()
    expect(page.locator("#guest-places-left")).to_have_text("0 of 2 taken")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Register me on a guest place").click()
    expect(page.get_by_role("status")).to_contain_text("You are registered for Summer summit.")
    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()
    expect(page.locator("#guest-places-left")).to_have_text("1 of 2 taken")
    assert_page_works_at_every_width(page)
    assert GuestDelegate.objects.get().email == "partner@example.org"

    # Giving the place back asks first (issue 14); "No, keep my place" changes nothing.
    page.get_by_role("link", name="Give back my place").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("give back your place")
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="No, keep my place").click()
    expect(page.locator("#guest-places-left")).to_have_text("1 of 2 taken")
    page.get_by_role("link", name="Give back my place").click()
    page.get_by_role("button", name="Yes, give back my place").click()
    expect(page.get_by_role("status")).to_contain_text("You have given back your place")
    expect(page.locator("#guest-places-left")).to_have_text("0 of 2 taken")
    # ... and takes it again for the day.
    page.get_by_role("button", name="Register me on a guest place").click()
    expect(page.locator("#guest-places-left")).to_have_text("1 of 2 taken")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/events/{event.pk}/registrations/")
    expect(page.locator("#registrations-total")).to_contain_text(
        "0 of 8 LA places taken, 1 of 2 guest places for partners"
    )
    guests = page.get_by_role("region", name="Partners on guest places table")
    expect(guests).to_contain_text("Department for Education")
    expect(guests).to_contain_text("Rhia Sloane")
    guests.get_by_role("button", name="Check in Rhia Sloane").click()
    expect(page.get_by_role("status")).to_contain_text("Rhia Sloane checked in.")
    expect(page.get_by_role("region", name="Partners on guest places table")).to_contain_text(
        "Checked in"
    )
    assert_page_works_at_every_width(page)
    assert GuestDelegate.objects.get(status="registered").checked_in_at is not None
