"""The returns page: each quarter's status, due date and next step; "late" only when late."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking import services
from benchmarking.models import Return, ReturnWindow
from benchmarking.selectors.completeness import return_timeliness
from tests.benchmarking.factories import open_quarter
from tests.benchmarking.factories import upload as _upload

pytestmark = pytest.mark.django_db


def _row(page: str, label: str) -> str:
    start = page.index(f'<th scope="row" class="govuk-table__header">{label}</th>')
    return page[start : page.index("</tr>", start)]


def test_each_quarter_shows_its_status_due_date_and_next_step(world, indicators, client_for):
    today = timezone.localdate()
    current = open_quarter(world.region, fiscal_year=2026, quarter=1)
    page = client_for(world.users["performance_lead"]).get(reverse("benchmarking:index"))
    row = _row(page.content.decode(), current.label)
    due = today + datetime.timedelta(days=20)
    assert "Not started" in row
    assert f"{due.day} {due:%b %Y}" in row
    assert "Start your return" in row


def test_approved_returns_look_finished_and_late_only_when_late(world, indicators, client_for):
    lead, pm = world.users["performance_lead"], world.users["programme_manager"]
    past = open_quarter(world.region, fiscal_year=2025, quarter=4)
    _upload(world, past)
    ret = Return.objects.get(period=past)
    services.return_submit(actor=lead, return_id=ret.pk)
    services.return_approve(actor=pm, return_id=ret.pk)
    # The due date passes after it was sent on time: still on time, and finished.
    ReturnWindow.objects.filter(period=past).update(
        opens_on=timezone.localdate() - datetime.timedelta(days=60),
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    Return.objects.filter(pk=ret.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=5)
    )
    late = open_quarter(world.region, fiscal_year=2025, quarter=3)
    ReturnWindow.objects.filter(period=late).update(
        opens_on=timezone.localdate() - datetime.timedelta(days=90),
        due_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    page = client_for(lead).get(reverse("benchmarking:index")).content.decode()
    approved = _row(page, past.label)
    assert "govuk-tag--green" in approved and "Approved" in approved and "Late" not in approved
    assert ">View<" in approved
    overdue = _row(page, late.label)
    assert "Late" in overdue and "Start your return" in overdue


def test_lateness_rule():
    window = ReturnWindow(
        opens_on=datetime.date(2026, 7, 1),
        due_on=datetime.date(2026, 8, 12),
        locks_on=datetime.date(2026, 9, 9),
    )
    after = datetime.date(2026, 8, 20)
    assert return_timeliness(None, window, datetime.date(2026, 8, 1)) == ""
    assert return_timeliness(None, window, after) == "late"
    approved_unknown = Return(status="approved")
    assert return_timeliness(approved_unknown, window, after) == ""
    sent = Return(
        status="approved", submitted_at=timezone.make_aware(datetime.datetime(2026, 8, 10))
    )
    assert return_timeliness(sent, window, after) == "on time"
