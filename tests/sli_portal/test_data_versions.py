"""Per-table data versions kept by PostgreSQL triggers (sli_portal.data_versions): what a cached
page body is stamped with. Every write path changes them, only at commit, writers never wait for
each other on them, and compacting keeps every stamp."""

import threading

import pytest
from django.apps import apps
from django.db import connection, connections, transaction

from regions.models import LocalAuthority, Region
from sli_portal import data_versions
from tests.regions.factories import LocalAuthorityFactory, RegionFactory

LA_TABLE = LocalAuthority._meta.db_table
REGION_TABLE = Region._meta.db_table


@pytest.mark.django_db
def test_every_model_table_has_a_version_but_sessions():
    tables = {model._meta.db_table for model in apps.get_models()}
    missing = tables - data_versions.versioned_tables() - data_versions.UNVERSIONED
    assert not missing
    assert "django_session" not in data_versions.versioned_tables()


def _sum(tables) -> int:
    """The committed versions' part of the stamp (outside any transaction)."""
    return int(data_versions.stamp(tables).split(":")[0])


@pytest.mark.django_db(transaction=True)
def test_any_committed_write_changes_the_version_reads_do_not():
    la = LocalAuthorityFactory()
    first = data_versions.stamp([LA_TABLE])
    list(LocalAuthority.objects.all())
    assert data_versions.stamp([LA_TABLE]) == first
    LocalAuthority.objects.filter(pk=la.pk).update(name="Renamed")
    second = data_versions.stamp([LA_TABLE])
    assert second != first
    with connection.cursor() as cursor:  # past the ORM altogether
        cursor.execute(f"UPDATE {LA_TABLE} SET name = 'Raw' WHERE id = %s", [la.pk])
    third = data_versions.stamp([LA_TABLE])
    assert third != second
    la.delete()
    assert data_versions.stamp([LA_TABLE]) != third
    # Another table's writes leave this one's version alone.
    fourth = data_versions.stamp([LA_TABLE])
    RegionFactory()
    assert data_versions.stamp([LA_TABLE]) == fourth


@pytest.mark.django_db
def test_a_writing_transactions_own_states_never_share_a_stamp():
    """Inside a transaction that wrote, a savepoint rolled back lowers the sum again: the next
    write must still give a stamp never seen before, or a body rendered from the rolled-back
    state could be shown for the new one."""
    la = LocalAuthorityFactory()
    seen = {data_versions.stamp([LA_TABLE])}
    try:
        with transaction.atomic():
            LocalAuthority.objects.filter(pk=la.pk).update(name="Rolled back")
            seen.add(data_versions.stamp([LA_TABLE]))
            raise RuntimeError
    except RuntimeError:
        pass
    LocalAuthority.objects.filter(pk=la.pk).update(name="Kept")
    assert data_versions.stamp([LA_TABLE]) not in seen


@pytest.mark.django_db
def test_a_new_table_gets_its_trigger_when_install_runs_again():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE sli_test_new_table (id integer)")
    assert "sli_test_new_table" not in data_versions.versioned_tables()
    assert data_versions.install() == 1
    assert "sli_test_new_table" in data_versions.versioned_tables()
    before = data_versions.stamp(["sli_test_new_table"])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO sli_test_new_table VALUES (1)")
    assert data_versions.stamp(["sli_test_new_table"]) != before
    data_versions.versioned_tables.cache_clear()  # the table goes with the test's transaction


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_at_commit_not_before():
    LocalAuthorityFactory()
    before = data_versions.stamp([LA_TABLE])
    written = threading.Event()
    committed = threading.Event()

    def writer():
        try:
            with transaction.atomic():
                LocalAuthority.objects.update(name="Uncommitted")
                written.set()
                committed.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(10)
    assert data_versions.stamp([LA_TABLE]) == before  # another connection: not yet
    committed.set()
    thread.join(10)
    assert data_versions.stamp([LA_TABLE]) != before


@pytest.mark.django_db(transaction=True)
def test_writers_in_opposite_table_orders_never_wait_for_each_other():
    """Two transactions write two tables in opposite orders: each bumps only its own
    connection's counters, so neither waits (one shared counter row per table would deadlock
    here, and PostgreSQL would abort one of them)."""
    region = RegionFactory()
    la = LocalAuthorityFactory(region=region)
    first_written = threading.Barrier(2, timeout=10)
    errors = []

    def work(first, second):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                first()
                first_written.wait()
                second()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def touch_region():
        Region.objects.filter(pk=region.pk).update(name=region.name)

    def add_la():
        LocalAuthorityFactory(region=region)

    def touch_la():
        LocalAuthority.objects.filter(pk=la.pk).update(name=la.name)

    def add_region():
        RegionFactory()

    threads = [
        threading.Thread(target=work, args=(touch_region, add_la)),
        threading.Thread(target=work, args=(touch_la, add_region)),
    ]
    before = _sum([LA_TABLE, REGION_TABLE])
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert _sum([LA_TABLE, REGION_TABLE]) >= before + 4


@pytest.mark.django_db
def test_compacting_folds_closed_connections_and_keeps_every_stamp():
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {data_versions.TABLE} (table_name, backend, version) VALUES "
            "(%s, 2147483001, 5), (%s, 2147483002, 7), (%s, 2147483003, 11)",
            [LA_TABLE, LA_TABLE, REGION_TABLE],
        )
    LocalAuthorityFactory()  # this connection's own row, which stays
    before = (data_versions.stamp([LA_TABLE]), data_versions.stamp([REGION_TABLE]))
    assert data_versions.compact() >= 3
    assert (data_versions.stamp([LA_TABLE]), data_versions.stamp([REGION_TABLE])) == before
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {data_versions.TABLE} WHERE backend >= 2147483000",
        )
        assert cursor.fetchone() == (0,)
        cursor.execute(
            f"SELECT count(*) FROM {data_versions.TABLE} WHERE backend = pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
