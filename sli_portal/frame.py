"""Per-user values shown in every page's frame (e.g. the header's unread-notifications count),
kept in the cache so the frame stays at one query (the session with its user row:
sli_portal/sessions.py) on a warm cache.

    count = frame.per_user(request.user, "unread", lambda: Notification.objects.unread(user).count())
    ...
    frame.forget_per_user(user_id, "unread")   # in the service that creates or reads one

`forget_per_user` deletes the cached value once the writing transaction commits, so the next
request counts again. The value also expires after `timeout` seconds (default 60): if Redis was
unreachable at the moment of the delete, a stale count lasts at most that long. With Redis down
every request computes the value (one query): slower, never an error (sli_portal.cache).
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
DEFAULT_TIMEOUT = 60


def _key(name: str, user_id: int) -> str:
    return f"frame:{name}:{user_id}"


def per_user(user, name: str, compute: Callable[[], T], *, timeout: int = DEFAULT_TIMEOUT) -> T:
    key = _key(name, user.pk)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout)
    return found


def forget_per_user(user_id: int, name: str) -> None:
    transaction.on_commit(lambda: cache.delete(_key(name, user_id)))
