"""Sessions in the database, read with the signed-in user's row in one query: the whole frame of a
warm signed-in request is one query and no Redis round trip.

`SESSION_ENGINE = "sli_portal.sessions"` (settings.py). It is Django's database store (the database
is the only copy of a session: signing out ends it everywhere at once, Redis up or down), with one
change. Once this process knows which user a session is signed in as (it saw the session loaded
or saved: `_users_of_sessions`), loading that session reads, in one query:

- the session row (still only while it has not expired),
- the user's row, which `sli_portal.authentication` then uses instead of querying it again: so the
  password hash (a changed password signs out other sessions), `is_active`, `is_superuser` and
  the scope token (any membership change replaces it: regions.scope) are read from the database
  on every request, as Django does,
- and the frame's per-user counts registered with `read_with_session` (the header's unread
  notifications), each an indexed count capped at `COUNT_LIMIT` rows.

A session key never changes hands: signing in cycles the key (or flushes a session signed in as
someone else) and signing out deletes it, so "this key is signed in as user 12" stays true for as
long as the key exists; the loaded session's own user id is checked against it anyway, and the
user row is used only when they agree. The first request of a session in a process (e.g. the
other gunicorn worker) reads the session alone, as Django does, and the user with its own query.

Why not the Redis copy it had (Django's cached_db): the user row had to be read from the database
on every request anyway (a cached user would miss a password change made in another process), so
a session in Redis cost a round trip of its own, and its copy could outlive a sign-out made while
Redis was unreachable. Why not signed-cookie sessions: the server could not revoke them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core import signing
from django.db import connections, router
from django.utils import timezone

from sli_portal.memo import ProcessMemo

# How many rows a count read with the session counts at most: a count that reaches it is not
# used (the caller counts exactly its own way), so one person's backlog cannot slow every page.
COUNT_LIMIT = 100
# session key -> the user id (as stored in the session) it is signed in as, for the sessions this
# process has seen; forgotten all at once when it grows past MAX_SESSIONS (bounded memory).
MAX_SESSIONS = 10_000
_users_of_sessions = ProcessMemo(max_items=MAX_SESSIONS)
# name -> (connection -> SQL of an indexed row set for one user, its single parameter `%s`)
_counted: dict[str, Callable[[Any], str]] = {}
# session data as stored -> the JSON of what it decodes to (its signature checked once): a
# session's data changes only when it is saved, so each request does not check it again; bounded.
MAX_DECODED = 10_000
_decoded = ProcessMemo(max_items=MAX_DECODED)
# database alias -> (SQL, the user's attribute names, the place of its pk among them, converters)
_queries: dict[str, tuple[str, list[str], int, list]] = {}


def read_with_session(name: str, rows_sql: Callable[[Any], str]) -> None:
    """Count these rows for the signed-in user in the session's query (apps call this in ready()).
    `rows_sql(connection)` is a SELECT of the user's rows with one `%s`, the user's id."""
    _counted[name] = rows_sql
    _queries.clear()


def counted(request, name: str) -> int | None:
    """A count `read_with_session` registered, as read with this request's session for its user;
    None when it was not (session loaded alone, another user, a count at COUNT_LIMIT)."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    read = getattr(session, "read_for_user", None)
    if read is None or user is None or not user.is_authenticated or read[0] != str(user.pk):
        return None
    value = read[2].get(name)
    return value if value is not None and value < COUNT_LIMIT else None


def _remember(session_key: str | None, user_id) -> None:
    if session_key and user_id is not None:
        _users_of_sessions.set(session_key, str(user_id))


def _query(using: str) -> tuple[str, list[str], int, list]:
    found = _queries.get(using)
    if found is None:
        from django.contrib.sessions.models import Session

        connection = connections[using]
        quote = connection.ops.quote_name
        user_model = get_user_model()
        fields = user_model._meta.concrete_fields
        columns = ", ".join(f"u.{quote(field.column)}" for field in fields)
        counts = "".join(
            f", (SELECT COUNT(*) FROM ({rows_sql(connection)} LIMIT {COUNT_LIMIT}) counted_{i})"
            for i, rows_sql in enumerate(_counted.values())
        )
        sql = (
            f"SELECT s.{quote('session_data')}, {columns}{counts} "
            f"FROM {quote(Session._meta.db_table)} s "
            f"LEFT JOIN {quote(user_model._meta.db_table)} u "
            f"ON u.{quote(user_model._meta.pk.column)} = %s "
            f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
        )
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col("u")
            functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            if functions:
                converters.append((index, column, functions))
        attnames = [field.attname for field in fields]
        found = (sql, attnames, attnames.index(user_model._meta.pk.attname), converters)
        _queries[using] = found
    return found


class SessionStore(db.SessionStore):
    # (user id as in the session, the user read with it or None if the row is gone, counts)
    read_for_user: tuple[str, Any, dict[str, int]] | None = None

    def load(self):
        self.read_for_user = None
        user_id = _users_of_sessions.get(self.session_key) if self.session_key else None
        using = router.db_for_read(self.model, instance=None)
        if user_id is None or router.db_for_read(get_user_model()) != using:
            data = super().load()
        else:
            data = self._load_with_user(user_id, using)
        _remember(self.session_key, data.get(SESSION_KEY))
        return data

    def _load_with_user(self, user_id: str, using: str) -> dict:
        user_model = get_user_model()
        connection = connections[using]
        sql, attnames, pk_index, converters = _query(using)
        pk = user_model._meta.pk.to_python(user_id)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [*([pk] * len(_counted)), pk, self.session_key, now])
            row = cursor.fetchone()
        if row is None:  # signed out or expired (db.SessionStore forgets the key the same way)
            self._session_key = None
            return {}
        data = self.decode(row[0])
        if str(data.get(SESSION_KEY)) == user_id:
            values = list(row[1 : 1 + len(attnames)])
            user = None
            if values[pk_index] is not None:  # else the user row is gone
                for index, column, functions in converters:
                    for function in functions:
                        values[index] = function(values[index], column, connection)
                user = user_model.from_db(using, attnames, values)
            counts = dict(zip(_counted, row[1 + len(attnames) :], strict=True))
            self.read_for_user = (user_id, user, counts)
        return data

    def decode(self, session_data):
        """Django's, its result kept per process by the data as stored (signed): each request
        gets its own copy (parsed from JSON again, so nothing a request changes is shared)."""
        if self.serializer is not signing.JSONSerializer:
            return super().decode(session_data)
        found = _decoded.get(session_data)
        if found is None:
            data = super().decode(session_data)
            if not data:  # empty, or refused (bad signature): nothing to keep
                return data
            found = json.dumps(data)
            _decoded.set(session_data, found)
        return json.loads(found)

    def save(self, must_create=False):
        super().save(must_create=must_create)
        _remember(self.session_key, getattr(self, "_session_cache", {}).get(SESSION_KEY))

    def delete(self, session_key=None):
        key = session_key or self.session_key
        if key:
            _users_of_sessions.discard(key)
        super().delete(session_key)
