"""Any change to a value touches its return's ``updated_at``, whoever writes it.

The report pages are cached under a stamp of their returns' ``updated_at``
(``report_selectors.data_stamp``). Services already touch the return, but a value written any
other way (the published import's COPY, a shell, the admin, a future service) would otherwise
leave a cached report stale. Statement-level triggers with transition tables: one UPDATE per
statement, not per row; clock_timestamp() rather than now() so that two changes in one
transaction still give two stamps. PostgreSQL only; the SQLite demo does not cache reports.

This trigger is only that safety net against stale cached pages: it starts nothing. Rebuilding
the stored report files after an approval is the job of the `return_approved` signal's receiver
(``benchmarking.services.reports.region_reports_rebuild_on_approval``).
"""

from django.db import migrations

EVENTS = {
    "insert": "NEW TABLE AS changed",
    "update": "NEW TABLE AS changed",
    "delete": "OLD TABLE AS changed",
}

FUNCTION = """
CREATE OR REPLACE FUNCTION benchmarking_value_touch_return() RETURNS trigger AS $$
BEGIN
    UPDATE benchmarking_return SET updated_at = clock_timestamp()
     WHERE id IN (SELECT DISTINCT return_id FROM changed);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for event, referencing in EVENTS.items():
        schema_editor.execute(
            f"CREATE TRIGGER benchmarking_value_{event}_touches_return "
            f"AFTER {event.upper()} ON benchmarking_value REFERENCING {referencing} "
            "FOR EACH STATEMENT EXECUTE FUNCTION benchmarking_value_touch_return()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in EVENTS:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS benchmarking_value_{event}_touches_return ON benchmarking_value"
        )
    schema_editor.execute("DROP FUNCTION IF EXISTS benchmarking_value_touch_return()")


class Migration(migrations.Migration):
    dependencies = [("benchmarking", "0003_priority_indicators")]

    operations = [migrations.RunPython(create, drop)]
