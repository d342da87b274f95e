import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from regions.models import LocalAuthority, Membership, Region, Role, StatisticalNeighbour
from regions.services import geography as geography_services
from sli_portal.access import SYSTEM
from tests.accounts.factories import UserFactory


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def loaded(db):
    return geography_services.reference_data_load(actor=SYSTEM)


def test_loads_every_la_region_and_neighbour_link_in_the_shipped_files(loaded):
    la_rows = _rows(geography_services.LA_FILE)
    neighbour_rows = _rows(geography_services.NEIGHBOUR_FILE)
    assert LocalAuthority.objects.filter(is_active=True).count() == len(la_rows) == 153
    # the five LAs abolished by reorganisations since 2012, kept for their published years
    predecessors = LocalAuthority.objects.filter(is_active=False, existed_until__isnull=False)
    assert predecessors.count() == len(_rows(geography_services.REORGANISED_FILE)) == 5
    assert Region.objects.count() == len({row["region_code"] for row in la_rows}) == 9
    assert StatisticalNeighbour.objects.count() == len(neighbour_rows) == 1530
    assert loaded.neighbour_links == 1530
    assert not loaded.problems


def test_every_la_has_ten_ranked_neighbours_in_file_order(loaded):
    bristol = LocalAuthority.objects.get(gss_code="E06000023")
    assert bristol.name == "Bristol, City of"
    assert bristol.region.name == "South West"
    expected = [
        row["neighbour_gss_code"]
        for row in _rows(geography_services.NEIGHBOUR_FILE)
        if row["la_gss_code"] == "E06000023"
    ]
    links = StatisticalNeighbour.objects.filter(local_authority=bristol).order_by("rank")
    assert [link.neighbour.gss_code for link in links] == expected
    assert [link.rank for link in links] == list(range(1, 11))
    assert all(link.closeness for link in links)


def test_region_counts_match_the_published_list(loaded):
    counts = {
        region.name: region.local_authorities.filter(is_active=True).count()
        for region in Region.objects.all()
    }
    assert counts["London"] == 33
    assert counts["South West"] == 15
    assert counts["North East"] == 12
    assert sum(counts.values()) == 153


def test_second_run_changes_nothing(loaded):
    before = list(LocalAuthority.objects.values().order_by("pk"))
    links_before = list(StatisticalNeighbour.objects.values_list("pk", flat=True).order_by("pk"))
    report = geography_services.reference_data_load(actor=SYSTEM)
    assert not report.changed
    assert list(LocalAuthority.objects.values().order_by("pk")) == before
    # Unchanged neighbour lists are not rewritten (same primary keys).
    assert (
        list(StatisticalNeighbour.objects.values_list("pk", flat=True).order_by("pk"))
        == links_before
    )


def test_loading_over_an_older_set_updates_codes_and_names_but_keeps_memberships(tmp_path, db):
    """Somerset before its 2023 reorganisation had GSS E10000027; an LA was renamed; one LA
    (Cumbria, 909) existed that no longer does."""
    la_rows = _rows(geography_services.LA_FILE)
    old_rows = []
    for row in la_rows:
        row = dict(row)
        if row["gss_code"] == "E06000066":
            row["gss_code"] = "E10000027"
        if row["gss_code"] == "E06000023":
            row["la_name"] = "Bristol"
        old_rows.append(row)
    cumbria = dict(la_rows[0], old_la_code="909", gss_code="E10000006", la_name="Cumbria")
    old_rows.append(cumbria)
    old_file = tmp_path / "old_las.csv"
    with open(old_file, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(la_rows[0]))
        writer.writeheader()
        writer.writerows(old_rows)
    geography_services.reference_data_load(actor=SYSTEM, la_file=old_file)
    somerset = LocalAuthority.objects.get(dfe_code="933")
    assert somerset.gss_code == "E10000027"
    dcs = UserFactory()
    Membership.objects.create(user=dcs, role=Role.DCS, local_authority=somerset)

    report = geography_services.reference_data_load(actor=SYSTEM)

    somerset.refresh_from_db()
    assert somerset.gss_code == "E06000066"
    assert LocalAuthority.objects.get(gss_code="E06000023").name == "Bristol, City of"
    assert Membership.objects.filter(user=dcs, local_authority=somerset, role=Role.DCS).exists()
    assert LocalAuthority.objects.get(dfe_code="909").is_active is False
    assert report.las_updated == 2
    # Cumbria is a predecessor LA (ended March 2023): kept, inactive, with its end date
    assert report.las_deactivated == 0
    assert str(LocalAuthority.objects.get(dfe_code="909").existed_until) == "2023-03-31"
    assert LocalAuthority.objects.filter(is_active=True).count() == 153


def test_command_reports_nothing_changed_on_second_run(db, capsys):
    call_command("load_reference_data")
    capsys.readouterr()
    call_command("load_reference_data")
    assert "nothing changed" in capsys.readouterr().out
