"""The return's entry form: values typed in the browser are checked and saved like an upload's,
two people never overwrite each other silently, and a closed return keeps its values."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from benchmarking import services
from benchmarking.models import Return, Value
from benchmarking.services.entry import REASON
from tests.benchmarking.factories import VALID, upload, value_of


def _cells(numerator="", denominator="", **more):
    return {"numerator": str(numerator), "denominator": str(denominator), **more}


def _enter(world, period, code, *, user="performance_lead", version="new", **cells):
    return services.value_enter(
        actor=world.users[user],
        local_authority=world.home_la,
        period=period,
        code=code,
        cells=_cells(**cells),
        version=version,
    )


def test_a_typed_value_is_saved_as_a_draft_version_with_who_and_why(world, quarter):
    result = _enter(world, quarter, "REREF_PCT", numerator=1100, denominator=5000)
    assert result.saved and not result.errors
    value = value_of(world.home_la, quarter, "REREF_PCT")
    assert str(value.value) == "22.0000"
    version = value.history.get()
    assert version.history_user == world.users["performance_lead"]
    assert version.history_change_reason == REASON
    assert Return.objects.get(local_authority=world.home_la, period=quarter).status == "draft"


def test_a_bad_value_is_refused_in_words_and_nothing_is_saved(world, quarter):
    result = _enter(world, quarter, "REREF_PCT", numerator=6000, denominator=5000)
    assert not result.saved
    assert [(i.column, i.message) for i in result.errors] == [
        ("numerator", "REREF_PCT: the numerator 6000 is greater than the denominator 5000.")
    ]
    assert not Value.objects.exists()
    assert not Return.objects.exists()  # the return made for it was rolled back


def test_a_cross_field_rule_is_checked_against_the_saved_values(world, quarter):
    upload(world, quarter)
    ref = value_of(world.home_la, quarter, "REF_RATE")
    from benchmarking.selectors.entry import value_version

    result = _enter(
        world,
        quarter,
        "REF_RATE",
        numerator=1000,
        denominator=100000,
        version=value_version(ref),
    )
    assert not result.saved
    assert "Re-referrals (REREF_PCT numerator) must not be more than referrals" in (
        result.errors[0].message
    )
    assert value_of(world.home_la, quarter, "REF_RATE").numerator == VALID["REF_RATE"][0]


def test_a_second_session_is_told_of_the_newer_value_and_does_not_overwrite_it(world, quarter):
    first = _enter(world, quarter, "CLA_RATE", numerator=700, denominator=100000)
    loaded_at = "new"  # the second session loaded the page before the first save
    second = _enter(
        world,
        quarter,
        "CLA_RATE",
        user="programme_manager",
        numerator=900,
        denominator=100000,
        version=loaded_at,
    )
    assert not second.saved
    assert second.conflict is not None and second.conflict.numerator == 700
    assert value_of(world.home_la, quarter, "CLA_RATE").numerator == 700
    again = _enter(
        world,
        quarter,
        "CLA_RATE",
        user="programme_manager",
        numerator=900,
        denominator=100000,
        version=second.version,
    )
    assert again.saved and first.version != again.version


def test_nothing_is_saved_on_a_submitted_or_locked_return(world, quarter):
    upload(world, quarter)
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    services.return_approve(actor=world.users["programme_manager"], return_id=ret.pk)
    services.return_lock(actor=world.users["programme_manager"], return_id=ret.pk)
    before = Value.history.count()
    from benchmarking.selectors.entry import value_version

    version = value_version(value_of(world.home_la, quarter, "CLA_RATE"))
    with pytest.raises(ValidationError, match="is locked: it cannot be changed"):
        _enter(world, quarter, "CLA_RATE", numerator=1, denominator=100000, version=version)
    assert Value.history.count() == before
    assert value_of(world.home_la, quarter, "CLA_RATE").numerator == 700


def test_outsiders_may_not_enter_values(world, quarter):
    from django.core.exceptions import PermissionDenied

    for persona in ("dcs", "member", "peer_dcs", "outsider"):
        with pytest.raises(PermissionDenied):
            _enter(world, quarter, "CLA_RATE", user=persona, numerator=7, denominator=1000)


def _page(world, period):
    return reverse(
        "benchmarking:return_entry",
        kwargs={"la_slug": world.home_la.slug, "period_slug": period.slug},
    )


def _row_url(world, period, code):
    return reverse(
        "benchmarking:return_entry_row",
        kwargs={"la_slug": world.home_la.slug, "period_slug": period.slug, "code": code},
    )


def test_htmx_row_save_shows_the_error_beside_the_cell_then_the_derived_value(
    world, quarter, client_for
):
    client = client_for(world.users["performance_lead"])
    page = client.get(_page(world, quarter))
    assert page.status_code == 200
    assert 'id="REREF_PCT-numerator"' in page.content.decode()
    bad = client.post(
        _row_url(world, quarter, "REREF_PCT"),
        {
            "REREF_PCT-numerator": "12,5",
            "REREF_PCT-denominator": "5000",
            "REREF_PCT-version": "new",
        },
        HTTP_HX_REQUEST="true",
    )
    html = bad.content.decode()
    assert "&#x27;12,5&#x27; is not a number: a comma is not a decimal point" in html
    assert 'aria-describedby="REREF_PCT-numerator-error"' in html
    good = client.post(
        _row_url(world, quarter, "REREF_PCT"),
        {
            "REREF_PCT-numerator": "1,100",
            "REREF_PCT-denominator": "5000",
            "REREF_PCT-version": "new",
        },
        HTTP_HX_REQUEST="true",
    )
    html = good.content.decode()
    assert "Saved" in html and 'id="REREF_PCT-derived">22.0<' in html
    assert value_of(world.home_la, quarter, "REREF_PCT").numerator == 1100


def test_plain_form_post_saves_rows_and_lists_errors_in_a_summary(world, quarter, client_for):
    client = client_for(world.users["performance_lead"])
    data = {
        "CLA_RATE-numerator": "700",
        "CLA_RATE-denominator": "100000",
        "CLA_RATE-version": "new",
        "CPP_RATE-numerator": "abc",
        "CPP_RATE-denominator": "100000",
        "CPP_RATE-version": "new",
        "action": "save",
    }
    response = client.post(_page(world, quarter), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#CPP_RATE-numerator"' in html
    assert value_of(world.home_la, quarter, "CLA_RATE").numerator == 700
    assert not Value.objects.filter(indicator__code="CPP_RATE").exists()


def test_submitting_an_incomplete_return_says_what_is_missing(world, quarter, client_for):
    client = client_for(world.users["performance_lead"])
    data = {
        "CLA_RATE-numerator": "700",
        "CLA_RATE-denominator": "100000",
        "CLA_RATE-version": "new",
        "action": "submit",
    }
    response = client.post(_page(world, quarter), data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.find("There is a problem") :][:900]
    assert "Enter or upload a value (or a suppression code) for every indicator" in summary
    assert "before submitting; missing: CL_EET_PCT" in summary and "REF_RATE" in summary


def test_a_submitted_return_is_shown_read_only(world, quarter, client_for):
    upload(world, quarter)
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    client = client_for(world.users["performance_lead"])
    html = client.get(_page(world, quarter)).content.decode()
    assert "its values are shown read-only" in html
    assert "<input" not in html.split("<table")[1]
    response = client.post(_page(world, quarter), {"CLA_RATE-numerator": "1", "action": "save"})
    assert response.status_code == 400
    assert value_of(world.home_la, quarter, "CLA_RATE").numerator == 700


def test_two_sessions_the_second_is_shown_the_newer_value_beside_the_row(world, quarter):
    from django.test import Client

    lead, manager = Client(), Client()
    lead.force_login(world.users["performance_lead"])
    manager.force_login(world.users["programme_manager"])
    url = _row_url(world, quarter, "CLA_RATE")
    # Both opened the page before either saved (version "new").
    lead.post(
        url,
        {"CLA_RATE-numerator": "700", "CLA_RATE-denominator": "100000", "CLA_RATE-version": "new"},
        HTTP_HX_REQUEST="true",
    )
    html = manager.post(
        url,
        {"CLA_RATE-numerator": "900", "CLA_RATE-denominator": "100000", "CLA_RATE-version": "new"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Someone else saved this value while you were typing" in html
    assert "You typed numerator &#x27;900&#x27;" in html
    assert 'value="700"' in html  # the newer figure is what the row now holds
    assert value_of(world.home_la, quarter, "CLA_RATE").numerator == 700


def test_a_row_the_return_does_not_ask_for_is_404_and_a_closed_return_keeps_its_row(
    world, quarter, client_for
):
    """The row's view builds the row from the service's answer: an indicator the region's
    return does not ask for is 404; a save the service refuses shows the reason by the row."""
    client = client_for(world.users["performance_lead"])
    data = {"NOPE-numerator": "1", "NOPE-version": "new"}
    assert client.post(_row_url(world, quarter, "NOPE"), data).status_code == 404
    upload(world, quarter)
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    response = client.post(
        _row_url(world, quarter, "CLA_RATE"),
        {"CLA_RATE-numerator": "1", "CLA_RATE-denominator": "100000", "CLA_RATE-version": "x"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "cannot be changed" in html
    assert "Saved" not in html
    assert value_of(world.home_la, quarter, "CLA_RATE").numerator == 700
