"""Two clicks on a build button at once (two requests racing): one build, no 5xx. On
PostgreSQL with real threads here; on SQLite (`make run`'s database, eager builds) in a
subprocess, see sqlite_double_click.py."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from benchmarking.models import ReportBuild
from benchmarking.services import reports as report_services

BUTTONS = [
    ("benchmarking_reports:rug_export", "region", "rug_xlsx"),
    ("benchmarking_reports:rug_export", "region", "rug_csv"),
    ("benchmarking_reports:rug_export", "region", "rug_pdf"),
    ("benchmarking_reports:datapack_export", "la", "datapack_pdf"),
    ("benchmarking_reports:region_pack_export", "region", "region_pack_pdf"),
    ("benchmarking_reports:region_pack_export", "region", "region_pack_zip"),
]


def double_click(user, url: str, data: dict, *, barrier_on=None) -> list[int]:
    """POST twice at once, as two browsers would; returns the two status codes."""
    statuses: list[int] = []

    def click():
        client = Client()
        client.force_login(user)
        try:
            statuses.append(client.post(url, data, HTTP_HX_REQUEST="true").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("url_name", "target", "kind"), BUTTONS, ids=[b[2] for b in BUTTONS])
def test_double_click_on_a_build_button_makes_one_build(
    world, reports, monkeypatch, url_name, target, kind
):
    monkeypatch.setattr(report_services, "enqueue_on_commit", lambda *a, **k: None)
    # Both requests read "no such build yet" before either creates it: the race is real.
    barrier = threading.Barrier(2, timeout=10)
    real_load = report_services.selectors.load_inputs

    def load_then_wait(*args, **kwargs):
        inputs = real_load(*args, **kwargs)
        barrier.wait()
        return inputs

    monkeypatch.setattr(report_services.selectors, "load_inputs", load_then_wait)
    slug = world.region.slug if target == "region" else world.home_la.slug
    kwarg = "region_slug" if target == "region" else "la_slug"
    url = reverse(url_name, kwargs={kwarg: slug})
    data = {"kind": kind, "period": "2025-q1", "scope": "region", "indicator_set": "core"}
    statuses = double_click(world.users["performance_lead"], url, data)
    assert statuses == [200, 200]
    assert ReportBuild.objects.filter(kind=kind).count() == 1


def test_double_click_on_sqlite_makes_one_build_and_shows_it_finished(tmp_path):
    """`make run` (SQLite, no broker: the build runs in the request): both clicks answer 200,
    one build is made, and the answer shows the finished build, not "waiting for a worker"."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "sli_portal.settings",
    }
    script = Path(__file__).with_name("sqlite_double_click.py")
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "statuses [200, 200]; builds 1; finished True" in done.stdout
