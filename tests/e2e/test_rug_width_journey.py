"""The tartan rug on a laptop (1280 px): the viewer's own LA is the first LA column, highlighted
and on screen without scrolling; the indicator column and the header row stay put while the rug
scrolls inside its own region; headers wrap (never rotated); the page itself never scrolls
sideways. Checked in real Chromium on a region of 15 LAs with long names."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.benchmarking.reports.factories import build_report_data, load_indicators
from tests.e2e.conftest import DESKTOP, assert_accessible, sign_in
from tests.regions.factories import LocalAuthorityFactory

LONG_NAMES = [
    "Bath and North East Somerset",
    "Bournemouth, Christchurch and Poole",
    "Bristol, City of",
    "Dorset Council",
    "Gloucestershire",
    "Isles of Scilly",
    "North Somerset",
    "Plymouth",
    "South Gloucestershire",
    "Swindon",
    "Torbay",
    "Wiltshire",
]


@pytest.fixture
def fifteen_las(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for name in LONG_NAMES:
        LocalAuthorityFactory(region=world.region, name=name)
    load_indicators()
    build_report_data(world)
    return world


def test_rug_at_1280_pins_the_viewers_la_keeps_indicators_in_view_and_never_widens_the_page(
    page, fifteen_las
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "lead@example.org", PASSWORD)  # Somerset's performance lead
    page.goto("/benchmarking/reports/south-west/rug/?period=2025-q1")
    rug = page.get_by_role("table", name="South West tartan rug, 2025-26 Q1")
    expect(rug).to_be_visible()
    heads = rug.locator("thead th.la")
    assert heads.count() == 15

    # The viewer's LA: first LA column, highlighted, and on screen without scrolling.
    own = heads.first
    expect(own).to_have_class("la own")
    expect(own).to_contain_text("Somerset")
    box, wrap = own.bounding_box(), page.locator(".rug-wrap").bounding_box()
    assert box and wrap
    assert box["x"] >= wrap["x"] and box["x"] + box["width"] <= wrap["x"] + wrap["width"]
    assert box["x"] + box["width"] <= DESKTOP["width"], "the viewer's LA is off-screen"
    background = own.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 221, 0)", background  # highlighted (GOV.UK yellow)

    # Headers wrap, never rotated, and no header's text is cut off.
    for head in heads.all():
        style = head.evaluate(
            """el => {
                const s = getComputedStyle(el), inner = el.querySelector('.la-head');
                return {mode: s.writingMode, transform: s.transform,
                        clipped: inner.scrollWidth > inner.clientWidth + 1};
            }"""
        )
        assert style == {"mode": "horizontal-tb", "transform": "none", "clipped": False}
    long_head = heads.filter(has_text="Bournemouth, Christchurch and Poole")
    lines = long_head.evaluate(
        """el => {
            const range = document.createRange();
            range.selectNodeContents(el.querySelector('.la-head a'));
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }"""
    )
    assert lines > 1, "a long name wraps onto more than one line"

    # The indicator column is sticky: scrolling the rug sideways leaves it where it was.
    indicator = rug.locator("tbody th.ind").first
    before = indicator.bounding_box()
    page.locator(".rug-wrap").evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    after = indicator.bounding_box()
    assert page.locator(".rug-wrap").evaluate("el => el.scrollLeft") > 0, "the rug scrolls"
    assert abs(after["x"] - before["x"]) < 1, "the indicator column moved"
    expect(rug.locator("thead th.ind")).to_be_in_viewport()

    # The page never scrolls sideways; only the rug's own region does.
    widths = page.evaluate(
        """() => {
            const root = document.documentElement;
            const wide = [...document.querySelectorAll('body *')].filter((el) => {
                if (el.closest('.rug-wrap')) return false;
                return el.getBoundingClientRect().right > root.clientWidth + 1;
            }).map((el) => el.tagName + '.' + el.className);
            return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 5)};
        }"""
    )
    assert widths["scroll"] <= widths["client"] and widths["wide"] == [], widths
    assert_accessible(page)
