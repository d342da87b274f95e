"""Sessions read from the cache (Redis) with the database as the record: no query per request.

`SESSION_ENGINE = "sli_portal.sessions"` when Redis is configured (settings.py). It is Django's
`cached_db` store with two changes:

- Redis failing costs speed, never a 500: the cache backend (`sli_portal.cache.FailSafeRedisCache`)
  answers a failed read as a miss, so the session is read from the database, and drops a failed
  write (Django's own cached_db re-raises a cache error from `load()` and `delete()`).
- The cached copy lives at most `SESSION_CACHE_SECONDS` (default 5 minutes), not the session's
  two weeks. The database row is the truth: signing out deletes it at once. The cached copy is
  deleted too, but if Redis was unreachable at that moment and later comes back with its data,
  the old copy could be read until it expires. The cap bounds that window to minutes.

Why not signed-cookie sessions (no server state at all): a signed cookie cannot be revoked by the
server, so "sign out" would only forget the cookie in that browser; a copied cookie would stay
valid for its whole age, and session data would be readable by the client. Password changes and
deactivation are immediate with either, because the user row is read every request and Django
checks the session's password hash against it.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches


class _ShortLivedCopies:
    """The cache as cached_db uses it, with every copy kept at most `seconds`."""

    def __init__(self, cache, seconds: int):
        self._cache, self._seconds = cache, seconds

    def get(self, key, default=None):
        return self._cache.get(key, default)

    def set(self, key, value, timeout):
        self._cache.set(key, value, min(int(timeout), self._seconds))

    def delete(self, key):
        return self._cache.delete(key)

    def __contains__(self, key):
        return key in self._cache

    def __str__(self):
        return str(self._cache)

    def __getattr__(self, name):  # anything else (e.g. the async API) as the cache has it
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _ShortLivedCopies(
            caches[settings.SESSION_CACHE_ALIAS], getattr(settings, "SESSION_CACHE_SECONDS", 300)
        )
