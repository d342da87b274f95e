"""A page's body rendered once per version of the rows it shows, per viewer, kept in the cache.

    # the view: what the body reads, as querysets (not evaluated), and the body's context made lazy
    body = fragments.Fragment(request, "events:registrations", [
        Event.objects.filter(pk=event.pk), Delegate.objects.filter(event=event), ...])
    context = {"event": event, "body": body, "rows": fragments.lazy(lambda: selectors...)}

    {# the template #}
    {% load frame %}
    {% block content %}{% page_cache body %} ... {% endpage_cache %}{% endblock %}

The data stamp (`rows_stamp`) is one query: for each queryset, how many rows it selects and the
sum of a hash of each row's PostgreSQL version (`xmin`, the transaction that wrote this version
of the row, and `ctid`, where it lies: an update writes a new version elsewhere, so even a row
changed twice in one transaction gets a new hash). Every write to one of those rows, by any path
(services, the admin, a trigger, a script), inserts, deletes or rewrites a row and so changes the
stamp as soon as it commits, and not before: there is nothing to bump and nothing to forget, and
a Redis outage cannot leave a stale copy behind (a fragment found under the current stamp was
rendered from exactly these rows).

Keyed also by the viewer (id, scope token, administrator and staff flags, name and email: a
fragment is never shown to anyone but the person it was rendered for), the page's address with
its query string (each sort and page of a list is its own body), a fingerprint of the portal's code and
templates (a deploy never serves an old rendering), and the minute (text relative to now, such
as "closes tomorrow", is at most a minute late). CSRF tokens inside are placeholders put back per
request (as in `{% frame_cache %}`), so a form can be inside.

A safety net for later changes: while a body is rendered on a miss, the tables its queries read
are noted; if one is not among the stamp's, the body is not kept (logged as an error) and is
rendered on every request, slower but never stale.

Off PostgreSQL (the SQLite demo) there is no stamp and the body is rendered every time; with the
cache unreachable (sli_portal.cache.FailSafeRedisCache) every request renders it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)

FRAGMENT_TTL_SECONDS = 60 * 60
TIME_BUCKET_SECONDS = 60


def rows_stamp(querysets: Iterable[QuerySet]) -> str | None:
    """One query: how many rows each queryset selects and the sum of a hash of each row's
    version (xmin, ctid). None off PostgreSQL."""
    if connection.vendor != "postgresql":
        return None
    return _run(_compile(querysets))


def _compile(querysets: Iterable[QuerySet]) -> tuple[str, list, frozenset[str]]:
    """The stamp's SQL and parameters, and the tables it covers."""
    querysets = list(querysets)
    tables = frozenset(qs.model._meta.db_table for qs in querysets)
    parts: list[str] = []
    params: list = []
    for queryset in querysets:
        table = queryset.model._meta.db_table
        rows = (
            queryset.order_by()
            .annotate(
                _row_version=RawSQL(
                    f'hashtextextended(concat("{table}".xmin, \':\', "{table}".ctid), 0)', ()
                )
            )
            .values_list("_row_version")
        )
        try:
            sql, sql_params = rows.query.sql_with_params()
        except EmptyResultSet:  # e.g. `__in` an empty list: no rows, nothing to read
            parts.append("'0'")
            continue
        parts.append(f"(SELECT concat_ws(',', count(*), sum(v)) FROM ({sql}) AS s{len(parts)}(v))")
        params.extend(sql_params)
    if not parts:
        return "", [], tables
    return f"SELECT concat_ws('|', {', '.join(parts)})", params, tables


def _run(compiled: tuple[str, list, frozenset[str]]) -> str:
    sql, params, _ = compiled
    if not sql:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (stamp,) = cursor.fetchone()
    return stamp


# (fragment name, rows key, minute) -> compiled stamp query, this process's copy; bounded.
_compiled: dict[tuple, tuple[str, list, frozenset[str]]] = {}
_MAX_COMPILED = 4096


@functools.cache
def code_version() -> str:
    """A fingerprint of the portal's Python code and templates (once per process)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    roots = [base / "templates"] + [
        Path(config.path) for config in apps.get_app_configs() if base in Path(config.path).parents
    ]
    roots.append(base / "sli_portal")
    for root in sorted(set(roots)):
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Fragment:
    """What a `{% page_cache %}` block needs: its cache key (computed on first use: one query)
    and the tables its stamp covers.

    `rows` is a function returning the querysets. Building and compiling them costs more CPU
    than the rest of a warm page, so with `rows_key` (every value `rows` depends on besides the
    time, e.g. the LA's id and region) the compiled stamp query is kept in this process for the
    current minute and only executed on later requests. The minute is the key's too, so text
    relative to now and the rows chosen by the time (events ahead) agree."""

    def __init__(self, request, name: str, rows, vary: tuple = (), rows_key: tuple | None = None):
        self.request, self.name, self.vary = request, name, vary
        self.rows, self.rows_key = rows, rows_key
        self.bucket = int(time.time() // TIME_BUCKET_SECONDS)

    @functools.cached_property
    def compiled(self) -> tuple[str, list, frozenset[str]]:
        if self.rows_key is None:
            return _compile(self.rows() if callable(self.rows) else self.rows)
        cache_key = (self.name, self.rows_key, self.bucket)
        found = _compiled.get(cache_key)
        if found is None:
            found = _compile(self.rows() if callable(self.rows) else self.rows)
            if len(_compiled) >= _MAX_COMPILED:
                _compiled.clear()
            _compiled[cache_key] = found
        return found

    @property
    def tables(self) -> frozenset[str]:
        return self.compiled[2]

    @functools.cached_property
    def key(self) -> str | None:
        if connection.vendor != "postgresql":
            return None
        stamp = _run(self.compiled)
        user = self.request.user
        viewer = (
            (
                user.pk,
                str(getattr(user, "scope_token", "")),
                user.is_superuser,
                user.is_staff,
                user.is_active,
                getattr(user, "full_name", ""),  # a body may greet the viewer by name
                user.email,
            )
            if user.is_authenticated
            else None
        )
        parts = (
            self.name,
            code_version(),
            stamp,
            viewer,
            # The address with its query: a sorted or paged list (?sort=, ?page=) is its own body.
            self.request.get_full_path(),
            self.vary,
            self.bucket,
        )
        return "page-fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()


class lazy:
    """A context value computed on first use, once: the template engine calls it (so `{% if x %}`
    and `{% for y in x %}` both see the value) and it is computed only if a cached body misses."""

    def __init__(self, compute: Callable):
        self._compute = compute

    @functools.cached_property
    def value(self):
        return self._compute()

    def __call__(self):
        return self.value


_TABLE = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')


class TablesRead:
    """Notes the tables the queries inside `with` read (connection.execute_wrapper)."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        self.tables.update(_TABLE.findall(sql))
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


# Sessions are read by the frame only (a body showing people reads accounts_user and
# regions_membership, so those must be in its stamp: they are not excused here).
FRAME_TABLES = frozenset({"django_session"})
