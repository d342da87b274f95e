"""Checks for "Are you sure?" pages (sli_portal/confirm.py, issue 14): the GET shows what will
happen and who is told, and changes nothing at all; only the POST acts."""

import html
import re

from django.core import mail
from django.db import connection

# The signed-in session may be touched by any GET; it is not the portal's data.
NOT_DATA = {"django_session"}


def db_fingerprint() -> dict[str, str]:
    """Every table's rows, hashed: equal before and after a request means it changed nothing
    (no row added, changed or deleted; no outbox row, so nothing will be sent)."""
    fingerprint = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in NOT_DATA:
                continue
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            fingerprint[table] = cursor.fetchone()
    return fingerprint


def page_text(response) -> str:
    """The page's text with entities decoded and white space collapsed."""
    text = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", text)


def assert_confirmation_changes_nothing(client, url, *, says, data=None, cancel_url=None) -> str:
    """GET the action's URL: an "Are you sure?" page (200, a POST form, a "No" link back) that
    says every one of `says`, and leaves every table as it was with no email sent. Returns the
    page's text."""
    mail.outbox.clear()
    before = db_fingerprint()
    response = client.get(url, data or {})
    assert response.status_code == 200, response.status_code
    assert "includes/confirm_page.html" in [t.name for t in response.templates]
    text = page_text(response)
    for sentence in says:
        assert sentence in text, f"{sentence!r} not on the page"
    assert re.search(r'<form method="post"[^>]*>', text)
    assert re.search(r'<button type="submit"[^>]*>Yes, ', text)
    if cancel_url is not None:
        assert f'href="{cancel_url}">No, ' in text
    after = db_fingerprint()
    changed = sorted(t for t in before if before[t] != after.get(t))
    assert changed == [], f"the confirmation page changed {changed}"
    assert mail.outbox == []
    return text
