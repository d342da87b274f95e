"""Every report URL against every persona (see tests/url_matrix.py)."""

from tests.url_matrix import UrlCase, expect, only, with_personas

REGION_PEOPLE = ("admin", "programme_manager", "dcs", "performance_lead", "member", "peer_dcs")


def _quarter(world):
    """An approved 2025-26 Q1 for the home and peer LA, with flagged EET figures."""
    from tests.benchmarking.reports.factories import load_indicators, make_return, quarter

    load_indicators()
    q1 = quarter(2025, 1)
    make_return(world.home_la, q1, values={"CL_EET_PCT": (40, 40, 100)})
    make_return(world.peer_la, q1, values={"CL_EET_PCT": (60, 60, 100)})
    return q1


def _region_with_quarter(world):
    _quarter(world)
    return {"region_slug": world.region.slug}


def _la_with_quarter(world):
    _quarter(world)
    return {"la_slug": world.home_la.slug}


def _narrative(world):
    _quarter(world)
    return {"la_slug": world.home_la.slug, "period_slug": "2025-q1", "indicator_code": "CL_EET_PCT"}


def _build(world, status="done"):
    from django.core.files.base import ContentFile

    from benchmarking.models import ReportBuild

    period = _quarter(world)
    build = ReportBuild(
        key=f"test-{status}",
        kind="rug_csv",
        region=world.region,
        period=period,
        scope="region",
        indicator_set="core",
        data_version="v",
        status=status,
        error="Broken" if status == "failed" else "",
    )
    if status == "done":
        build.file.save("url-case.csv", ContentFile(b"a,b\n"), save=False)
        build.file_name = "url-case.csv"
    build.save()
    return {"build_id": build.pk}


EXPORT = {"period": "2025-q1", "scope": "region", "indicator_set": "core"}


def _in_region(status, outsider=403):
    return only(dict.fromkeys(REGION_PEOPLE, status), others=outsider)


CASES = [
    UrlCase(
        "benchmarking_reports:home",
        expect(302, admin=200),
        label="one region redirects to its rug",
    ),
    UrlCase(
        "benchmarking_reports:rug",
        expect(200),
        kwargs=lambda w: {"region_slug": w.region.slug},
        label="no data yet",
    ),
    UrlCase(
        "benchmarking_reports:rug",
        _in_region(200),
        kwargs=_region_with_quarter,
        query="?period=2025-q1",
        label="quarter",
    ),
    UrlCase(
        "benchmarking_reports:rug_export",
        _in_region(302),
        kwargs=_region_with_quarter,
        method="post",
        data={**EXPORT, "kind": "rug_xlsx"},
    ),
    UrlCase(
        "benchmarking_reports:region_pack_export",
        _in_region(302),
        kwargs=_region_with_quarter,
        method="post",
        data={**EXPORT, "kind": "region_pack_zip"},
    ),
    UrlCase(
        "benchmarking_reports:exceptions",
        _in_region(200),
        kwargs=_region_with_quarter,
        query="?period=2025-q1",
    ),
    UrlCase(
        "benchmarking_reports:exceptions_export",
        _in_region(200),
        kwargs=lambda w: {**_region_with_quarter(w), "fmt": "csv"},
        query="?period=2025-q1",
    ),
    UrlCase(
        # the exception report is the region's own business
        "benchmarking_reports:exceptions",
        only({"admin": 200, "outsider": 200}),
        kwargs=lambda w: {"region_slug": w.other_region.slug},
        label="other region",
    ),
    UrlCase(
        "benchmarking_reports:datapack",
        expect(200),
        kwargs=lambda w: {"la_slug": w.home_la.slug},
        label="no data yet",
    ),
    UrlCase(
        "benchmarking_reports:datapack",
        _in_region(200),
        kwargs=_la_with_quarter,
        query="?period=2025-q1",
        label="quarter",
    ),
    UrlCase(
        "benchmarking_reports:datapack_export",
        _in_region(302),
        kwargs=_la_with_quarter,
        method="post",
        data=EXPORT,
    ),
    UrlCase(
        "benchmarking_reports:narrative_edit",
        only({"admin": 200, "dcs": 200, "performance_lead": 200}),
        kwargs=_narrative,
    ),
    UrlCase(
        "benchmarking_reports:narrative_edit",
        only({"admin": 302, "dcs": 302, "performance_lead": 302}),
        kwargs=_narrative,
        method="post",
        data={"text": "Explained.", "scope": "region"},
        label="save",
    ),
    UrlCase(
        "benchmarking_reports:build_status",
        _in_region(200, outsider=404),
        kwargs=_build,
    ),
    UrlCase(
        "benchmarking_reports:build_download",
        _in_region(200, outsider=404),
        kwargs=_build,
    ),
    UrlCase(
        "benchmarking_reports:build_retry",
        _in_region(302, outsider=404),
        kwargs=lambda w: _build(w, status="failed"),
        method="post",
    ),
]


# The analyst and staff personas where they differ from the defaults above (tests/world.py):
# the analyst holds the regional grant from a member's seat in peer_la; staff hold no role.
CASES = with_personas(
    CASES,
    {
        "GET benchmarking_reports:build_download": {"analyst": 200},
        "GET benchmarking_reports:build_status": {"analyst": 200},
        "GET benchmarking_reports:datapack[quarter]": {"analyst": 200},
        "GET benchmarking_reports:exceptions": {"analyst": 200},
        "GET benchmarking_reports:exceptions_export": {"analyst": 200},
        "GET benchmarking_reports:home[one region redirects to its rug]": {"staff": 200},
        "GET benchmarking_reports:rug[quarter]": {"analyst": 200},
        "POST benchmarking_reports:build_retry": {"analyst": 302},
        "POST benchmarking_reports:datapack_export": {"analyst": 302},
        "POST benchmarking_reports:region_pack_export": {"analyst": 302},
        "POST benchmarking_reports:rug_export": {"analyst": 302},
    },
)
