"""Two workers given the same build: only one renders it (row lock, skip locked). And a real
Celery worker builds a report end to end."""

import contextlib
import os
import threading
import time

import pytest
from django.db import connection

from benchmarking.models import BuildStatus, ReportBuild
from benchmarking.services import reports as report_services
from sli_portal.access import SYSTEM
from tests.benchmarking.reports.factories import build_report_data, load_indicators


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_one_build_render_it_once(world, monkeypatch):
    load_indicators()
    data = build_report_data(world)
    monkeypatch.setattr(report_services, "enqueue_on_commit", lambda *a, **k: None)
    build = report_services.report_build_request(
        actor=SYSTEM,
        kind="rug_csv",
        region=world.region,
        period=data["q1"],
        scope="region",
        indicator_set="core",
    )
    renders = []
    real_render = report_services._render
    monkeypatch.setattr(
        report_services, "_render", lambda b, p: renders.append(b.pk) or real_render(b, p)
    )
    # Both workers read the queued build before either marks it running: without the row lock
    # both would go on to render it.
    barrier = threading.Barrier(2, timeout=2)
    real_save = ReportBuild.save

    def save_after_both_read(self, *args, **kwargs):
        if "attempts" in (kwargs.get("update_fields") or ()):
            # the other worker may have skipped the locked row and never get here
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(ReportBuild, "save", save_after_both_read)
    results = []

    def worker():
        try:
            results.append(report_services.report_build_execute(actor=SYSTEM, build_id=build.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["done", "skipped"]
    assert renders == [build.pk]
    build.refresh_from_db()
    assert (build.status, build.attempts) == (BuildStatus.DONE, 1)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_builds_a_requested_report(world, settings, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL for a real broker")
    from celery.contrib.testing.worker import start_worker

    from sli_portal.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    load_indicators()
    data = build_report_data(world)
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        build = report_services.report_build_request(
            actor=SYSTEM,
            kind="rug_xlsx",
            region=world.region,
            period=data["q1"],
            scope="region",
            indicator_set="core",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            build.refresh_from_db()
            if build.is_finished:
                break
            time.sleep(0.2)
    assert build.status == BuildStatus.DONE, build.error
    assert build.file.read()[:2] == b"PK"  # an XLSX (zip) file was stored
