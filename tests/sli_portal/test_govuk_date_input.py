"""The GOV.UK date input field (sli_portal/govuk_fields.py): day, month and year boxes, clear
errors naming the field, the error summary linking to the first wrong box, "Error: " in the
title (base.html)."""

import datetime

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory

from sli_portal.govuk_fields import GovukDateField


class EventForm(forms.Form):
    starts_on = GovukDateField(label="Start date")
    ends_on = GovukDateField(label="End date", required=False)


def bound(**parts) -> EventForm:
    data = {}
    for name, (day, month, year) in parts.items():
        data.update({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
    return EventForm(data=data)


def test_a_complete_date_cleans_to_a_date_and_an_optional_blank_one_to_none():
    form = bound(starts_on=("8", "12", "2026"), ends_on=("", "", ""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"starts_on": datetime.date(2026, 12, 8), "ends_on": None}


@pytest.mark.parametrize(
    ("parts", "message", "first_wrong"),
    [
        (("", "", ""), "Enter start date", 0),
        (("8", "", "2026"), "Start date must include a month", 1),
        (("8", "12", ""), "Start date must include a year", 2),
        (("", "", "2026"), "Start date must include a day and month", 0),
        (("31", "2", "2026"), "Start date must be a real date", 0),
        (("8", "13", "2026"), "Start date must be a real date", 1),
        (("8", "Dec", "2026"), "Start date must be a real date", 1),
        (("8", "12", "26"), "Year must include 4 numbers", 2),
    ],
)
def test_a_wrong_date_says_what_is_wrong_and_marks_the_box(parts, message, first_wrong):
    form = bound(starts_on=parts)
    assert not form.is_valid()
    assert form.errors["starts_on"] == [message]
    html = str(form["starts_on"])
    wrong_box = f'id="id_starts_on_{first_wrong}"'
    tag = next(t for t in html.split("<input") if wrong_box in t)
    assert "govuk-input--error" in tag


def test_the_widget_shows_labelled_day_month_and_year_boxes_with_the_value():
    form = EventForm(initial={"starts_on": datetime.date(2026, 12, 8)})
    html = str(form["starts_on"])
    for label, value in (("Day", "8"), ("Month", "12"), ("Year", "2026")):
        assert f">{label}</label>" in html
        assert f'value="{value}"' in html
    assert 'inputmode="numeric"' in html


def test_a_page_with_errors_has_error_in_its_title_and_a_summary_linking_to_the_box():
    form = bound(starts_on=("8", "", "2026"))
    form.is_valid()
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = render_to_string(
        "includes/confirm_page.html", {"form": form, "title": "Add an event"}, request
    )
    assert "<title>Error: Add an event \N{EN DASH} SLI Portal</title>" in html
    assert '<a href="#id_starts_on_1">Start date must include a month</a>' in html
    assert 'class="govuk-error-summary"' in html


def test_a_page_without_errors_has_a_plain_title_and_no_summary():
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = render_to_string(
        "includes/confirm_page.html", {"form": EventForm(), "title": "Add an event"}, request
    )
    assert "<title>Add an event \N{EN DASH} SLI Portal</title>" in html
    assert "govuk-error-summary" not in html
