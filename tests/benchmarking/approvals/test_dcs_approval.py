"""The optional second approval level: when the region asks for it, the LA's DCS approves a
submitted return before the programme manager can; off, nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from benchmarking import services
from benchmarking.models import Return, Status
from tests.benchmarking.factories import upload


def _submitted(world, quarter):
    upload(world, quarter)
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    return ret


def test_with_dcs_approval_on_the_dcs_approves_before_the_region(world, quarter):
    pm, dcs = world.users["programme_manager"], world.users["dcs"]
    services.approval_setting_save(actor=pm, region=world.region, dcs_approval=True)
    ret = _submitted(world, quarter)
    with pytest.raises(ValidationError, match="Somerset's DCS must approve the return before"):
        services.return_approve(actor=pm, return_id=ret.pk)
    services.return_la_approve(actor=dcs, return_id=ret.pk)
    with pytest.raises(ValidationError, match="already approved"):
        services.return_la_approve(actor=dcs, return_id=ret.pk)
    services.return_approve(actor=pm, return_id=ret.pk)
    ret.refresh_from_db()
    assert ret.status == Status.APPROVED and ret.la_approved_by == dcs
    reasons = [h.history_change_reason for h in ret.history.order_by("history_id")]
    assert reasons[-3:] == ["Submitted", "Approved by the LA's DCS", "Approved"]
    services.return_reopen(actor=pm, return_id=ret.pk, reason="Recount")
    ret.refresh_from_db()
    assert ret.la_approved_at is None  # a reopened return needs both approvals again


def test_only_the_las_dcs_approves_and_only_a_submitted_return(world, quarter):
    services.approval_setting_save(
        actor=world.users["programme_manager"], region=world.region, dcs_approval=True
    )
    upload(world, quarter)
    ret = Return.objects.get(local_authority=world.home_la, period=quarter)
    with pytest.raises(ValidationError, match="Only a submitted return"):
        services.return_la_approve(actor=world.users["dcs"], return_id=ret.pk)
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    for persona in ("performance_lead", "member", "peer_dcs", "programme_manager", "outsider"):
        with pytest.raises(PermissionDenied):
            services.return_la_approve(actor=world.users[persona], return_id=ret.pk)


def test_with_the_setting_off_the_region_approves_alone(world, quarter):
    ret = _submitted(world, quarter)
    with pytest.raises(ValidationError, match="approves returns itself"):
        services.return_la_approve(actor=world.users["dcs"], return_id=ret.pk)
    services.return_approve(actor=world.users["programme_manager"], return_id=ret.pk)


def test_only_the_programme_manager_switches_it(world, quarter, client_for):
    for persona in ("dcs", "performance_lead", "outsider"):
        with pytest.raises(PermissionDenied):
            services.approval_setting_save(
                actor=world.users[persona], region=world.region, dcs_approval=True
            )
    client = client_for(world.users["programme_manager"])
    url = reverse("benchmarking:approval_setting", kwargs={"region_slug": world.region.slug})
    assert client.post(url, {"dcs_approval": "yes"}).status_code == 302
    assert world.region.return_approval.dcs_approval is True
    assert (
        world.region.return_approval.history.get().history_user == world.users["programme_manager"]
    )


def test_return_page_shows_the_dcs_button_then_the_approval(world, quarter, client_for):
    services.approval_setting_save(
        actor=world.users["programme_manager"], region=world.region, dcs_approval=True
    )
    _submitted(world, quarter)
    kwargs = {"la_slug": world.home_la.slug, "period_slug": quarter.slug}
    client = client_for(world.users["dcs"])
    html = client.get(reverse("benchmarking:return_detail", kwargs=kwargs)).content.decode()
    assert "Waiting for Somerset's DCS to approve" in html and "Approve as DCS" in html
    response = client.post(reverse("benchmarking:return_la_approve", kwargs=kwargs))
    assert response.status_code == 302
    html = client.get(reverse("benchmarking:return_detail", kwargs=kwargs)).content.decode()
    assert "Approved by the DCS" in html and "Approve as DCS" not in html
