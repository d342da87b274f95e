"""Event exports in Excel hold real dates and times (UK time) with a number format."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Delegate
from tests.events.conftest import register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("what", "column"), [("delegates", "F"), ("attendance", "E")])
def test_registration_and_check_in_times_are_dates_in_uk_time(
    world, programme_manager, summit, client_for, what, column
):
    register(summit, world.home_la, 1)
    at = datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.UTC)  # 09:30 UK summer time
    Delegate.objects.update(registered_at=at, checked_in_at=at)
    response = client_for(programme_manager).get(
        reverse("events:export", args=[summit.pk, what, "xlsx"])
    )
    cell = load_workbook(io.BytesIO(response.content)).active[f"{column}2"]
    assert cell.is_date
    assert cell.value == datetime.datetime(2026, 7, 1, 9, 30)
    assert cell.number_format == "d mmm yyyy hh:mm"
    assert timezone.is_naive(cell.value)
