"""Benchmarking reports in a real browser: the tartan rug and its downloads, a datapack and a
narrative for a flagged figure. Every page is checked with axe-core (WCAG 2.2 AA)."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.benchmarking.reports.factories import build_report_data, load_indicators
from tests.e2e.conftest import assert_page_works_at_every_width, sign_in


@pytest.fixture
def report_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_indicators()
    build_report_data(world)
    return world


def test_performance_lead_opens_rug_switches_scope_and_downloads_xlsx_and_pdf(page, report_world):
    sign_in(page, "lead@example.org", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="South West tartan rug")).to_be_visible()
    # bands against England by default, as DfE's LAIT
    expect(page.get_by_role("heading", name="2025-26 Q1: bands against England")).to_be_visible()
    rug = page.get_by_role("table", name="South West tartan rug, 2025-26 Q1")
    expect(rug).to_contain_text("Care leavers aged 19-21 in education, employment or training")
    expect(rug).to_contain_text("c: suppressed (confidential)")
    assert_page_works_at_every_width(page)

    page.get_by_label("Bands against", exact=True).select_option("region")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="2025-26 Q1: bands against South West")).to_be_visible()
    expect(page.get_by_text("This is not LAIT's banding")).to_be_visible()
    assert_page_works_at_every_width(page)

    for button, link, suffix in (
        ("Build Excel (XLSX)", "Download Tartan rug (Excel)", ".xlsx"),
        ("Build PDF", "Download Tartan rug (PDF)", ".pdf"),
    ):
        page.get_by_role("button", name=button).click()
        download_link = page.get_by_role("link", name=link)
        expect(download_link).to_be_visible()  # the status polls until the build is done
        with page.expect_download() as info:
            download_link.click()
        download = info.value
        assert download.suggested_filename.endswith(suffix)
        content = open(download.path(), "rb").read()  # noqa: SIM115
        if suffix == ".xlsx":
            sheet = load_workbook(io.BytesIO(content))["Tartan rug"]
            assert sheet["A1"].value == "South West tartan rug"
            assert "South West" in sheet["A2"].value
        else:
            assert content.startswith(b"%PDF")
    expect(page.get_by_text("1 page", exact=False)).to_be_visible()
    assert_page_works_at_every_width(page)


def test_dcs_opens_their_datapack_and_writes_an_exception_narrative(page, report_world):
    sign_in(page, "dcs@example.org", PASSWORD)
    page.goto("/benchmarking/reports/south-west/rug/?scope=region")
    page.get_by_role("link", name="Somerset", exact=True).click()
    expect(page.get_by_role("heading", name="Somerset datapack", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Summary for 2025-26 Q1")).to_be_visible()
    expect(
        page.get_by_role(
            "img",
            name="Re-referrals within 12 months of a previous referral (%): trend for Somerset",
        )
    ).to_be_visible()
    assert_page_works_at_every_width(page)

    page.get_by_role("link", name="Exception report and narratives for South West").click()
    expect(page.get_by_role("heading", name="South West exception report")).to_be_visible()
    expect(page.get_by_role("heading", name="Missing a narrative")).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_role(
        "link", name="Write narrative for Care leavers in EET (19-21), Somerset"
    ).click()
    expect(
        page.get_by_role("heading", name="Narrative: Care leavers aged 19-21", exact=False)
    ).to_be_visible()
    assert_page_works_at_every_width(page)
    page.get_by_label("Narrative").fill("Two large cohorts left care in March; each has a PA.")
    page.get_by_role("button", name="Save narrative").click()
    expect(page.get_by_text("Narrative saved for")).to_be_visible()
    flags = page.get_by_role("table", name="Flagged figures and their narratives")
    expect(flags).to_contain_text("Two large cohorts left care in March; each has a PA.")
    expect(flags).to_contain_text("Dan Clarke")
    assert_page_works_at_every_width(page)


def test_lead_sees_ofsted_judgements_on_the_rug_the_datapack_and_the_la_page(page, report_world):
    import datetime

    from regions.models import OfstedInspection

    OfstedInspection.objects.create(
        local_authority=report_world.home_la,
        inspection_date=datetime.date(2024, 6, 10),
        inspection_type="ILACS Standard Inspection",
        overall_effectiveness="good",
        leaders="good",
        help_and_protection="requires_improvement",
        children_in_care="outstanding",
        care_leavers="good",
        source_file="LA_Inspection_Outcomes_as_at_31_March_2025.ods",
    )
    sign_in(page, "lead@example.org", PASSWORD)
    page.goto("/benchmarking/reports/south-west/rug/")
    page.get_by_role("link", name="Show each LA's Ofsted judgement").click()
    rug = page.get_by_role("table", name="South West tartan rug, 2025-26 Q1")
    expect(rug).to_contain_text("Ofsted overall effectiveness (latest ILACS inspection)")
    expect(rug).to_contain_text("Good (Jun 2024)")
    assert_page_works_at_every_width(page)

    page.get_by_role("link", name="Somerset", exact=True).click()
    expect(page.get_by_role("heading", name="Ofsted judgements")).to_be_visible()
    expect(page.get_by_text("ILACS Standard Inspection, 10 June 2024")).to_be_visible()
    assert_page_works_at_every_width(page)

    page.goto(report_world.home_la.get_absolute_url())
    section = page.get_by_role("region", name="Ofsted judgements")
    expect(section).to_contain_text("Overall effectiveness")
    expect(section).to_contain_text("Outstanding")  # children in care
    expect(section).to_contain_text("Open Government Licence v3.0")
    assert_page_works_at_every_width(page)
