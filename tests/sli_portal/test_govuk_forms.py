"""GOV.UK messages and drop-downs everywhere (sli_portal/forms.py: GovukForm / GovukModelForm):
no page shows Django's "---------" empty choice, and an empty submission of a main form lists
each problem once, in words that name the field, never "This field is required."."""

import re
from html import unescape

import pytest
from django import forms
from django.db import transaction
from django.urls import reverse

from regions.models import LocalAuthority
from sli_portal.forms import GovukForm, label_phrase
from sli_portal.govuk_fields import GovukDateField
from tests.test_url_permissions import CASES

GENERIC = ("This field is required", "Select a valid choice", "Enter a valid", "Ensure this value")


def _page(case, world, client) -> str | None:
    """The page's HTML, or None when it is not a page (a file, a redirect)."""
    url = reverse(case.name, kwargs=case.resolve_kwargs(world)) + case.query
    response = client.get(url, data=case.resolve_data(world) or None)
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def _get_pages(persona, world, client):
    """(case id, html) of every page the persona may GET (its URL matrix answer is 200); what a
    case creates is rolled back before the next, as if each ran alone."""
    client.force_login(world.user(persona))
    for case in CASES:
        if case.method != "get" or case.expected.get(persona) != 200:
            continue
        with transaction.atomic():
            html = _page(case, world, client)
            transaction.set_rollback(True)
        if html is not None:
            yield case.id, html


@pytest.mark.parametrize("persona", ["admin", "programme_manager"])
def test_no_page_offers_dashes_as_the_empty_choice_of_a_drop_down(persona, world, client):
    with_selects = []
    for case_id, html in _get_pages(persona, world, client):
        if "<select" not in html:
            continue
        with_selects.append(case_id)
        assert "---------" not in html, f"{case_id} as {persona} shows '---------'"
        options = re.findall(r'<option value=""[^>]*>([^<]*)</option>', html)
        assert all(text.strip() not in ("", "—", "-") for text in options), (case_id, options)
    # The walk really reached the form pages (a broken matrix would pass silently otherwise).
    assert len(with_selects) >= 8, with_selects


def _summary(html: str) -> list[tuple[str, str]]:
    block = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [
        (href, unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', block, re.S)
    ]


def _case(case_id):
    return next(case for case in CASES if case.id == case_id)


EMPTY_SUBMISSIONS = {
    "GET events:event_create": [
        "Enter the event title",
        "Choose the kind of event",
        "Enter the date and time the event starts",
        "Enter the date and time the event ends",
    ],
    "GET events:session_create": ["Enter the title of the session"],
    "GET regions:plan_create": ["Enter the title", "Enter the first financial year"],
    "GET regions:priority_create": ["Choose a theme", "Enter the title"],
    "GET regions:funding_create": ["Choose a financial year", "Enter the amount"],
    "GET regions:vote_create": ["Enter the title", "Enter the date voting closes"],
    "GET regions:group_create": ["Enter the name"],
    "GET peer_challenge:cycle_create": ["Enter the title"],
    "GET peer_challenge:finding_create": ["Enter the finding"],
}


@pytest.mark.parametrize("case_id", list(EMPTY_SUBMISSIONS))
def test_an_empty_submission_names_each_wrong_field_once(case_id, world, client):
    client.force_login(world.user("programme_manager"))
    case = _case(case_id)
    url = reverse(case.name, kwargs=case.resolve_kwargs(world)) + case.query
    # What a browser sends for a form left empty: only the CSRF token (not checked in tests).
    response = client.post(url, {"csrfmiddlewaretoken": "token"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    links = _summary(html)
    messages = [message for _, message in links]
    assert len(set(messages)) == len(messages), messages
    assert len({href for href, _ in links}) == len(links), links
    assert not [m for m in messages if m.startswith(GENERIC)], messages
    for expected in EMPTY_SUBMISSIONS[case_id]:
        assert expected in messages, (expected, messages)


class _ExampleForm(GovukForm):
    required_messages = {"title": "Enter the event title"}

    title = forms.CharField(label="Title")
    local_authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.none(), label="Local authority"
    )
    amount = forms.DecimalField(label="Amount (£)", min_value=0)
    places = forms.IntegerField(label="Places", max_value=50)
    email = forms.EmailField(label="Email address", required=False)
    due_on = GovukDateField(label="Due date (optional)", required=False)
    status = forms.ChoiceField(choices=[("", "---------"), ("a", "Active")], label="Status")


def test_messages_come_from_the_labels_with_overrides(db):
    form = _ExampleForm(
        {"amount": "x", "places": "51", "email": "nope", "due_on_0": "31", "due_on_1": "2"}
    )
    assert not form.is_valid()
    assert {name: list(errors) for name, errors in form.errors.items()} == {
        "title": ["Enter the event title"],
        "local_authority": ["Choose a local authority"],
        "amount": ["Amount must be a number"],
        "places": ["Places must be 50 or less"],
        "email": ["Enter an email address in the correct format, like name@example.com"],
        "due_on": ["Due date must include a year"],
        "status": ["Choose a status"],
    }


def test_drop_downs_get_a_meaningful_first_option_and_la_and_people_get_the_autocomplete(db):
    form = _ExampleForm()
    la = str(form["local_authority"])
    assert '<option value="" selected>Choose a local authority</option>' in la
    assert 'data-autocomplete="true"' in la
    status = str(form["status"])
    assert '<option value="" selected>Choose a status</option>' in status
    assert "data-autocomplete" not in status


@pytest.mark.parametrize(
    ("label", "phrase"),
    [
        ("Amount (£)", "amount"),
        ("LA", "LA"),
        ("DCS sponsor", "DCS sponsor"),
        ("DfE statistics file", "DfE statistics file"),
        ("Full name", "full name"),
        ("Registration opens (optional)", "registration opens"),
    ],
)
def test_label_phrase(label, phrase):
    assert label_phrase(label) == phrase
