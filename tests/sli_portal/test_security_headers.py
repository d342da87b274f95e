"""Security headers on real responses, and templates that keep to the Content-Security-Policy.

Before: no Content-Security-Policy, no Permissions-Policy, and signed-in pages naming people
could be stored by any cache (no `Cache-Control: private, no-store`).
"""

import re
from pathlib import Path

from django.urls import reverse

from tests.regions.factories import PlanFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def _csp(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: value for name, _, value in directives}


def _assert_policy(response):
    csp = _csp(response)
    for directive, value in CSP_DIRECTIVES.items():
        assert csp[directive] == value, directive
    # Scripts only from the portal itself: no inline script, no eval, in any form.
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert csp["style-src"].startswith("'self'")
    policy = response.headers["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy


def test_signed_in_page_naming_people_is_private_and_never_stored(client_for, world):
    response = client_for(world.users["dcs"]).get(
        reverse("regions:la_detail", kwargs={"slug": world.home_la.slug})
    )
    assert response.status_code == 200
    assert "Dan Clarke" in response.content.decode()
    _assert_policy(response)
    cache_control = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control


def test_login_page_has_the_policy(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    _assert_policy(response)


def test_no_store_follows_the_user_not_the_page(client_for, world):
    """The same public page: left to cache for an anonymous visitor, private when signed in."""
    anonymous = client_for(None).get(reverse("healthz"))
    assert anonymous.status_code == 200
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    assert "camera=()" in anonymous.headers["Permissions-Policy"]
    signed_in = client_for(world.users["member"]).get(reverse("healthz"))
    assert "no-store" in signed_in.headers["Cache-Control"]


def test_the_printable_plan_styles_itself_with_the_request_nonce(client_for, world):
    plan = PlanFactory(region=world.region)
    response = client_for(world.users["programme_manager"]).get(
        reverse("regions:plan_print", kwargs={"pk": plan.pk})
    )
    assert response.status_code == 200
    [nonce] = re.findall(r'<style nonce="([^"]+)">', response.content.decode())
    assert f"'nonce-{nonce}'" in _csp(response)["style-src"].split()


def _served_templates():
    """Templates a browser gets under the policy (not mail, not the WeasyPrint-only PDFs)."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.startswith("emails/") or relative.endswith("_pdf.html"):
            continue
        yield relative, path.read_text()


def _script_offenders(name: str, text: str) -> list[str]:
    offenders = []
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
        if "src=" not in tag:
            offenders.append(f"{name}: {tag}")
    for attribute in re.findall(r"\s(?:on[a-z]+|hx-on[:\w-]*)\s*=", text, flags=re.IGNORECASE):
        offenders.append(f"{name}: {attribute.strip()}")
    if "javascript:" in text.lower():
        offenders.append(f"{name}: javascript: URL")
    return offenders


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        offenders += _script_offenders(path.relative_to(TEMPLATES).as_posix(), path.read_text())
    assert offenders == []


def test_the_scan_finds_each_kind_of_inline_script():
    page = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<a href="#" onclick="x()">a</a><svg onload="y()"></svg>'
        '<button hx-on:click="z()">b</button><a href="javascript:void(0)">c</a>'
    )
    assert len(_script_offenders("page.html", page)) == 5


def test_no_served_template_has_style_attributes_or_a_style_block_without_the_nonce():
    offenders = []
    for name, text in _served_templates():
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{name}: style attribute")
        for tag in re.findall(r"<style\b[^>]*>", text):
            if 'nonce="{{ request.csp_nonce }}"' not in tag:
                offenders.append(f"{name}: {tag}")
    assert offenders == []
