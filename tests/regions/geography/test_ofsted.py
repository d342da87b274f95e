"""Ofsted ILACS judgements: import (with history), the LA page and the datapack (issue 13)."""

import datetime
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regions.models import LocalAuthority, OfstedInspection
from regions.services import ofsted
from regions.services.geography import reference_data_load
from sli_portal.access import SYSTEM


@pytest.fixture
def judged(db):
    reference_data_load(actor=SYSTEM)
    return ofsted.ofsted_import(actor=SYSTEM)


def test_every_ilacs_inspection_is_imported_once_with_its_judgements(judged):
    assert (judged.created, judged.updated, not judged.skipped) == (271, 0, True)
    barnet = LocalAuthority.objects.get(name="Barnet")
    latest = OfstedInspection.objects.filter(local_authority=barnet).first()
    assert latest.inspection_date == datetime.date(2024, 6, 10)
    assert latest.get_overall_effectiveness_display() == "Good"
    assert latest.get_children_in_care_display() == "Outstanding"
    # reorganised LAs keep their own inspections (Ofsted: "No longer exists")
    assert OfstedInspection.objects.filter(local_authority__dfe_code="909").exists()
    again = ofsted.ofsted_import(actor=SYSTEM)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 271)


def test_a_newer_file_updates_a_judgement_and_keeps_the_old_one_in_history(judged):
    barnet = OfstedInspection.objects.filter(local_authority__name="Barnet").first()
    barnet.overall_effectiveness = "inadequate"  # as if an earlier file had said so
    barnet.save()
    report = ofsted.ofsted_import(actor=SYSTEM)
    assert report.updated == 1
    barnet.refresh_from_db()
    assert barnet.overall_effectiveness == "good"
    assert [h.overall_effectiveness for h in barnet.history.order_by("history_date")] == [
        "good",
        "inadequate",
        "good",
    ]


def test_a_file_that_is_not_ofsteds_workbook_is_refused(db, tmp_path):
    path = tmp_path / "x.ods"
    shutil.copy(ofsted.OFSTED_FILE.parent / "english_las_childrens_services.csv", path)
    with pytest.raises(ValidationError, match="not Ofsted's inspection outcomes workbook"):
        ofsted.ofsted_import(actor=SYSTEM, path=path)


def test_la_page_shows_the_latest_judgements_and_earlier_inspections(judged, client_for):
    from tests.accounts.factories import UserFactory

    client = client_for(UserFactory())
    response = client.get(reverse("regions:la_detail", kwargs={"slug": "barnet"}))
    html = response.content.decode()
    assert "Ofsted judgements" in html
    assert "10 June 2024" in html
    assert "Earlier ILACS inspections of Barnet" in html
    assert "Open Government Licence v3.0" in html
    cumbria = LocalAuthority.objects.get(dfe_code="909")
    html = client.get(cumbria.get_absolute_url()).content.decode()
    assert "existed until 31 March 2023" in html
    assert "Cumberland" in html  # its successors are linked
