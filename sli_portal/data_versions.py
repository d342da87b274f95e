"""A version number per table, kept by PostgreSQL itself: what a cached page body is stamped with.

Every table (but the session table) has a statement-level trigger that, on any INSERT, UPDATE,
DELETE or TRUNCATE, adds one to this connection's counter for that table in `sli_data_version`.
A table's version is the sum of its counters. So:

- every committed write, by any path (services, the admin, a raw query, a script), changes the
  versions of the tables it wrote, at its commit and not before; nothing in Python has to
  remember to bump anything;
- reading the versions of a page's tables is one indexed query over a few rows, however big the
  tables are (the earlier stamp hashed every row a page showed: ~1 ms per 1,000 rows);
- writers never wait for each other: each connection (one transaction at a time) updates its
  own row, keyed by `pg_backend_pid()`, so two transactions never hold the same counter row
  and no lock order between tables can deadlock.

The sums only grow, so a stamp is never reused for other data. `compact()` (daily, from beat)
folds the rows of connections that have gone into one row per table, keeping each sum.

The triggers are (re)installed after every `migrate` (a post_migrate handler connected in
regions/apps.py): a table created by a later migration gets its trigger without anyone having to
remember it. `versioned_tables()` lists the tables that have one; a page body is cached only if
all its tables are in it (sli_portal.fragments).

PostgreSQL only: on SQLite (the `make run` demo) there are no versions and nothing is cached.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import connection

logger = logging.getLogger(__name__)

TABLE = "sli_data_version"
TRIGGER = "sli_data_version_bump"
# Every versioned write statement takes a number from this sequence; a session's last one
# (`currval`, which no rollback undoes) tells apart the states of one transaction.
WRITES = "sli_data_version_writes"
WRITER = "sli_data_version_writer"
# Sessions change on every sign-in and are never shown in a page body (sli_portal.fragments).
UNVERSIONED = frozenset({TABLE, "django_session"})

_CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    table_name text NOT NULL,
    backend integer NOT NULL,
    version bigint NOT NULL,
    PRIMARY KEY (table_name, backend)
);
CREATE SEQUENCE IF NOT EXISTS {WRITES};
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('{WRITES}');
    INSERT INTO {TABLE} (table_name, backend, version)
    VALUES (TG_TABLE_NAME, pg_backend_pid(), 1)
    ON CONFLICT (table_name, backend) DO UPDATE SET version = {TABLE}.version + 1;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION {WRITER}() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN pg_current_xact_id_if_assigned()::text || '.' || currval('{WRITES}')::text;
EXCEPTION WHEN object_not_in_prerequisite_state THEN  -- no versioned write in this session yet
    RETURN pg_current_xact_id_if_assigned()::text;
END
$$;
"""


def install(using_connection=None, verbosity: int = 0) -> int:
    """Create the counter table and function, and a trigger on every table that lacks one.
    Idempotent; returns how many triggers it added."""
    conn = using_connection or connection
    if conn.vendor != "postgresql":
        return 0
    with conn.cursor() as cursor:
        cursor.execute(_CREATE)
        cursor.execute(
            """
            SELECT c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
              AND NOT EXISTS (
                SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = %s)
            """,
            [TRIGGER],
        )
        missing = [name for (name,) in cursor.fetchall() if name not in UNVERSIONED]
        for name in missing:
            quoted = conn.ops.quote_name(name)
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {quoted} FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )
    if missing:  # not after every flush of a test database: that would cost pages a query
        versioned_tables.cache_clear()
    if missing and verbosity >= 1:
        print(f"  Data versions: triggers added on {len(missing)} tables")
    return len(missing)


def install_after_migrate(sender, using="default", verbosity=1, **kwargs) -> None:
    """post_migrate: every table, including those a new migration made, gets its trigger."""
    from django.db import connections

    install(connections[using], verbosity=verbosity)


@functools.cache
def versioned_tables() -> frozenset[str]:
    """The tables whose writes change their version (once per process; `install` refreshes).
    None until this release's `install` has run (a migrate): the stamp needs its functions."""
    if connection.vendor != "postgresql":
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND EXISTS (SELECT 1 FROM pg_proc WHERE proname = %s)",
            [TRIGGER, WRITER],
        )
        return frozenset(name for (name,) in cursor.fetchall())


def stamp(tables: Iterable[str]) -> str:
    """The tables' versions as one value, one query over a few indexed rows. It changes at every
    committed write to any of them, and it is never the same for two different states of them:

    - the sum of the counters only grows with commits;
    - the database's oid and the server's start time tell apart the databases that share one
      cache (the test databases of parallel workers, a restored copy);
    - inside a transaction that has written, its own uncommitted state is its own: its id and
      its session's last write number are added (a savepoint rolled back lowers the sum, but
      never that number), so nothing rendered from it is ever shown outside it.
    """
    names = sorted(set(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT concat_ws(
                ':',
                (SELECT coalesce(sum(version), 0) FROM {TABLE} WHERE table_name = ANY(%s)),
                (SELECT oid FROM pg_database WHERE datname = current_database()),
                extract(epoch FROM pg_postmaster_start_time()),
                CASE WHEN pg_current_xact_id_if_assigned() IS NOT NULL THEN {WRITER}() END
            )
            """,
            [names],
        )
        (value,) = cursor.fetchone()
    return value


def compact() -> int:
    """Fold the counters of connections that have gone into one row per table (backend 0),
    in one statement, so each table's sum, and so every stamp, is unchanged. Returns how many
    rows it folded."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH gone AS (
                DELETE FROM {TABLE}
                WHERE backend <> 0
                  AND backend NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
                RETURNING table_name, version
            ), folded AS (
                INSERT INTO {TABLE} (table_name, backend, version)
                SELECT table_name, 0, sum(version) FROM gone GROUP BY table_name
                ON CONFLICT (table_name, backend)
                DO UPDATE SET version = {TABLE}.version + EXCLUDED.version
            )
            SELECT count(*) FROM gone
            """
        )
        (folded,) = cursor.fetchone()
    return folded


@shared_task(name="sli_portal.data_versions.compact")
def compact_task() -> int:
    return compact()
