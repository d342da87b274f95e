"""A page's body rendered once per version of the rows it shows, per viewer, kept in the cache.

    # the view: what the body reads, as querysets (not evaluated), and the body's context made lazy
    body = fragments.Fragment(request, "events:registrations", [
        Event.objects.filter(pk=event.pk), Delegate.objects.filter(event=event), ...])
    context = {"event": event, "body": body, "rows": fragments.lazy(lambda: selectors...)}

    {# the template #}
    {% load frame %}
    {% block content %}{% page_cache body %} ... {% endpage_cache %}{% endblock %}

The data stamp is the version of every table the body reads (`sli_portal.data_versions`): one
indexed query over a few rows, whatever the tables' size. PostgreSQL triggers change a table's
version at every committed write, by any path (services, the admin, a trigger, a script), and not
before: there is nothing to bump and nothing to forget, and a Redis outage cannot leave a stale
copy behind (a fragment found under the current stamp was rendered from these tables as they are
now). The stamp is per table, not per row: a write anywhere in a table renders the bodies that
read it again once. Writes are rare next to reads here (a region's people register, submit and
edit a few times a minute at most), and a table-wide version costs nothing to read.

Keyed also by the viewer (id, scope token, administrator and staff flags, name and email: a
fragment is never shown to anyone but the person it was rendered for), the page's address with
its query string (each sort and page of a list is its own body), a fingerprint of the portal's code and
templates (a deploy never serves an old rendering), and the minute (text relative to now, such
as "closes tomorrow", is at most a minute late). CSRF tokens inside are placeholders put back per
request (as in `{% frame_cache %}`), so a form can be inside.

The body must read what it shows after the stamp, i.e. lazily: the object a view fetched for its
permission check is older than the stamp, and a write committed in between would be rendered from
the old row and kept under the newer stamp. So a body that shows the object's own fields reads it
again (`page_la = fragments.lazy(...)`, `{% with la=page_la %}`; tests/fragment_race.py commits
a write at that moment).

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
from django.db import connection
from django.db.models import QuerySet

from sli_portal import data_versions
from sli_portal.memo import ProcessMemo

logger = logging.getLogger(__name__)

FRAGMENT_TTL_SECONDS = 60 * 60
TIME_BUCKET_SECONDS = 60


def tables_of(rows: Iterable) -> frozenset[str]:
    """The tables of what a body reads: querysets or models."""
    return frozenset(
        (item.model if isinstance(item, QuerySet) else item)._meta.db_table for item in rows
    )


def rows_stamp(rows: Iterable) -> str | None:
    """The versions of the tables of `rows` (querysets or models) as one value; None off
    PostgreSQL."""
    if connection.vendor != "postgresql":
        return None
    return data_versions.stamp(tables_of(rows))


# (fragment name, rows key) -> the tables its rows read.
_tables = ProcessMemo(max_items=4096)
# Cache key (its stamp, viewer, release, address) -> the body's pieces: a warm page skips the
# Redis round trip and the unpickling. Never stale: the key names the data it was rendered from.
bodies = ProcessMemo(max_items=2000, max_size=64_000_000, size=lambda pieces: sum(map(len, pieces)))


@functools.cache
def code_version() -> str:
    """Which release of the code and templates rendered a body: `settings.RELEASE_ID` where the
    deploy sets one (e.g. the git commit), else a fingerprint of the portal's Python code and
    templates, computed once per process on its first cached page (~0.2 s)."""
    if settings.RELEASE_ID:
        return settings.RELEASE_ID
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

    `rows` is what the body reads, as querysets or models (or a function returning them); only
    their tables matter. With `rows_key` (every value `rows` depends on, e.g. the LA's id) the
    tables are kept in this process, so a warm request does not even build the querysets."""

    def __init__(self, request, name: str, rows, vary: tuple = (), rows_key: tuple | None = None):
        self.request, self.name, self.vary = request, name, vary
        self.rows, self.rows_key = rows, rows_key
        self.bucket = int(time.time() // TIME_BUCKET_SECONDS)

    @functools.cached_property
    def tables(self) -> frozenset[str]:
        if self.rows_key is None:
            return tables_of(self.rows() if callable(self.rows) else self.rows)
        memo_key = (self.name, self.rows_key)
        found = _tables.get(memo_key)
        if found is None:
            found = tables_of(self.rows() if callable(self.rows) else self.rows)
            _tables.set(memo_key, found)
        return found

    @functools.cached_property
    def stamp(self) -> str | None:
        """The versions of the body's tables (one query, once): None (render every time) off
        PostgreSQL, or if a table has no version trigger. A view may read it first, to keep
        something else it reads from those tables under it too (e.g. the report pages' period)."""
        if connection.vendor != "postgresql":
            return None
        unversioned = self.tables - data_versions.versioned_tables()
        if unversioned:
            logger.error(
                "page fragment %s reads %s, which have no data version: not cached",
                self.name,
                ", ".join(sorted(unversioned)),
            )
            return None
        return data_versions.stamp(self.tables)

    @functools.cached_property
    def key(self) -> str | None:
        stamp = self.stamp
        if stamp is None:
            return None
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
