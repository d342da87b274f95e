import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventKind, EventStatus
from events.models.feedback import feedback_token
from events.services import delegates as delegates_services
from events.services import events as events_services
from events.services import meetings as meetings_services
from sli_portal.access import SYSTEM
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import (
    assert_accessible,
    assert_page_works_at_every_width,
    fill_date,
    sign_in,
)


def _summit(world):
    starts = (timezone.now() + timedelta(days=30)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    event = events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.SUMMIT,
        title="Summer summit",
        focus="Children in need of help and protection",
        venue="Taunton",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        status=EventStatus.PUBLISHED,
        places_per_la=4,
    )
    events_services.session_create(
        actor=SYSTEM,
        event=event,
        title="Neglect practice guide",
        starts_at=starts + timedelta(hours=3),
        ends_at=starts + timedelta(hours=4),
        is_workshop=True,
        capacity=20,
        speakers=[("Helen Lincoln", "DCS", "Essex County Council")],
    )
    return event


def test_dcs_registers_four_is_refused_a_fifth_substitutes_and_downloads_ics(page, world):
    _summit(world)
    sign_in(page, "dcs@example.org", PASSWORD)
    places = page.get_by_role("region", name="Event places")
    places.get_by_role("link", name="Summer summit: 0 of 4 places used").click()
    expect(page.get_by_role("heading", name="Summer summit", level=1)).to_be_visible()
    assert_accessible(page)

    for n in range(1, 5):
        page.get_by_role("link", name="Register a delegate").click()
        page.get_by_label("Full name").fill(f"Delegate Number{n}")
        page.get_by_label("Email address").fill(f"delegate{n}@somerset.example.org")
        if n == 1:
            page.get_by_label("Neglect practice guide").check()
            assert_page_works_at_every_width(page)
        page.get_by_role("button", name="Register", exact=True).click()
        expect(
            page.get_by_text(f"Delegate Number{n} is registered for Summer summit")
        ).to_be_visible()
    expect(page.get_by_text("4 of 4 places used")).to_be_visible()
    # No place left: registering is not offered, and the page says why.
    expect(page.get_by_role("link", name="Register a delegate")).to_have_count(0)
    expect(page.get_by_text("Somerset has used all its places.")).to_be_visible()
    assert_page_works_at_every_width(page)

    page.get_by_role("link", name="Substitute Delegate Number1").click()
    expect(
        page.get_by_text("keeps Delegate Number1's place and workshops (Neglect practice guide)")
    ).to_be_visible()
    page.get_by_label("Full name of the new delegate").fill("Sasha Stand-in")
    page.get_by_label("Their email address").fill("sasha@somerset.example.org")
    assert_accessible(page)
    page.get_by_role("button", name="Substitute").click()
    expect(page.get_by_text("Sasha Stand-in now has Delegate Number1's place")).to_be_visible()
    delegates = page.get_by_role("table", name="Delegates from Somerset")
    expect(delegates).to_contain_text("Sasha Stand-in")
    expect(delegates).not_to_contain_text("Delegate Number1")
    expect(page.get_by_text("4 of 4 places used")).to_be_visible()

    # Cancelling a place asks first; "No" changes nothing; "Yes" can be undone.
    page.get_by_role("link", name="Cancel place of Delegate Number2").click()
    expect(
        page.get_by_role(
            "heading", name="Are you sure you want to cancel Delegate Number2's place?"
        )
    ).to_be_visible()
    expect(page.get_by_text("will be emailed that their place is cancelled")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="No, keep the place").click()
    expect(page.get_by_text("4 of 4 places used")).to_be_visible()
    page.get_by_role("link", name="Cancel place of Delegate Number2").click()
    page.get_by_role("button", name="Yes, cancel the place").click()
    expect(page.get_by_text("3 of 4 places used")).to_be_visible()
    page.get_by_role("button", name="Undo the cancellation of Delegate Number2's place").click()
    expect(page.get_by_text("Delegate Number2 has their place back.")).to_be_visible()
    expect(page.get_by_text("4 of 4 places used")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    with open(download_info.value.path(), encoding="utf-8") as handle:
        ics = handle.read()
    assert "BEGIN:VEVENT" in ics
    assert "SUMMARY:Summer summit" in ics
    assert "STATUS:CONFIRMED" in ics


def test_programme_manager_creates_a_summit_with_workshops_and_sees_registrations_per_la(
    page, world
):
    sign_in(page, "pm@example.org", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", name="Events", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Create an event").click()
    page.get_by_label("Kind of event").select_option("summit")
    page.get_by_label("Event title").fill("Winter summit")
    page.get_by_label("Venue (optional)").fill("Taunton Racecourse")
    fill_date(page, "Starts", "17/1/2030", "09:30")
    fill_date(page, "Ends", "31/2/2030", "16:00")
    page.get_by_label("Status").select_option("published")
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Create event").click()
    # An impossible date is refused in words that name the field, and nothing is created.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The end must be a real date")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_page_works_at_every_width(page)
    fill_date(page, "Ends", "17/1/2030", "16:00")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Winter summit", level=1)).to_be_visible()

    for title in ("Early help front doors", "Reducing parental conflict"):
        page.get_by_role("link", name="Add a session or workshop").click()
        page.get_by_label("Title").fill(title)
        fill_date(page, "Starts", "17/1/2030", "13:00")
        fill_date(page, "Ends", "17/1/2030", "14:00")
        page.get_by_label("This is a workshop delegates choose").check()
        page.get_by_label("Workshop places").fill("25")
        page.get_by_label("Speakers").fill("Sue Chapman, Programme lead, DWP")
        if title.startswith("Early"):
            assert_accessible(page)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_text(f"Workshop “{title}” added to the programme.")).to_be_visible()
    programme = page.get_by_role("table", name="Programme of Winter summit")
    expect(programme).to_contain_text("Reducing parental conflict")
    expect(programme).to_contain_text("0 of 25 taken")
    assert_accessible(page)

    event = world.region.events.get()
    delegates_services.delegate_register(
        actor=SYSTEM,
        event=event,
        local_authority=world.peer_la,
        full_name="Dee Devon",
        email="dee@devon.example.org",
        workshops=[event.sessions.first().pk],
    )
    page.get_by_role("link", name="Places per LA").click()
    page.get_by_label("Places for Somerset").fill("5")
    assert_accessible(page)
    page.get_by_role("button", name="Save places").click()
    expect(page.get_by_text("Places changed for 1 local authorities.")).to_be_visible()

    per_la = page.get_by_role("table", name="Places per local authority")
    expect(per_la.get_by_role("row", name="Devon")).to_contain_text("1 of 4")
    expect(per_la.get_by_role("row", name="Somerset")).to_contain_text("0 of 5")
    expect(page.get_by_text("1 of 9 LA places taken")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Early help front doors").click()
    expect(page.get_by_role("table", name="Delegates in Early help front doors")).to_contain_text(
        "Dee Devon"
    )
    page.get_by_role("button", name="Check in Dee Devon").click()
    expect(page.get_by_text("Checked in")).to_be_visible()
    assert_accessible(page)


def test_dcs_sends_apologies_with_a_deputy_and_the_programme_manager_sees_below_quorum(page, world):
    starts = (timezone.now() + timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    meeting = events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.STEERING_GROUP,
        title="Steering group",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=EventStatus.PUBLISHED,
        quorum=2,
    )
    meetings_services.meeting_invite(actor=SYSTEM, event=meeting, role="dcs")

    sign_in(page, "dcs@example.org", PASSWORD)
    page.get_by_role("region", name="Meeting invitations").get_by_role(
        "link", name="Reply: Steering group"
    ).click()
    page.get_by_label("I send apologies").check()
    page.get_by_label("Deputy's name").fill("Ann Deputy")
    assert_accessible(page)
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Thank you: your reply has been recorded.")).to_be_visible()
    expect(page.get_by_text("Your reply: Apologies (deputy: Ann Deputy)")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "pm@example.org", PASSWORD)
    page.get_by_role(
        "link", name="Steering group: 1 of 2 invited people expected; quorum 2"
    ).click()
    invitations = page.get_by_role("table", name="Invitations to Steering group")
    expect(invitations.get_by_role("row", name="Dan Clarke")).to_contain_text("Ann Deputy")
    expect(page.get_by_text("Below quorum")).to_be_visible()
    assert_accessible(page)


def test_delegate_gives_feedback_through_the_emailed_link(page, world):
    event = _summit(world)
    delegate = delegates_services.delegate_register(
        actor=SYSTEM,
        event=event,
        local_authority=world.home_la,
        full_name="Fay Feedback",
        email="fay@example.org",
    )
    type(event).objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - timedelta(days=40), ends_at=event.ends_at - timedelta(days=40)
    )
    page.goto(f"/events/feedback/{feedback_token(delegate)}/")
    expect(page.get_by_role("heading", name="Your feedback on Summer summit")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("What was most useful?").fill("The neglect workshop")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Your feedback on Summer summit has been recorded.")).to_be_visible()
    assert_accessible(page)


def _tab_to(page, name: str, *, limit: int = 120) -> None:
    """Press Tab until the focused element's text or label is `name` (keyboard only)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement; if (!el) return '';
                const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';
                return (label || el.innerText || el.value || '').trim(); }"""
        )
        if focused == name or focused.startswith(name + "\n"):
            return
        seen.append(focused)
    raise AssertionError(f"Tab never reached {name!r} on {page.url}: {seen[:40]}")


def test_dcs_registers_a_delegate_with_the_keyboard_only(page, world):
    event = _summit(world)
    page.goto("/accounts/login/")
    _tab_to(page, "Email address")
    page.keyboard.type("dcs@example.org")
    _tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(f"/events/{event.pk}/")
    _tab_to(page, "Register a delegate")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Register delegates from Somerset")).to_be_visible()
    _tab_to(page, "Full name")
    page.keyboard.type("Kim Keyboard")
    _tab_to(page, "Email address")
    page.keyboard.type("kim@somerset.example.org")
    _tab_to(page, "Register")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Kim Keyboard is registered for Summer summit")).to_be_visible()
    expect(page.get_by_text("1 of 4 places used")).to_be_visible()


def test_programme_manager_cancels_an_event_after_being_asked_and_undoes_it(page, world):
    event = _summit(world)
    delegates_services.delegate_register(
        actor=SYSTEM,
        event=event,
        local_authority=world.home_la,
        full_name="Dee Legate",
        email="dee@example.org",
    )
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto("/events/")
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="Summer summit").click()
    page.get_by_role("link", name="Cancel event").click()
    expect(
        page.get_by_role("heading", name="Are you sure you want to cancel this event?")
    ).to_be_visible()
    expect(page.get_by_text("1 registered delegate from 1 local authority")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="No, keep the event").click()
    expect(page.get_by_text("Open until the event starts.")).to_be_visible()
    page.get_by_role("link", name="Cancel event").click()
    page.get_by_role("button", name="Yes, cancel the event").click()
    expect(page.get_by_text("Closed: the event is cancelled.")).to_be_visible()
    expect(page.get_by_text("Nobody has been told yet.")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Undo the cancellation").click()
    expect(
        page.get_by_text("Summer summit is no longer cancelled. Nobody was emailed.")
    ).to_be_visible()
    expect(page.get_by_text("Open until the event starts.")).to_be_visible()


def test_programme_manager_pools_places_invites_and_removes_after_being_asked(page, world):
    """Issue 14: pooling places, inviting by role and removing a session each show what will
    happen and who is told first; "No, go back" changes nothing."""
    event = _summit(world)
    events_services.event_update(
        actor=SYSTEM, event=event, pool_release_at=event.starts_at - timedelta(days=7)
    )
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/events/{event.pk}/registrations/")
    page.get_by_role("link", name="Pool unused places now").click()
    expect(
        page.get_by_role("heading", name="Are you sure you want to pool the unused places now?")
    ).to_be_visible()
    expect(page.get_by_text("8 unused places from 2 local authorities")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_text("Unused places will be pooled on")).to_be_visible()
    page.get_by_role("link", name="Pool unused places now").click()
    page.get_by_role("button", name="Yes, pool the unused places").click()
    expect(page.get_by_text("8 unused places moved to the regional pool.")).to_be_visible()

    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="Remove Neglect practice guide").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "remove the workshop “Neglect practice guide”"
    )
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Yes, remove the workshop").click()
    expect(page.get_by_text("“Neglect practice guide” removed from the programme.")).to_be_visible()


def test_programme_manager_invites_every_dcs_after_seeing_how_many(page, world):
    starts = timezone.now() + timedelta(days=20)
    meeting = events_services.event_create(
        actor=SYSTEM,
        region=world.region,
        kind=EventKind.STEERING_GROUP,
        title="Steering group",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=EventStatus.PUBLISHED,
    )
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/events/{meeting.pk}/")
    page.get_by_label("Invite everyone in the region who is").select_option(
        label="a director of children's services"
    )
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("The 2 people invited, by email")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role("button", name="Yes, send the invitations").click()
    expect(page.get_by_text("2 people invited; each will get an email.")).to_be_visible()
