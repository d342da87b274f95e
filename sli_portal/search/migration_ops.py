"""Migration operations for search that run only on PostgreSQL (on SQLite the stored vector
column stays empty and search falls back to icontains)."""

from django.db import migrations


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def search_vector(table: str, columns: list[str], *, config: str = "pg_catalog.english"):
    """The stored vector of `table` (its `search_vector` column, already added): a GIN index,
    a trigger that keeps it on every insert and update (PostgreSQL's own
    tsvector_update_trigger), and a backfill of the rows already there."""
    trigger = f"{table}_search_vector"
    cols = ", ".join(columns)
    text = " || ' ' || ".join(f"coalesce({c}::text, '')" for c in columns)
    return PostgresRunSQL(
        sql=[
            f"CREATE INDEX {table}_search_gin ON {table} USING gin (search_vector)",
            f"CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION tsvector_update_trigger(search_vector, '{config}', {cols})",
            f"UPDATE {table} SET search_vector = to_tsvector('{config}', {text})",
        ],
        reverse_sql=[
            f"DROP TRIGGER IF EXISTS {trigger} ON {table}",
            f"DROP INDEX IF EXISTS {table}_search_gin",
        ],
    )


def trigram_index(table: str, column: str):
    """A GIN trigram index for similarity on a name column (needs pg_trgm)."""
    return PostgresRunSQL(
        sql=f"CREATE INDEX {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)",
        reverse_sql=f"DROP INDEX IF EXISTS {table}_{column}_trgm",
    )
