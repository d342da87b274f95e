"""Writing many values at once, with a history version of each (who, when, why).

Not a service: the services that write values (upload, bulk file) check permission first and
then call this. Equivalent to simple_history's ``bulk_create_with_history`` /
``bulk_update_with_history`` (the same columns, '+' or '~', user and reason); on PostgreSQL one
statement each for the new and the changed values, their versions copied from what the INSERT
/ UPDATE returns, without a model instance per value and version.
"""

import datetime

from django.db import connection
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import User

from .models import Value
from .models.returns import VALUE_FIELDS

SAVED_FIELDS = [*VALUE_FIELDS, "warning", "comment"]
_TYPES = {"value": "numeric", "numerator": "numeric", "denominator": "numeric"}


def values_save(
    to_create: list[dict],
    to_update: list[Value],
    *,
    user: User | None,
    reason: str,
    now: datetime.datetime,
) -> None:
    """Insert the new values (dicts of field values), save the changed ones (Value objects),
    and keep a version of each in the value history."""
    reason = reason[: Value.history.model._meta.get_field("history_change_reason").max_length]
    if connection.vendor == "postgresql":
        if to_create:
            _insert_postgresql(to_create, user=user, reason=reason, now=now)
        if to_update:
            _update_postgresql(to_update, user=user, reason=reason, now=now)
        for value in to_update:
            value.updated_by, value.updated_at = user, now
        return
    created = [Value(**fields, updated_by=user, updated_at=now) for fields in to_create]
    bulk_create_with_history(
        created, Value, batch_size=1000, default_user=user, default_change_reason=reason
    )
    for value in to_update:
        value.updated_by, value.updated_at = user, now
    if to_update:
        bulk_update_with_history(
            to_update,
            Value,
            [*SAVED_FIELDS, "updated_by", "updated_at"],
            batch_size=1000,
            default_user=user,
            default_change_reason=reason,
        )


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _history_insert(kind: str) -> str:
    """INSERT INTO the history table the rows of the `saved` CTE, with date, reason, type, user."""
    copied = [field.column for field in Value._meta.concrete_fields]
    columns = [*copied, "history_date", "history_change_reason", "history_type", "history_user_id"]
    return (
        f"INSERT INTO {_quote(Value.history.model._meta.db_table)} "
        f"({', '.join(_quote(c) for c in columns)}) "
        f"SELECT {', '.join(f'saved.{_quote(c)}' for c in copied)}, %s, %s, '{kind}', %s "
        "FROM saved"
    )


def _columns() -> list[str]:
    return [Value._meta.get_field(name).column for name in SAVED_FIELDS]


def _unnest() -> str:
    return ", ".join(f"%s::{_TYPES.get(name, 'text')}[]" for name in SAVED_FIELDS)


def _insert_postgresql(to_create: list[dict], *, user, reason, now) -> None:
    user_id = user.pk if user is not None else None
    keys = [Value._meta.get_field(name).column for name in ("return_obj", "indicator")]
    sql = f"""
        WITH saved AS (
            INSERT INTO {_quote(Value._meta.db_table)} ({", ".join(keys)}, {", ".join(_columns())},
                                        updated_at, updated_by_id)
            SELECT given.*, %s, %s
              FROM unnest(%s::bigint[], %s::bigint[], {_unnest()}) AS given
            RETURNING *
        )
        {_history_insert("+")}
    """
    params = [
        now,
        user_id,
        [row["return_obj_id"] for row in to_create],
        [row["indicator_id"] for row in to_create],
        *[[row.get(name) for row in to_create] for name in SAVED_FIELDS],
        now,
        reason,
        user_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _update_postgresql(to_update: list[Value], *, user, reason, now) -> None:
    user_id = user.pk if user is not None else None
    columns = _columns()
    assignments = ", ".join(f"{c} = given.{c}" for c in columns)
    sql = f"""
        WITH saved AS (
            UPDATE {_quote(Value._meta.db_table)} AS value
               SET {assignments}, updated_at = %s, updated_by_id = %s
              FROM unnest(%s::bigint[], {_unnest()}) AS given (id, {", ".join(columns)})
             WHERE value.id = given.id
            RETURNING value.*
        )
        {_history_insert("~")}
    """
    params = [
        now,
        user_id,
        [value.pk for value in to_update],
        *[[getattr(value, name) for value in to_update] for name in SAVED_FIELDS],
        now,
        reason,
        user_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
