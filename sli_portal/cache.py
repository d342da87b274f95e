"""A Redis cache that fails safe: when Redis is down or frozen the portal gets slower, never a 500.

Django's own `RedisCache` raises the client's errors to the caller, so with it an outage turns
every cached read (sessions, the user's scope, report fragments) into a server error. This
backend answers a failed read as a miss and drops a failed write, logs the outage once, and then
leaves Redis alone for a few seconds (`RETRY_SECONDS` in OPTIONS, default 5) so that a frozen
server costs one short timeout per process per interval, not one per cache call.

What it does not hide: `incr`/`decr` (a counter that silently stays at zero would be wrong).
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS = 5.0
# servers -> monotonic time until which Redis is not asked (shared by every thread of a process)
_down_until: dict[tuple[str, ...], float] = {}
_lock = threading.Lock()


class _Outage(Exception):
    """Redis is known to be down: the call was not made."""


class FailSafeRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, retry_seconds: float = DEFAULT_RETRY_SECONDS, **options):
        super().__init__(servers, **options)
        self._key = tuple(servers)
        self._retry_seconds = retry_seconds
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        # Django builds a new redis.Redis per call (~40% of a cache read's CPU); one per pool does
        # (a client is thread-safe: each command takes a connection from the pool).
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client

    def _call(self, method, default, *args):
        if _down_until.get(self._key, 0.0) > time.monotonic():
            return default
        try:
            return method(*args)
        except (RedisError, OSError):
            with _lock:
                first = _down_until.get(self._key, 0.0) == 0.0
                _down_until[self._key] = time.monotonic() + self._retry_seconds
            if first:
                logger.warning("cache unavailable: reads miss, writes dropped", exc_info=True)
            return default

    def _answered(self) -> None:
        if self._key in _down_until:
            with _lock:
                if _down_until.pop(self._key, None) is not None:
                    logger.warning("cache available again")

    def get(self, key, default):
        found = self._call(super().get, _MISSING, key, _MISSING)
        if found is not _MISSING:
            self._answered()
        return default if found is _MISSING else found

    def get_many(self, keys):
        return self._call(super().get_many, {}, keys)

    def has_key(self, key):
        return self._call(super().has_key, False, key)

    def add(self, key, value, timeout):
        return self._call(super().add, False, key, value, timeout)

    def set(self, key, value, timeout):
        self._call(super().set, None, key, value, timeout)

    def set_many(self, data, timeout):
        self._call(super().set_many, None, data, timeout)

    def touch(self, key, timeout):
        return self._call(super().touch, False, key, timeout)

    def delete(self, key):
        return self._call(super().delete, False, key)

    def delete_many(self, keys):
        self._call(super().delete_many, None, keys)

    def clear(self):
        return self._call(super().clear, False)


_MISSING = object()


class FailSafeRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` whose failures are misses (see the module)."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("RETRY_SECONDS", DEFAULT_RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": {**options, "retry_seconds": retry_seconds}})
        self._class = FailSafeRedisCacheClient


def reset_outages() -> None:
    """Forget every recorded outage (tests)."""
    with _lock:
        _down_until.clear()
