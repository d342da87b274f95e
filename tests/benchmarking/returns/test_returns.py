"""A return's life after upload: submit, approve, lock, reopen; who sees it; local indicators."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from benchmarking import selectors, services
from benchmarking.domain.validation import COLUMNS
from benchmarking.models import Return, Status, Value
from benchmarking.selectors import return_indicators
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import return_rows, to_csv
from tests.benchmarking.factories import upload as _upload
from tests.benchmarking.factories import value_of as _value
from tests.regions.factories import MembershipFactory


def test_return_moves_draft_submitted_approved_locked_and_reopens_with_a_reason(world, quarter):
    _upload(world, quarter)
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    pm, lead = world.users["programme_manager"], world.users["performance_lead"]
    services.return_submit(actor=lead, return_id=ret.pk)
    with pytest.raises(ValidationError, match="already submitted"):
        services.return_submit(actor=lead, return_id=ret.pk)
    services.return_approve(actor=pm, return_id=ret.pk)
    services.return_lock(actor=pm, return_id=ret.pk)
    with pytest.raises(ValidationError, match="Give a reason"):
        services.return_reopen(actor=pm, return_id=ret.pk, reason=" ")
    services.return_reopen(actor=pm, return_id=ret.pk, reason="Referrals recounted")
    ret.refresh_from_db()
    assert ret.status == Status.DRAFT
    assert ret.approved_at is None
    trail = [
        (h.status, h.history_user, h.history_change_reason)
        for h in ret.history.order_by("history_date", "history_id")
    ]
    assert trail[-4:] == [
        ("submitted", lead, "Submitted"),
        ("approved", pm, "Approved"),
        ("locked", pm, "Locked"),
        ("draft", pm, "Reopened: Referrals recounted"),
    ]


def test_a_local_indicator_joins_the_return_and_is_required(world, quarter, client_for):
    client = client_for(world.users["programme_manager"])
    response = client.post(
        reverse("benchmarking:indicator_create", kwargs={"region_slug": world.region.slug}),
        {
            "code": "sw_ehm_pct",
            "short_name": "Early help",
            "name": "Early help assessments completed (%)",
            "definition": "Early help assessments completed in the quarter.",
            "unit": "percent",
            "polarity": "high",
            "decimal_places": 1,
            "valid_min": 0,
            "valid_max": 100,
            "numerator_label": "Completed",
            "denominator_label": "Started",
            "is_required": "on",
        },
    )
    assert response.status_code == 302
    with pytest.raises(services.UploadRejected, match="there is no row for SW_EHM_PCT"):
        _upload(world, quarter)
    rows = return_rows(world.home_la, quarter)
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        la_code=world.home_la.gss_code,
        period=quarter.label,
        indicator_code="SW_EHM_PCT",
        numerator="40",
        denominator="50",
    )
    rows.append([row[name] for name in COLUMNS])
    _upload(world, quarter, to_csv(rows))
    assert _value(world.home_la, quarter, "SW_EHM_PCT").value == Decimal("80.0")
    # Other regions' returns do not ask for it.
    other = return_indicators(world.other_region)
    assert "SW_EHM_PCT" not in other
    assert len(other) == 18


def test_region_sees_quarterly_values_only_after_approval_and_other_regions_never(world, quarter):
    _upload(world, quarter)
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)

    def visible(persona):
        return selectors.values_visible_to(world.users[persona]).filter(return_obj=ret).count()

    assert [
        visible(p) for p in ("performance_lead", "dcs", "programme_manager", "peer_dcs", "outsider")
    ] == [18, 18, 18, 0, 0]
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    assert visible("peer_dcs") == 0
    services.return_approve(actor=world.users["programme_manager"], return_id=ret.pk)
    assert visible("peer_dcs") == 18
    assert visible("outsider") == 0


def test_a_region_analyst_may_approve_and_bulk_upload_but_not_reopen(world, quarter):
    from regions.models import Position, Role

    analyst = MembershipFactory(
        role=Role.MEMBER, local_authority=world.peer_la, position=Position.ANALYST
    ).user
    assert analyst.has_perm("benchmarking.bulk_upload", world.region)
    assert analyst.has_perm("benchmarking.approve_return", world.home_la)
    assert not analyst.has_perm("benchmarking.approve_return", world.other_la)
    assert not world.users["peer_dcs"].has_perm("benchmarking.approve_return", world.home_la)
    # Only the programme manager reopens a return.
    assert not analyst.has_perm("benchmarking.reopen_return", world.home_la)
    assert world.users["programme_manager"].has_perm("benchmarking.reopen_return", world.home_la)


def test_published_values_are_visible_to_every_signed_in_user(world, indicators, client_for):
    services.published_data_import(
        actor=SYSTEM,
        files=[
            (
                "c1.csv",
                "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
                "region_name,old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,"
                "rereferral_percent,no_further_action_count,no_further_action_percent\r\n"
                f"2025,Reporting year,Local authority,E92000001,England,E12000008,South East,"
                f"{world.other_la.dfe_code},{world.other_la.gss_code},Bracknell Forest,R,1000,200,20,50,5\r\n",
            )
        ],
    )
    value = Value.objects.get(indicator__code="REREF_PCT")
    for persona in ("performance_lead", "outsider", "peer_dcs"):
        assert selectors.values_visible_to(world.users[persona]).filter(pk=value.pk).exists()
    page = client_for(world.users["performance_lead"]).get(
        reverse("benchmarking:indicator_detail", kwargs={"code": "REREF_PCT"})
    )
    assert "Bracknell Forest" in page.content.decode()
    assert "England (from 1 LAs" in page.content.decode()
