"""Report builds: keyed by their inputs, stored, rebuilt once after an approval, retryable."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from benchmarking.domain import exports
from benchmarking.models import BuildStatus, ReportBuild, Return, Value
from benchmarking.selectors import reports as report_selectors
from benchmarking.services import reports as report_services
from benchmarking.signals import return_approved
from sli_portal.access import SYSTEM

pytestmark = pytest.mark.django_db(transaction=False)


def export(client, world, kind="rug_xlsx", period="2025-q1", scope="region", htmx=True):
    url = reverse("benchmarking_reports:rug_export", kwargs={"region_slug": world.region.slug})
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        url,
        {"kind": kind, "period": period, "scope": scope, "indicator_set": "core"},
        **headers,
    )


@pytest.fixture
def lead(client_for, world):
    return client_for(world.users["performance_lead"])


def test_export_builds_a_stored_file_that_downloads(
    django_capture_on_commit_callbacks, lead, world, reports
):
    with django_capture_on_commit_callbacks(execute=True):
        response = export(lead, world)
    assert response.status_code == 200
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.DONE
    assert build.progress == 100
    # the answer shows the build as queued (it runs after the request commits); the page polls
    assert "Queued" in response.content.decode()
    status = lead.get(reverse("benchmarking_reports:build_status", kwargs={"build_id": build.pk}))
    assert "Download Tartan rug (Excel)" in status.content.decode()
    download = lead.get(
        reverse("benchmarking_reports:build_download", kwargs={"build_id": build.pk})
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith(
        'attachment; filename="tartan-rug-south-west-2025-q1'
    )
    wb = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert wb["Tartan rug"]["A1"].value == "South West tartan rug"


def test_unchanged_report_is_served_from_storage(
    django_capture_on_commit_callbacks, lead, world, reports, monkeypatch
):
    calls = []
    real = exports.rug_xlsx
    monkeypatch.setattr(exports, "rug_xlsx", lambda rug: calls.append(1) or real(rug))
    with django_capture_on_commit_callbacks(execute=True):
        export(lead, world)
    with django_capture_on_commit_callbacks(execute=True):
        second = export(lead, world)
    assert ReportBuild.objects.count() == 1
    assert len(calls) == 1
    assert "Download Tartan rug (Excel)" in second.content.decode()  # served at once


def test_a_data_change_invalidates_the_stored_report(
    django_capture_on_commit_callbacks, lead, world, reports
):
    with django_capture_on_commit_callbacks(execute=True):
        export(lead, world)
    value = Value.objects.get(
        return_obj__local_authority=world.home_la,
        return_obj__period=reports["q1"],
        indicator__code="REREF_PCT",
    )
    value.value, value.numerator = 31, 310
    value.save()
    with django_capture_on_commit_callbacks(execute=True):
        export(lead, world)
    builds = list(ReportBuild.objects.order_by("created_at"))
    assert len(builds) == 2
    assert builds[0].data_version != builds[1].data_version
    assert all(b.status == BuildStatus.DONE for b in builds)


def test_scope_is_part_of_the_key(django_capture_on_commit_callbacks, lead, world, reports):
    with django_capture_on_commit_callbacks(execute=True):
        export(lead, world, scope="region")
        export(lead, world, scope="england")
    assert ReportBuild.objects.count() == 2


def test_failed_build_shows_its_reason_and_can_be_retried(
    django_capture_on_commit_callbacks, lead, world, reports, monkeypatch
):
    def broken(rug):
        raise OSError("Pango could not load a font")

    monkeypatch.setattr(exports, "rug_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = export(lead, world, kind="rug_pdf")
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.FAILED
    status_url = reverse("benchmarking_reports:build_status", kwargs={"build_id": build.pk})
    html = lead.get(status_url).content.decode()
    assert "could not be built. The reason: OSError: Pango could not load a font" in html
    assert "Try Tartan rug (PDF) again" in html
    monkeypatch.undo()
    retry = reverse("benchmarking_reports:build_retry", kwargs={"build_id": build.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(retry, HTTP_HX_REQUEST="true")
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE
    assert build.attempts == 2
    assert build.pages == 1
    assert "Download Tartan rug (PDF)" in lead.get(status_url).content.decode()
    assert response.status_code == 200
    # a finished build cannot be retried
    assert lead.post(retry, HTTP_HX_REQUEST="true").status_code == 409


def test_page_polls_a_queued_build_until_it_finishes(lead, world, reports, monkeypatch):
    monkeypatch.setattr(report_services, "enqueue_on_commit", lambda *a, **k: None)
    export(lead, world)
    build = ReportBuild.objects.get()
    status_url = reverse("benchmarking_reports:build_status", kwargs={"build_id": build.pk})
    html = lead.get(status_url).content.decode()
    assert "Queued" in html
    assert f'hx-get="{status_url}"' in html
    assert 'hx-trigger="every 1s"' in html
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING, progress=40)
    html = lead.get(status_url).content.decode()
    assert "Building" in html
    assert "40%" in html
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.QUEUED, progress=0)
    report_services.report_build_execute(actor=SYSTEM, build_id=build.pk)
    html = lead.get(status_url).content.decode()
    assert "Download" in html
    assert "hx-get" not in html
    # the rug page shows the latest build of each format
    rug_url = reverse("benchmarking_reports:rug", kwargs={"region_slug": world.region.slug})
    page = lead.get(rug_url + "?scope=region")
    assert "Download Tartan rug (Excel)" in page.content.decode()


def test_outsider_cannot_see_or_download_a_quarterly_build(
    django_capture_on_commit_callbacks, lead, client_for, world, reports
):
    with django_capture_on_commit_callbacks(execute=True):
        export(lead, world)
    build = ReportBuild.objects.get()
    outsider = client_for(world.users["outsider"])
    for name in ("build_status", "build_download"):
        url = reverse(f"benchmarking_reports:{name}", kwargs={"build_id": build.pk})
        assert outsider.get(url).status_code == 404
    assert export(outsider, world).status_code == 403


def approve(ret, actor):
    """Approve as ``return_approve`` does: save, then announce it with the named signal."""
    ret.status = "approved"
    ret.approved_at = timezone.now()
    ret.save()
    return_approved.send(sender=Return, return_obj=ret, actor=actor)


def test_region_reports_rebuild_once_after_approval_and_not_when_unchanged(
    django_capture_on_commit_callbacks, world, reports
):
    from benchmarking.services import return_approve

    cornwall = Return.objects.get(local_authority=reports["draft_la"], period=reports["q1"])
    with django_capture_on_commit_callbacks(execute=True):
        return_approve(actor=world.users["programme_manager"], return_id=cornwall.pk)
    builds = ReportBuild.objects.filter(period=reports["q1"])
    assert sorted(builds.values_list("kind", flat=True)) == ["rug_csv", "rug_xlsx"]
    assert all(b.status == BuildStatus.DONE for b in builds)
    first_versions = set(builds.values_list("data_version", flat=True))
    assert len(first_versions) == 1
    # Cornwall's now-approved value is in the rebuilt rug
    csv_build = builds.get(kind="rug_csv")
    assert "99.9" in csv_build.file.read().decode("utf-8-sig")
    # saving the approved return again with the same data serves the stored files
    cornwall.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        approve(cornwall, world.users["programme_manager"])
        approve(cornwall, world.users["programme_manager"])
    assert ReportBuild.objects.filter(period=reports["q1"]).count() == 2


def test_approval_rebuilds_variants_built_before(
    django_capture_on_commit_callbacks, lead, world, reports
):
    with django_capture_on_commit_callbacks(execute=True):
        export(lead, world, kind="rug_xlsx", scope="england")
        datapack = reverse("benchmarking_reports:datapack_export", kwargs={"la_slug": "somerset"})
        lead.post(datapack, {"period": "2025-q1", "scope": "region", "indicator_set": "core"})
    cornwall = Return.objects.get(local_authority=reports["draft_la"], period=reports["q1"])
    with django_capture_on_commit_callbacks(execute=True):
        approve(cornwall, world.users["programme_manager"])
    latest = ReportBuild.objects.filter(period=reports["q1"]).order_by("-created_at")
    kinds = {(b.kind, b.scope) for b in latest[:5]}
    assert ("rug_xlsx", "england") in kinds
    assert ("datapack_pdf", "region") in kinds
    # before: the two asked for; after: those two again plus the default XLSX and CSV
    assert ReportBuild.objects.filter(status=BuildStatus.DONE).count() == 6


def test_stale_sweep_requeues_queued_and_fails_lost_builds(world, reports, monkeypatch):
    monkeypatch.setattr(report_services, "enqueue_on_commit", lambda *a, **k: None)
    queued = report_services.report_build_request(
        actor=SYSTEM,
        kind="rug_csv",
        region=world.region,
        period=reports["q1"],
        scope="region",
        indicator_set="core",
    )
    lost = report_services.report_build_request(
        actor=SYSTEM,
        kind="rug_xlsx",
        region=world.region,
        period=reports["q1"],
        scope="region",
        indicator_set="core",
    )
    old = timezone.now() - timedelta(hours=1)
    ReportBuild.objects.filter(pk=queued.pk).update(created_at=old)
    ReportBuild.objects.filter(pk=lost.pk).update(status=BuildStatus.RUNNING, started_at=old)
    queued_again = []
    monkeypatch.setattr(
        report_services, "enqueue_on_commit", lambda task, *ids: queued_again.append(ids)
    )
    assert report_services.report_builds_requeue_stale(actor=SYSTEM) == 1
    assert queued_again == [(queued.pk,)]
    lost.refresh_from_db()
    assert lost.status == BuildStatus.FAILED
    assert "Retry" in lost.error


def test_region_datapacks_are_each_las_datapack(world, reports):
    inputs = report_selectors.load_inputs(
        world.region, reports["q1"], scope="region", indicator_set="core"
    )
    packs = report_selectors.datapacks(inputs)
    assert [p.la_name for p in packs] == [la.name for la in inputs.las]
    assert packs == [report_selectors.datapack(inputs, la.key) for la in inputs.las]


@pytest.mark.parametrize("kind", ["region_pack_zip", "region_pack_pdf"])
def test_region_pack_build_holds_every_las_datapack(
    django_capture_on_commit_callbacks, world, reports, kind
):
    with django_capture_on_commit_callbacks(execute=True):
        build = report_services.report_build_request(
            kind=kind,
            region=world.region,
            period=reports["q1"],
            scope="region",
            indicator_set="core",
            actor=world.users["programme_manager"],
        )
    build.refresh_from_db()
    assert build.status == BuildStatus.DONE, build.error
    las = sorted(world.region.local_authorities.values_list("name", flat=True))
    if kind == "region_pack_zip":
        archive = zipfile.ZipFile(io.BytesIO(build.file.read()))
        files = [archive.read(name) for name in archive.namelist()]
    else:
        files = [build.file.read()]
    texts = [
        "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        for data in files
    ]
    titles = [[la for la in las if f"{la}: benchmarking datapack" in text] for text in texts]
    assert titles == ([[la] for la in las] if kind == "region_pack_zip" else [las])
    somerset = texts[las.index("Somerset")] if kind == "region_pack_zip" else texts[0]
    assert "Re-referrals" in somerset
