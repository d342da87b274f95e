"""A region's own validation rules: previewed against current returns before saving, then
applied by uploads and the entry form alike; expected ranges flag values; history kept."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from benchmarking import services
from benchmarking.domain.validation import expected_bounds, range_warning
from benchmarking.models import ExpectedRange, Return, ValidationRule
from benchmarking.selectors.entry import value_version
from benchmarking.services import validation_rules as rule_services
from tests.benchmarking.factories import open_quarter, return_rows, to_csv, upload, value_of

# Somerset's valid return has 400 children on plans and 700 looked after: this rule breaks it.
RULE = {
    "rule-left": "CPP_RATE",
    "rule-left_part": "numerator",
    "rule-comparison": "ge",
    "rule-right": "CLA_RATE",
    "rule-right_part": "numerator",
    "rule-message": "Children on plans must not be fewer than children looked after",
}


def _url(world, name="validation_rules"):
    return reverse(f"benchmarking:{name}", kwargs={"region_slug": world.region.slug})


def test_preview_lists_the_returns_that_would_fail_and_saves_nothing(world, quarter, client_for):
    upload(world, quarter)
    client = client_for(world.users["programme_manager"])
    response = client.post(_url(world, "validation_rule_new"), {**RULE, "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 current return</strong> for 2026-27 Q1 would fail" in html
    assert (
        "Somerset (draft): Children on plans must not be fewer than children looked after" in html
    )
    assert not ValidationRule.objects.filter(region=world.region).exists()


def test_a_saved_rule_is_applied_to_uploads_and_typed_values_of_its_region_only(
    world, quarter, client_for
):
    upload(world, quarter)
    client = client_for(world.users["programme_manager"])
    response = client.post(_url(world, "validation_rule_new"), {**RULE, "action": "save"})
    assert response.status_code == 302
    rule = ValidationRule.objects.get(region=world.region)
    assert rule.history.get().history_user == world.users["programme_manager"]
    with pytest.raises(services.UploadRejected, match="must not be fewer than children"):
        upload(world, quarter)
    current = value_of(world.home_la, quarter, "CLA_RATE")
    result = services.value_enter(
        actor=world.users["performance_lead"],
        local_authority=world.home_la,
        period=quarter,
        code="CLA_RATE",
        cells={"numerator": "701", "denominator": "100000"},
        version=value_version(current),
    )
    assert "must not be fewer than children looked after" in result.errors[0].message
    # Another region's LA is not held to it.
    other = open_quarter(world.other_region)
    services.return_upload(
        actor=world.users["admin"],
        period=other,
        file_name="r.csv",
        data=to_csv(return_rows(world.other_la, other)),
        local_authority=world.other_la,
    )
    assert value_of(world.other_la, other, "CPP_RATE").numerator == 400


def test_switching_a_rule_off_keeps_it_and_its_history(world, quarter):
    pm = world.users["programme_manager"]
    rule = rule_services.validation_rule_create(
        actor=pm,
        region=world.region,
        left="CPP_RATE",
        left_part="numerator",
        comparison="le",
        right="CIN_RATE",
        right_part="numerator",
        message="Plans within children in need",
    )
    rule_services.validation_rule_switch_off(actor=pm, rule_id=rule.pk)
    rule.refresh_from_db()
    assert rule.is_active is False
    assert [h.history_change_reason for h in rule.history.order_by("history_id")] == [
        "Rule added",
        "Rule switched off",
    ]


def test_only_the_programme_manager_may_change_rules(world, quarter):
    for persona in ("dcs", "performance_lead", "member", "analyst", "outsider"):
        with pytest.raises(PermissionDenied):
            rule_services.expected_range_create(
                actor=world.users[persona],
                region=world.region,
                code="CLA_RATE",
                kind="absolute",
                maximum=Decimal("50"),
            )


def test_a_value_outside_the_expected_range_is_saved_and_flagged(world, quarter, client_for):
    rule_services.expected_range_create(
        actor=world.users["programme_manager"],
        region=world.region,
        code="CLA_RATE",
        kind="absolute",
        minimum=Decimal("20"),
        maximum=Decimal("50"),
    )
    result = services.value_enter(
        actor=world.users["performance_lead"],
        local_authority=world.home_la,
        period=quarter,
        code="CLA_RATE",
        cells={"numerator": "700", "denominator": "100000"},
        version="new",
    )
    assert result.saved
    assert result.warning == (
        "70 is above 50, the highest expected from the region's expected range; please explain."
    )
    assert value_of(world.home_la, quarter, "CLA_RATE").warning == result.warning


def test_history_range_is_each_las_own_lowest_to_highest_widened_by_the_margin(world, quarter):
    pm = world.users["programme_manager"]
    for q, scale in ((1, 1.0), (2, 1.1)):
        earlier = open_quarter(world.region, fiscal_year=2025, quarter=q)
        upload(world, earlier, user="programme_manager", scale=scale)
        ret = Return.objects.get(local_authority=world.home_la, period=earlier)
        ret.values.exclude(warning="").update(comment="ok")
        services.return_submit(actor=pm, return_id=ret.pk)
    expected = rule_services.expected_range_create(
        actor=pm,
        region=world.region,
        code="CLA_RATE",
        kind="history",
        quarters=4,
        margin_percent=Decimal("10"),
    )
    assert ExpectedRange.objects.get(is_active=True) == expected
    result = services.value_enter(
        actor=pm,
        local_authority=world.home_la,
        period=quarter,
        code="CLA_RATE",
        cells={"numerator": "1000", "denominator": "100000"},
        version="new",
    )
    assert "100 is above 85, the highest expected from this LA's last 2 quarters (70 to 77" in (
        result.warning
    )


def test_expected_bounds_absolute_and_from_history():
    fixed = SimpleNamespace(kind="absolute", minimum=Decimal(1), maximum=None)
    assert expected_bounds(fixed, []).low == 1
    own = SimpleNamespace(kind="history", quarters=2, margin_percent=Decimal(50))
    assert expected_bounds(own, []) is None
    bounds = expected_bounds(own, [Decimal(10), Decimal(20), Decimal(1000)])
    assert (bounds.low, bounds.high) == (Decimal(5), Decimal(30))
    indicator = SimpleNamespace(decimal_places=1)
    assert range_warning(indicator, Decimal(4), bounds).startswith("4 is below 5")
    assert range_warning(indicator, Decimal(30), bounds) == ""


def test_switching_a_rule_or_range_off_asks_first(world, quarter, client_for):
    """Issue 14: the rules page links to an "Are you sure?" page; the GET changes nothing."""
    from tests.confirming import assert_confirmation_changes_nothing

    pm = world.users["programme_manager"]
    rule = rule_services.validation_rule_create(
        actor=pm,
        region=world.region,
        left="CPP_RATE",
        left_part="numerator",
        comparison="le",
        right="CIN_RATE",
        right_part="numerator",
        message="Plans within children in need",
    )
    expected = rule_services.expected_range_create(
        actor=pm, region=world.region, code="CLA_RATE", kind="absolute", maximum=Decimal("50")
    )
    client = client_for(pm)
    kwargs = {"region_slug": world.region.slug}
    rule_url = reverse("benchmarking:validation_rule_off", kwargs={**kwargs, "pk": rule.pk})
    range_url = reverse("benchmarking:expected_range_off", kwargs={**kwargs, "pk": expected.pk})
    page = client.get(_url(world)).content.decode()
    assert f'href="{rule_url}">Switch off' in page and f'href="{range_url}">Switch off' in page
    assert_confirmation_changes_nothing(
        client,
        rule_url,
        says=[
            "Are you sure you want to switch off this rule?",
            "no longer checked against “Plans within children in need”",
            "Nobody is sent an email or notification.",
        ],
        cancel_url=_url(world),
    )
    assert_confirmation_changes_nothing(
        client,
        range_url,
        says=["Are you sure you want to switch off the expected range of", "no longer flagged"],
        cancel_url=_url(world),
    )
    assert client.post(rule_url).status_code == 302
    assert client.post(range_url).status_code == 302
    rule.refresh_from_db()
    expected.refresh_from_db()
    assert (rule.is_active, expected.is_active) == (False, False)
