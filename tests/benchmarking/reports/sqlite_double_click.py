"""Run by test_double_click.py in a subprocess with DATABASE_URL=sqlite:///... and no
REDIS_URL (as `make run`): two clicks on "Build PDF" at once. Prints what it saw."""

import threading

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

setup_test_environment()  # the test client's ALLOWED_HOSTS and in-memory email
call_command("migrate", verbosity=0)

from benchmarking.models import ReportBuild  # noqa: E402
from tests.benchmarking.reports.factories import build_report_data, load_indicators  # noqa: E402
from tests.world import build_world  # noqa: E402

world = build_world()
load_indicators()
build_report_data(world)
url = reverse("benchmarking_reports:rug_export", kwargs={"region_slug": world.region.slug})
data = {"kind": "rug_pdf", "period": "2025-q1", "scope": "region", "indicator_set": "core"}
statuses, pages = [], []
start = threading.Barrier(2)


def click():
    client = Client()
    client.force_login(world.users["performance_lead"])
    start.wait()
    try:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        statuses.append(response.status_code)
        pages.append(response.content.decode())
    finally:
        connection.close()


threads = [threading.Thread(target=click) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(timeout=120)
# Each answer shows the build finished, or still under way and polled: never a stale state.
finished = any("Download Tartan rug (PDF)" in page for page in pages) and all(
    "Download Tartan rug (PDF)" in page or 'hx-trigger="every 1s"' in page for page in pages
)
print(f"statuses {sorted(statuses)}; builds {ReportBuild.objects.count()}; finished {finished}")
if not finished:
    print(pages)
