"""A performance lead returns the quarter's data; the programme manager approves it."""

import io

from openpyxl import load_workbook
from playwright.sync_api import expect

from benchmarking import services
from benchmarking.models import Return
from sli_portal.access import SYSTEM
from tests.accounts.factories import PASSWORD
from tests.benchmarking.factories import VALID, open_quarter, return_rows, to_csv
from tests.e2e.conftest import assert_page_works_at_every_width, fill_date, sign_in


def _fill(template: bytes, changes: dict[str, dict[str, object]]) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book["Return"]
    header = [cell.value for cell in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    for row in range(2, sheet.max_row + 1):
        code = sheet.cell(row=row, column=col["indicator_code"]).value
        numerator, denominator = VALID[code]
        cells = {"numerator": numerator, "denominator": denominator, **changes.get(code, {})}
        for name, value in cells.items():
            sheet.cell(row=row, column=col[name], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_lead_uploads_fixes_errors_explains_outlier_submits_and_manager_approves(
    page, world, tmp_path
):
    services.indicators_load(actor=SYSTEM)
    # Last quarter's return, submitted: this quarter's referrals are compared with it.
    earlier = open_quarter(world.region, fiscal_year=2025, quarter=4)
    services.return_upload(
        actor=world.users["performance_lead"],
        period=earlier,
        file_name="q4.csv",
        data=to_csv(return_rows(world.home_la, earlier)),
        local_authority=world.home_la,
    )
    services.return_submit(
        actor=world.users["performance_lead"],
        return_id=Return.objects.get(period=earlier).pk,
    )
    quarter = open_quarter(world.region)

    sign_in(page, "lead@example.org", PASSWORD)
    page.get_by_role("link", name="Data returns").first.click()
    page.get_by_role("link", name=f"Start your return for Somerset {quarter.label}").click()
    expect(
        page.get_by_role("heading", name=f"Somerset: return for {quarter.label}")
    ).to_be_visible()
    expect(page.locator("#return-status")).to_have_text("Not started")
    assert_page_works_at_every_width(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    template = download_info.value.path().read_bytes()

    # Two mistakes: a word for a number, and more care leavers in EET than care leavers.
    wrong = tmp_path / "somerset-wrong.xlsx"
    wrong.write_bytes(
        _fill(template, {"REREF_PCT": {"value": "twenty-two"}, "CL_EET_PCT": {"numerator": 400}})
    )
    page.get_by_label("Return file (XLSX or CSV)").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and check").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("The file was not saved: 2 problems to fix")
    expect(errors).to_contain_text("Row 3, column K (value): 'twenty-two' is not a number.")
    expect(errors).to_contain_text(
        "Row 14, column G (numerator): CL_EET_PCT: the numerator 400 is greater than the "
        "denominator 300."
    )
    expect(page.locator("#return-status")).to_have_text("Not started")
    assert_page_works_at_every_width(page)

    # Fixed; referrals are up 60% on last quarter, which is flagged for a comment.
    fixed = tmp_path / "somerset.xlsx"
    fixed.write_bytes(_fill(template, {"REF_RATE": {"numerator": 8000}}))
    page.get_by_label("Return file (XLSX or CSV)").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("File accepted: 18 values saved.")).to_be_visible()
    expect(page.get_by_text("1 value needs a comment before you can submit")).to_be_visible()
    expect(page.locator("#value-REF_RATE")).to_contain_text("up 60% on 2025-26 Q4 (500 to 800)")
    assert_page_works_at_every_width(page)

    page.get_by_role("button", name="Submit the return").click()
    expect(
        page.get_by_text("Explain each value flagged as unusual before submitting: REF_RATE")
    ).to_be_visible()
    page.get_by_label("Comment on Referrals rate").fill("A new multi-agency front door from April.")
    page.get_by_role("button", name="Save comment on Referrals rate").click()
    expect(page.get_by_text("Comment saved for REF_RATE.")).to_be_visible()
    page.get_by_role("button", name="Submit the return").click()
    expect(page.get_by_text("Return submitted to the programme manager.")).to_be_visible()
    expect(page.locator("#return-status")).to_have_text("Submitted")
    assert_page_works_at_every_width(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/benchmarking/regions/{world.region.slug}/{quarter.slug}/")
    grid = page.get_by_role("table", name=f"Return status of each local authority, {quarter.label}")
    expect(grid.get_by_role("row", name="Somerset")).to_contain_text("Submitted")
    expect(grid.get_by_role("row", name="Somerset")).to_contain_text("On time")
    assert_page_works_at_every_width(page)
    grid.get_by_role("link", name="Somerset").click()
    expect(page.locator("#value-REF_RATE")).to_contain_text("A new multi-agency front door")
    page.get_by_role("button", name="Approve the return").click()
    expect(page.get_by_text("Return approved: the region can now see it.")).to_be_visible()
    expect(page.locator("#return-status")).to_have_text("Approved")
    assert_page_works_at_every_width(page)


def test_programme_manager_opens_a_window_and_reads_published_figures(page, world):
    services.indicators_load(actor=SYSTEM)
    services.published_data_import(
        actor=SYSTEM,
        files=[
            (
                "c1.csv",
                "time_period,time_identifier,geographic_level,country_code,country_name,"
                "region_code,region_name,old_la_code,new_la_code,la_name,category,referral_count,"
                "rereferral_count,rereferral_percent,no_further_action_count,"
                "no_further_action_percent\r\n"
                f"2025,Reporting year,Local authority,E92000001,England,E12000009,South West,"
                f"{world.home_la.dfe_code},{world.home_la.gss_code},Somerset,R,5877,1300,22.1,c,c\r\n",
            )
        ],
    )
    sign_in(page, "pm@example.org", PASSWORD)
    page.goto(f"/benchmarking/regions/{world.region.slug}/windows/")
    assert_page_works_at_every_width(page)
    page.get_by_label("Financial year starting").fill("2026")
    page.get_by_label("Quarter").select_option("2")
    fill_date(page, "Opens on", "1/10/2026")
    fill_date(page, "Due on", "12/11/2026")
    fill_date(page, "Locks on", "10/12/2026")
    page.get_by_role("button", name="Save window").click()
    expect(page.get_by_text("The 2026-27 Q2 return window is saved.")).to_be_visible()
    expect(page.get_by_text("due 12 November 2026")).to_be_visible()
    assert_page_works_at_every_width(page)

    page.get_by_role("link", name="Upload a file for several LAs").click()
    expect(
        page.get_by_role("heading", name="South West: upload returns for 2026-27 Q2")
    ).to_be_visible()
    assert_page_works_at_every_width(page)

    page.get_by_role("link", name="Data returns").first.click()
    assert_page_works_at_every_width(page)
    page.goto("/benchmarking/indicators/")
    assert_page_works_at_every_width(page)
    page.get_by_role(
        "link", name="Re-referrals within 12 months of a previous referral (%)"
    ).click()
    table = page.get_by_role("table", name="Published values by LA, 2024-25")
    expect(table.get_by_role("row", name="Somerset")).to_contain_text("22.1")
    expect(
        page.get_by_text("England (from 1 LAs' summed numerators and denominators): 22.1")
    ).to_be_visible()
    assert_page_works_at_every_width(page)
    page.goto("/benchmarking/indicators/NFA_PCT/")
    expect(page.get_by_role("row", name="Somerset")).to_contain_text("Not available (c)")
