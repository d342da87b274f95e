from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import assert_accessible, assert_page_works_at_every_width, sign_in
from tests.regions.factories import StatisticalNeighbourFactory


def test_dcs_signs_in_sees_dashboard_and_opens_their_la(page, world):
    StatisticalNeighbourFactory(
        local_authority=world.home_la, neighbour=world.other_la, rank=1, closeness="very_close"
    )

    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_page_works_at_every_width(page)

    sign_in(page, "dcs@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Dan")).to_be_visible()
    roles = page.get_by_role("region", name="Your roles")
    expect(roles).to_contain_text("Director of children's services, Somerset")
    assert_page_works_at_every_width(page)

    roles.get_by_role("link", name="Director of children's services, Somerset").click()
    expect(page.get_by_role("heading", name="Somerset", level=1)).to_be_visible()
    neighbours = page.get_by_role("table", name="Statistical neighbours of Somerset")
    expect(neighbours).to_contain_text("Bracknell Forest")
    expect(neighbours).to_contain_text("Very close")
    people = page.get_by_role("table", name="People with a role in Somerset")
    expect(people).to_contain_text("Dan Clarke")
    assert_page_works_at_every_width(page)


def test_wrong_password_is_refused_with_a_clear_message(page, world):
    sign_in(page, "dcs@example.org", "not-the-password")
    expect(page.get_by_role("alert").or_(page.locator(".alert-danger"))).to_contain_text(
        "correct email address and password"
    )
    assert_page_works_at_every_width(page)


def test_the_accessibility_check_itself_catches_violations(page):
    """Guards the harness: a page with an unlabelled field and no lang must fail the check."""
    import pytest

    page.set_content("<html><body><input type='text'><img src='x.png'></body></html>")
    with pytest.raises(pytest.fail.Exception, match=r"image-alt|label|html-has-lang"):
        assert_accessible(page)
