"""Big uploads give live, honest progress: a region's bulk file is checked in the background
and its page polls the check (checking, accepted, or not accepted with the reasons in words);
a double submit (two requests at once) makes one check and one upload, never a 5xx."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from benchmarking.models import Upload, UploadCheck, Value
from benchmarking.services import upload_checks
from sli_portal.access import SYSTEM
from tests.benchmarking.factories import open_quarter, return_rows, to_csv


def _bulk_url(world, period):
    return reverse(
        "benchmarking:bulk_upload",
        kwargs={"region_slug": world.region.slug, "period_slug": period.slug},
    )


def _las(world):
    return list(world.region.local_authorities.filter(is_active=True).order_by("name"))


@pytest.mark.django_db
def test_bulk_file_is_checked_in_the_background_and_its_page_says_so(
    world, indicators, client_for, django_capture_on_commit_callbacks
):
    period = open_quarter(world.region)
    client = client_for(world.users["programme_manager"])
    data = to_csv(return_rows(_las(world), period))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            _bulk_url(world, period), {"file": SimpleUploadedFile("bulk.csv", data)}
        )
    check = UploadCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benchmarking:upload_check", kwargs={"pk": check.pk})
    assert len(queued) == 1  # the check is queued after the commit
    page = client.get(response["Location"]).content.decode()
    assert "Checking your file bulk.csv" in page
    assert 'hx-trigger="every 1s"' in page  # the row polls itself while checking
    assert not Value.objects.exists()

    queued[0]()  # the worker runs the check
    row = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Accepted" in row and "hx-get" not in row  # finished: the polling stops
    assert f"{len(_las(world)) * 18} values saved for" in row
    assert "<html" not in row  # htmx gets the row alone
    check.refresh_from_db()
    assert check.status == "validated" and check.upload is not None and check.data == b""
    assert Value.objects.count() == len(_las(world)) * 18


@pytest.mark.django_db
def test_a_refused_bulk_file_says_why_in_words_and_saves_nothing(
    world, indicators, client_for, django_capture_on_commit_callbacks
):
    period = open_quarter(world.region)
    client = client_for(world.users["programme_manager"])
    rows = return_rows(_las(world), period)
    rows[3][rows[0].index("numerator")] = "lots"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _bulk_url(world, period), {"file": SimpleUploadedFile("bulk.csv", to_csv(rows))}
        )
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Not accepted" in text and "Nothing was saved: 1 problem to fix" in text
    assert "Row 4, column" in text and "&#x27;lots&#x27; is not a number." in text
    assert "<title>Error: " in text
    assert not Value.objects.exists() and not Upload.objects.exists()


@pytest.mark.django_db
def test_a_check_runs_once_however_often_its_task_is_run(world, indicators):
    period = open_quarter(world.region)
    data = to_csv(return_rows(_las(world), period))
    check, started = upload_checks.upload_check_start(
        actor=world.users["programme_manager"],
        region=world.region,
        period=period,
        file_name="bulk.csv",
        data=data,
    )
    assert started
    assert upload_checks.upload_check_run(actor=SYSTEM, check_id=check.pk) == "validated"
    assert upload_checks.upload_check_run(actor=SYSTEM, check_id=check.pk) == "skipped"
    assert Upload.objects.count() == 1


@pytest.mark.django_db
def test_a_lost_check_is_queued_again_by_the_sweep(world, indicators, monkeypatch):
    from django.utils import timezone

    period = open_quarter(world.region)
    queued = []
    monkeypatch.setattr(upload_checks, "enqueue_on_commit", lambda *args: queued.append(args))
    check, _ = upload_checks.upload_check_start(
        actor=world.users["programme_manager"],
        region=world.region,
        period=period,
        file_name="bulk.csv",
        data=b"la_code\n",
    )
    assert upload_checks.upload_checks_requeue_stale(actor=SYSTEM) == 0  # still fresh
    UploadCheck.objects.filter(pk=check.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=5)
    )
    assert upload_checks.upload_checks_requeue_stale(actor=SYSTEM) == 1
    assert queued[-1] == (upload_checks.RUN_TASK, check.pk)


def _at_once(user, url: str, files: list[tuple[str, bytes]]) -> list[tuple[int, str]]:
    """POST the files at the same moment, as a double click would; (status, Location) each."""
    answers: list[tuple[int, str]] = []
    barrier = threading.Barrier(len(files), timeout=10)

    def send(name, data):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            response = client.post(url, {"file": SimpleUploadedFile(name, data)})
            answers.append((response.status_code, response.get("Location", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=file) for file in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.django_db(transaction=True)
def test_double_submit_of_a_bulk_file_makes_one_check_and_one_upload(
    world, indicators, monkeypatch
):
    # No worker yet: both requests arrive while the first check is still "checking".
    monkeypatch.setattr(upload_checks, "enqueue_on_commit", lambda *args: None)
    period = open_quarter(world.region)
    data = to_csv(return_rows(_las(world), period))
    answers = _at_once(
        world.users["programme_manager"], _bulk_url(world, period), [("bulk.csv", data)] * 2
    )
    assert [status for status, _ in answers] == [302, 302]
    check = UploadCheck.objects.get()  # one check: the second request joined the first
    assert {location for _, location in answers} == {
        reverse("benchmarking:upload_check", kwargs={"pk": check.pk})
    }
    upload_checks.upload_check_run(actor=SYSTEM, check_id=check.pk)
    assert Upload.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_double_submit_of_a_return_file_makes_one_upload_and_no_error(world, indicators):
    period = open_quarter(world.region)
    data = to_csv(return_rows(world.home_la, period))
    url = reverse(
        "benchmarking:return_upload",
        kwargs={"la_slug": world.home_la.slug, "period_slug": period.slug},
    )
    answers = _at_once(world.users["performance_lead"], url, [("r.csv", data)] * 2)
    assert [status for status, _ in answers] == [302, 302]  # no 5xx, no error page
    assert Upload.objects.count() == 1
    assert Value.objects.count() == 18
    assert Value.history.count() == 18  # one version of each value, not two
