"""What the return services announce (benchmarking.signals) and whom they refuse: a service
called from a task, a command or a test is as safe as through its page."""

import pytest
from django.core.exceptions import PermissionDenied

from benchmarking import services, signals
from benchmarking.models import Indicator, Return
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import return_rows, to_csv, upload_return


@pytest.fixture
def heard():
    """Every benchmarking signal sent while the test runs, with its arguments."""
    events = []

    def listener(signal_name):
        def receive(sender, **kwargs):
            kwargs.pop("signal")
            events.append((signal_name, sender, kwargs))

        return receive

    receivers = {
        name: listener(name) for name in ("return_approved", "return_reopened", "values_changed")
    }
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver)
    yield events
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def test_an_upload_announces_the_indicators_it_wrote_and_a_rerun_nothing(world, quarter, heard):
    result = upload_return(world, quarter, world.home_la)
    [(name, sender, kwargs)] = heard
    assert (name, sender) == ("values_changed", Return)
    assert kwargs["return_obj"] == result.returns[0]
    assert kwargs["actor"] == world.users["programme_manager"]
    assert sorted(kwargs["indicator_ids"]) == sorted(
        Indicator.objects.filter(is_core=True).values_list("pk", flat=True)
    )
    heard.clear()
    upload_return(world, quarter, world.home_la)
    assert heard == []


def test_approving_and_reopening_are_announced_after_the_save(world, quarter, heard):
    ret = upload_return(world, quarter, world.home_la).returns[0]
    pm, lead = world.users["programme_manager"], world.users["performance_lead"]
    services.return_submit(actor=lead, return_id=ret.pk)
    heard.clear()
    services.return_approve(actor=pm, return_id=ret.pk)
    [(name, _, kwargs)] = heard
    assert name == "return_approved" and kwargs["actor"] == pm
    assert kwargs["return_obj"].status == "approved"
    services.return_reopen(actor=pm, return_id=ret.pk, reason="Recounted")
    assert heard[-1][0] == "return_reopened"
    assert heard[-1][2]["reason"] == "Recounted"
    assert heard[-1][2]["return_obj"].status == "draft"


def test_the_published_import_announces_each_return_it_changed(world, indicators, heard):
    c1 = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,referral_count,rereferral_count,"
        "rereferral_percent,no_further_action_count,no_further_action_percent\n"
        f"2025,Reporting year,Local authority,E92000001,England,,,{world.home_la.dfe_code},"
        f"{world.home_la.gss_code},Somerset,5000,1100,22.0,300,6.0\n"
    )
    services.published_data_import(actor=SYSTEM, files=[("c1.csv", c1)])
    names = {name for name, _, _ in heard}
    assert names == {"values_changed"}
    [(_, _, kwargs)] = heard
    assert kwargs["return_obj"].source == "published"
    codes = set(
        Indicator.objects.filter(pk__in=kwargs["indicator_ids"]).values_list("code", flat=True)
    )
    assert {"REREF_PCT", "NFA_PCT"} <= codes
    heard.clear()
    services.published_data_import(actor=SYSTEM, files=[("c1.csv", c1)])
    assert heard == []


def test_services_refuse_whoever_may_not_and_save_nothing(world, quarter):
    data = to_csv(return_rows(world.home_la, quarter))
    for persona in ("outsider", "dcs", "peer_dcs"):
        with pytest.raises(PermissionDenied):
            services.return_upload(
                actor=world.users[persona],
                period=quarter,
                file_name="r.csv",
                data=data,
                local_authority=world.home_la,
            )
    assert not Return.objects.exists()
    ret = upload_return(world, quarter, world.home_la).returns[0]
    services.return_submit(actor=world.users["performance_lead"], return_id=ret.pk)
    with pytest.raises(PermissionDenied):
        services.return_approve(actor=world.users["performance_lead"], return_id=ret.pk)
    with pytest.raises(PermissionDenied):
        services.published_data_import(actor=world.users["programme_manager"], files=[])
    with pytest.raises(PermissionDenied):
        services.window_save(
            actor=world.users["peer_dcs"],
            region=world.region,
            period=quarter,
            opens_on=quarter.end,
            due_on=quarter.end,
            locks_on=quarter.end,
        )


def test_scheduled_jobs_run_as_the_portal_only(world, quarter):
    with pytest.raises(PermissionDenied):
        services.chases_record_due(actor=world.users["admin"])
    with pytest.raises(PermissionDenied):
        services.returns_lock_due(actor=world.users["admin"])
    assert services.returns_lock_due(actor=SYSTEM) == 0
