from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse

from benchmarking import services
from benchmarking.domain.published import published_files_default
from benchmarking.models import Period, Return, Value
from regions.services.geography import reference_data_load
from sli_portal.access import SYSTEM

C1_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,"
    "rereferral_percent,no_further_action_count,no_further_action_percent\r\n"
)


@pytest.fixture
def england(db):
    reference_data_load(actor=SYSTEM)
    services.indicators_load(actor=SYSTEM)


def _england_rate(code, fiscal_year):
    sums = Value.objects.filter(
        indicator__code=code,
        return_obj__source="published",
        return_obj__period__fiscal_year=fiscal_year,
        return_obj__period__kind="year",
        numerator__isnull=False,
    ).aggregate(n=Sum("numerator"), d=Sum("denominator"))
    return sums["n"], sums["d"]


def test_shipped_dfe_files_import_every_la_year_idempotently(england):
    # Speed is measured by `make bench` (published import: ~100,000 values), not here.
    files = published_files_default()
    report = services.published_data_import(actor=SYSTEM, files=files)
    assert report.created == report.loaded > 34_000
    # England's referral rate 2024-25 from summed numerators and denominators, as DfE/LAIT: 519.4
    referrals, children = _england_rate("REF_RATE", 2024)
    assert abs(referrals - 632_830) < 10  # LA figures are rounded to the nearest 10 in places
    assert round(referrals / children * 10000, 1) == Decimal("519.4")
    # Published CLA rates at 31 March 2025 (README): Somerset 55, Bristol 81.
    cla = dict(
        Value.objects.filter(
            indicator__code="CLA_RATE", return_obj__period__fiscal_year=2024
        ).values_list("return_obj__local_authority__name", "value")
    )
    assert (cla["Somerset"], cla["Bristol, City of"]) == (Decimal(55), Decimal(81))
    # Somerset's series continues across its 2024 code change: 2012-13 to 2024-25 in one LA.
    somerset_years = Return.objects.filter(
        local_authority__gss_code="E06000066",
        source="published",
        values__indicator__code="REF_RATE",
    ).count()
    assert somerset_years == 13
    lines = "\n".join(report.lines())
    assert "Somerset: 140 values filed under E06000066" in lines
    # Every LA row is loaded or skipped for a true reason: none "no longer exists" in its year
    assert "no longer exists" not in lines
    assert "LA did not exist in the year (DfE codes its row z) (e.g. Cumbria 2024;" in lines
    assert report.figures_created == 2300  # DfE's England and regional rows, stored
    # counts per file
    assert (
        "csww_indicators_2017_to_2025.csv: England and region figures 450, LA values 6705, "
        "LA values (joint row, given to each LA) 140," in lines
    )
    suppressed = Value.objects.exclude(suppression="")
    assert suppressed.exists()
    assert set(suppressed.values_list("suppression", flat=True)) <= {"c", "x", "z", "u", "k", "low"}

    again = services.published_data_import(actor=SYSTEM, files=files)
    assert (again.created, again.updated, again.unchanged) == (0, 0, report.loaded)
    assert Period.objects.filter(kind="year").count() == 14


def test_command_reports_what_it_loaded_and_skipped(england, tmp_path):
    path = tmp_path / "c1.csv"
    path.write_text(
        C1_HEADER
        + "2025,Reporting year,National,E92000001,England,,,,,,R,632830,142900,22.6,41340,6.5\r\n"
        + "2025,Reporting year,Local authority,E92000001,England,E12000009,South West,933,"
        "E06000066,Somerset,R,5877,1300,22.1,c,c\r\n"
        + "2021,Reporting year,Local authority,E92000001,England,E12000002,North West,909,"
        "E10000006,Cumbria,R,5000,1000,20,10,1\r\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_published_data", str(path), stdout=out)
    text = out.getvalue()
    # Cumbria existed in 2020-21: its row is kept; England's row is stored as DfE's figure
    assert "4 values loaded: 4 new" in text
    assert "2 DfE England and region figures stored: 2 new" in text
    assert "Skipped 2: no population estimate" in text
    assert "Skipped 1: England or region rate with no population estimate" in text
    assert "c1.csv: England and region figures 3, LA values 6, skipped: no population" in text
    nfa = Value.objects.get(indicator__code="NFA_PCT", return_obj__local_authority__dfe_code="933")
    assert (nfa.value, nfa.suppression) == (None, "c")
    assert nfa.suppression_reason == "Suppressed in the published file (confidential)"


def test_unknown_file_is_refused_and_saves_nothing(england, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\r\n1,2\r\n")
    with pytest.raises(CommandError, match="This is not a DfE statistics file"):
        call_command("import_published_data", str(path), stdout=StringIO())
    with pytest.raises(ValidationError, match="No indicator in this file is known"):
        services.published_data_import(
            actor=SYSTEM,
            files=[("y.csv", "time_period,geographic_level,old_la_code,new_la_code,la_name,z\r\n")],
        )
    assert not Value.objects.exists()


def test_administrator_imports_a_file_through_the_page(world, indicators, client_for):
    client = client_for(world.users["admin"])
    url = reverse("benchmarking:published_import")
    body = (
        C1_HEADER + f"2025,Reporting year,Local authority,E92000001,England,E12000009,South West,"
        f"{world.home_la.dfe_code},{world.home_la.gss_code},Somerset,R,5877,1300,22.1,300,5.1\r\n"
    )
    response = client.post(url, {"files": SimpleUploadedFile("c1.csv", body.encode("cp1252"))})
    assert response.status_code == 200
    assert "2 values loaded: 2 new" in response.content.decode()
    bad = client.post(url, {"files": SimpleUploadedFile("c1.csv", b"a,b\r\n")})
    assert bad.status_code == 400
    assert "This is not a DfE statistics file" in bad.content.decode()


def test_a_hundred_thousand_values_import_and_a_correction_changes_only_what_differs(england):
    from benchmarking.seed.synthetic import synthetic_published_files
    from regions.models import LocalAuthority

    # LAs that existed throughout (successors of reorganisations start in their own years)
    las = list(LocalAuthority.objects.filter(is_active=True, existed_from__isnull=True))
    files = synthetic_published_files(las, range(1950, 2026))
    c1 = dict(files)["c1.csv"]
    report = services.published_data_import(actor=SYSTEM, files=files)
    assert report.created == report.loaded > 100_000
    # A corrected release changes exactly the values that differ, and nothing else.
    corrected = c1.replace(",400,20,", ",410,20.5,", 500)
    again = services.published_data_import(actor=SYSTEM, files=[("c1.csv", corrected)])
    assert (again.created, again.updated) == (0, 500)
    assert Value.objects.filter(indicator__code="REREF_PCT", value=Decimal("20.5")).count() == 500


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b""])
def test_a_nul_after_a_bom_in_a_published_file_is_refused_naming_its_line(
    bom, world, indicators, client_for
):
    client = client_for(world.users["admin"])
    body = (
        C1_HEADER + f"2025,Reporting year,Local authority,E92000001,England,E12000009,South West,"
        f"{world.home_la.dfe_code},{world.home_la.gss_code},Som\x00erset,R,5877,1300,22.1,300,5.1\r\n"
    )
    for data in (bom + body.encode(), body.encode("utf-16")):
        response = client.post(
            reverse("benchmarking:published_import"),
            {"files": SimpleUploadedFile("c1.csv", data)},
        )
        assert response.status_code == 400
        text = response.content.decode()
        assert "Line 2 of the file holds a control character (U+0000)" in text or (
            not bom and "contains binary data" in text
        )
    assert not Value.objects.exists()


def test_dfe_thousands_separators_and_suppression_codes_still_import(england):
    body = (
        C1_HEADER + "2025,Reporting year,Local authority,E92000001,England,E12000009,South West,"
        '933,E06000066,Somerset,R,"12,500",c,c,"1,234",9.9\r\n'
    )
    services.published_data_import(actor=SYSTEM, files=[("c1.csv", body)])
    values = {
        v.indicator.code: v
        for v in Value.objects.filter(return_obj__local_authority__gss_code="E06000066")
    }
    assert values["NFA_PCT"].numerator == Decimal(1234)
    assert values["NFA_PCT"].denominator == Decimal(12500)
    assert values["REREF_PCT"].suppression == "c"
