"""Browser journeys: Playwright driving Debian's Chromium, with axe-core for accessibility.

`playwright install` cannot download browsers here, so the system Chromium is used. Without it
the journeys are skipped locally, but fail under CI (CI=true), which must install it.
"""

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# WCAG 2.2 AA: every A and AA rule of 2.0, 2.1 and 2.2.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' ORM calls are still
    # plain synchronous code, so Django's async-safety guard is lifted while the browser runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # The Content-Security-Policy is enforced for real (no bypass): anything it blocks fails.
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        os.makedirs("test-artifacts", exist_ok=True)
        page.screenshot(path=f"test-artifacts/{request.node.name}.png", full_page=True)
    context.close()
    assert blocked == [], f"blocked by the Content-Security-Policy: {blocked}"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the real form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")


def assert_accessible(page) -> None:
    """Zero axe-core violations of WCAG 2.2 AA on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            )
        pytest.fail("\n".join(lines))


# --- Widths (issue 14): every page a journey visits works at a laptop's and a phone's width. ---

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = (DESKTOP, PHONE)


def assert_no_horizontal_scroll(page) -> None:
    """The page itself never scrolls sideways (WCAG 1.4.10 reflow); a wide table may scroll inside
    its own region (.portal-table-scroll), which does not widen the page."""
    overflow = page.evaluate(
        """() => {
            const root = document.documentElement;
            const wide = [...document.querySelectorAll('body *')].filter((el) => {
                if (el.closest('.portal-table-scroll')) return false;
                const box = el.getBoundingClientRect();
                return box.width > 0 && box.right > root.clientWidth + 1;
            }).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''));
            return {scroll: root.scrollWidth, client: root.clientWidth, wide};
        }"""
    )
    assert overflow["scroll"] <= overflow["client"], (
        f"{page.url} scrolls sideways at {overflow['client']} px "
        f"(content {overflow['scroll']} px wide): {overflow['wide']}"
    )


def assert_page_works_at_every_width(page) -> None:
    """axe (WCAG 2.2 AA) with zero violations and no sideways page scroll, at 1280 and 390 px.
    Leaves the page at 1280 px."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_accessible(page)
        if size is PHONE:
            assert_no_horizontal_scroll(page)


# --- GOV.UK form controls (sli_portal/govuk_fields.py, static/js/autocomplete.js). ---


def fill_date(scope, legend: str, day, time: str | None = None) -> None:
    """Type a date (a datetime.date, or "31/2/2027") into the day, month and year boxes of the
    date input whose legend is `legend`, and the 24-hour time ("14:30") when it has a time box."""
    parts = day.split("/") if isinstance(day, str) else [day.day, day.month, day.year]
    group = scope.get_by_role("group", name=legend, exact=True)
    for label, value in zip(("Day", "Month", "Year"), parts, strict=True):
        group.get_by_label(label, exact=True).fill(str(value))
    if time is not None:
        group.get_by_label("Time", exact=True).fill(time)


def choose(scope, label: str, typed: str, option: str) -> None:
    """Choose from an accessible autocomplete as a person would: type part of the name, click
    the suggestion."""
    box = scope.get_by_role("combobox", name=label)
    # The page's script turns the <select> into the autocomplete's text box: wait for it (on a
    # busy machine the first look can find the <select> just before it is hidden).
    expect(box).to_have_attribute("aria-autocomplete", re.compile("list|both"))
    box.fill(typed)
    scope.get_by_role("listbox").get_by_role("option", name=option, exact=True).click()
