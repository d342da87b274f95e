"""GOV.UK forms in the browser: the accessible autocomplete for choosing an LA (static/js/
autocomplete.js over a plain <select>), and the event form's sections."""

import re

from playwright.sync_api import expect

from regions.models import Invitation
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import assert_page_works_at_every_width, choose, sign_in
from tests.regions.factories import LocalAuthorityFactory


def test_programme_manager_types_part_of_an_la_name_chooses_it_and_invites(page, world):
    # Enough LAs for a list worth searching.
    for name in ("Bristol", "Cornwall", "Dorset", "Gloucestershire", "North Somerset", "Torbay"):
        LocalAuthorityFactory(name=name, region=world.region)
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/regions/{world.region.slug}/invite/")
    box = page.get_by_role("combobox", name="Local authority")
    expect(box).to_be_visible()
    # The <select> is still in the form (what is posted) but hidden behind the text box.
    expect(page.locator("select#id_local_authority-select")).to_be_hidden()
    page.get_by_label("Full name").fill("Nia Jones")
    page.get_by_label("Email address").fill("nia@somerset.example.org")
    page.get_by_label("Role").select_option("member")
    box.fill("somer")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_count(2)  # Somerset and North Somerset, nothing else
    assert_page_works_at_every_width(page)  # with the suggestions open
    choose(page, "Local authority", "Somer", "North Somerset")
    expect(box).to_have_value("North Somerset")
    page.get_by_role("button", name=re.compile("Send invitation")).click()
    expect(page.get_by_text("Invitation sent to nia@somerset.example.org")).to_be_visible()
    invitation = Invitation.objects.get(email="nia@somerset.example.org")
    assert invitation.local_authority.name == "North Somerset"


def test_an_la_typed_that_is_not_in_the_list_is_refused_in_words(page, world):
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/regions/{world.region.slug}/invite/")
    page.get_by_label("Full name").fill("Nia Jones")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Role").select_option("member")
    page.get_by_role("combobox", name="Local authority").fill("Atlantis")
    page.get_by_role("button", name=re.compile("Send invitation")).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the local authority for this role.")
    # The summary's link goes to the text box people type in.
    summary.get_by_role("link").first.click()
    expect(page.get_by_role("combobox", name="Local authority")).to_be_focused()
    assert_page_works_at_every_width(page)
    assert not Invitation.objects.filter(email="nia@example.org").exists()


def test_the_event_form_is_in_sections_with_the_rarely_used_ones_folded(page, world):
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto("/events/new/")
    for legend in ("About the event", "When it happens", "Where it happens"):
        expect(page.get_by_role("group", name=legend)).to_be_visible()
    pool = page.locator("details", has_text="Regional pool of unused places")
    expect(pool).not_to_have_attribute("open", "")
    expect(
        page.get_by_role("group", name="Release unused places to a regional pool on (optional)")
    ).to_be_hidden()
    assert_page_works_at_every_width(page)
