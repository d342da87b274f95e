"""`narrative_owed`: each figure the exception report flags that its LA has not explained yet
tells who writes the LA's narratives (its performance leads; its DCS where it has none), once
per person and figure: after an approval and from the daily job, also when the job runs twice
at the same moment; never anyone of another LA or region; by each person's preference."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from benchmarking import services
from benchmarking.models import Indicator, Return
from benchmarking.selectors.exceptions import exception_rows
from benchmarking.selectors.reports import load_inputs
from benchmarking.services import reports as report_services
from benchmarking.services.narratives import narratives_owed_sweep
from notifications.models import Delivery, Notification
from notifications.services import digests_record, preference_set
from sli_portal.access import SYSTEM
from tests.benchmarking.reports.factories import build_report_data, load_indicators
from tests.notifications.conftest import emailed
from tests.world import build_world


def _owed() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind="narrative_owed").values_list("recipient__email", "text")
    )


def _flagged_world(world):
    load_indicators()
    return build_report_data(world)


def _eet_name() -> str:
    return Indicator.objects.get(code="CL_EET_PCT").name


@pytest.mark.django_db
def test_the_daily_job_tells_who_writes_each_flagged_figure_once(world, sent, client):
    periods = _flagged_world(world)
    sent(narratives_owed_sweep, actor=SYSTEM)
    eet = _eet_name()
    # Somerset's performance lead; Devon has no performance lead, so its DCS. Not the analyst,
    # the programme manager, Somerset's DCS, nor anyone of the other region.
    assert {
        (
            "lead@example.org",
            f"Narrative owed: {eet} for Somerset (2025-26 Q1) is in the bottom 20% of the "
            "region. Explain it on the exception report.",
        ),
        (
            "peer@example.org",
            f"Narrative owed: {eet} for Devon (2025-26 Q1) is in the top 20% of the region. "
            "Explain it on the exception report.",
        ),
    } <= set(_owed())
    # Exactly the figures the exception report lists as missing a narrative (either scope,
    # both quarters approved lately), each once.
    missing = set()
    for period in (periods["q1"], periods["q1_before"]):
        for scope in ("region", "england"):
            inputs = load_inputs(world.region, period, scope=scope, indicator_set="core")
            missing |= {
                (row.flag.la_name, str(period), row.indicator.name)
                for row in exception_rows(world.users["programme_manager"], inputs)
                if row.narrative is None
            }
    told = [
        (n.text.split(" for ")[1].split(" (")[0], n.text.split("(")[-1].split(")")[0], n.target_id)
        for n in Notification.objects.filter(kind="narrative_owed")
    ]
    names = dict(Indicator.objects.values_list("pk", "name"))
    assert sorted((la, period, names[pk]) for la, period, pk in told) == sorted(missing)
    assert {email for email, _ in _owed()} == {"lead@example.org", "peer@example.org"}
    assert sorted({to for to, _ in emailed()}) == ["lead@example.org", "peer@example.org"]
    assert len(emailed()) == len(missing)

    # The link opens the narrative form for that figure, for the person told.
    notification = Notification.objects.get(
        recipient=world.users["performance_lead"], text__contains=f"{eet} for Somerset (2025-26"
    )
    assert notification.url == (
        reverse(
            "benchmarking_reports:narrative_edit",
            kwargs={
                "la_slug": "somerset",
                "period_slug": "2025-q1",
                "indicator_code": "CL_EET_PCT",
            },
        )
        + "?scope=region"
    )
    client.force_login(world.users["performance_lead"])
    assert client.get(notification.url).status_code == 200

    sent(narratives_owed_sweep, actor=SYSTEM)  # again: nothing new, nobody emailed twice
    assert len(_owed()) == len(missing)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_figure_already_explained_is_not_owed(world, sent):
    periods = _flagged_world(world)
    report_services.exception_narrative_save(
        actor=world.users["peer_dcs"],
        local_authority=world.peer_la,
        period=periods["q1"],
        indicator=Indicator.objects.get(code="CL_EET_PCT"),
        text="A large cohort in work-based training.",
    )
    sent(narratives_owed_sweep, actor=SYSTEM)
    devon = [text for email, text in _owed() if email == "peer@example.org"]
    assert devon and not any(_eet_name() in text and "2025-26" in text for text in devon)


@pytest.mark.django_db
def test_an_approval_looks_for_new_flags_after_commit(world, sent):
    periods = _flagged_world(world)
    cornwall = periods["draft_la"]
    ret = Return.objects.get(local_authority=cornwall, period=periods["q1"])
    assert Notification.objects.count() == 0
    sent(services.return_approve, actor=world.users["programme_manager"], return_id=ret.pk)
    # Cornwall has nobody to write its narratives; Somerset's and Devon's are owed.
    assert {email for email, _ in _owed()} == {"lead@example.org", "peer@example.org"}


@pytest.mark.django_db
def test_the_preference_decides_the_email_and_the_digest_groups_them(world, sent):
    _flagged_world(world)
    preference_set(actor=world.users["performance_lead"], delivery=Delivery.DAILY_DIGEST)
    preference_set(actor=world.users["peer_dcs"], delivery=Delivery.INBOX_ONLY)
    sent(narratives_owed_sweep, actor=SYSTEM)
    assert {email for email, _ in _owed()} == {"lead@example.org", "peer@example.org"}
    assert mail.outbox == []
    leads = Notification.objects.filter(recipient=world.users["performance_lead"])
    assert sent(digests_record, actor=SYSTEM, day=dt.date.today()) == leads.count() > 1
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]  # one email, every item
    assert all(n.text in mail.outbox[0].body for n in leads)


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_run_twice_at_the_same_moment_tells_each_person_once():
    world = build_world()
    _flagged_world(world)
    barrier = threading.Barrier(2, timeout=10)
    errors = []

    def job():
        try:
            barrier.wait()
            narratives_owed_sweep(actor=SYSTEM)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    owed = _owed()
    assert {email for email, _ in owed} == {"lead@example.org", "peer@example.org"}
    assert len(owed) == len(set(owed))  # each person told of each figure once
    assert len(owed) == Notification.objects.values("recipient", "occasion").distinct().count()
