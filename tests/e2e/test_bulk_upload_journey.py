"""A programme manager uploads a region's bulk file: the button is disabled and the page says
the file is being checked; the file's own page then reports what happened, in words."""

import re

from playwright.sync_api import expect

from benchmarking import services
from sli_portal.access import SYSTEM
from tests.accounts.factories import PASSWORD
from tests.benchmarking.factories import open_quarter, return_rows, to_csv
from tests.e2e.conftest import assert_page_works_at_every_width, sign_in


def test_manager_uploads_a_bulk_file_sees_it_checked_refused_then_accepted(page, world, tmp_path):
    services.indicators_load(actor=SYSTEM)
    quarter = open_quarter(world.region)
    las = list(world.region.local_authorities.filter(is_active=True).order_by("name"))
    rows = return_rows(las, quarter)
    good = tmp_path / "south-west.csv"
    good.write_bytes(to_csv(rows))
    rows[2][rows[0].index("numerator")] = "many"
    bad = tmp_path / "south-west-wrong.csv"
    bad.write_bytes(to_csv(rows))

    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/benchmarking/regions/{world.region.slug}/{quarter.slug}/upload/")
    assert_page_works_at_every_width(page)

    # Submitting disables the button and says the file is being checked; a second click does
    # nothing (the form is held here so the moment can be seen).
    page.locator("form[data-upload-form]").evaluate(
        "form => form.addEventListener('submit', (event) => event.preventDefault())"
    )
    page.get_by_label("Return file (XLSX or CSV)").set_input_files(str(good))
    button = page.get_by_role("button", name="Upload and check")
    button.click()
    expect(button).to_be_disabled()
    expect(page.get_by_role("status").filter(has_text="Checking your file")).to_be_visible()

    page.reload()
    page.get_by_label("Return file (XLSX or CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Not accepted")).to_be_visible()
    expect(page.locator("#upload-errors")).to_contain_text("'many' is not a number.")
    expect(page).to_have_title(re.compile(r"^Error: Checking south-west-wrong\.csv"))
    assert_page_works_at_every_width(page)

    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("Return file (XLSX or CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Accepted", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{len(las) * 18} values saved for {len(las)} local")).to_be_visible()
    assert_page_works_at_every_width(page)
