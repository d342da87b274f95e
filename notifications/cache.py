"""The header's unread count, cached per person (Redis in production), so a page's header costs
no query.

Key `notifications:unread:<user id>`, kept for CACHE_SECONDS. It is written through, never left
stale: every write that changes a person's unread count (a notification recorded for them, one
or all marked read) recounts their number once its transaction commits (one grouped query over
the partial index `notification_unread`) and stores it (`refresh_unread_after_commit`); signing
in stores it too. Before the commit nobody else can see the new rows, so the number cached until
then is still right for them. A miss (first page after the timeout, or the cache was
unreachable) counts with one indexed query and stores the result.
"""

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 60 * 60


def unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def cached_unread(user_id: int) -> int | None:
    try:
        return cache.get(unread_key(user_id))
    except Exception:  # the cache is down: count from the database
        logger.warning("Cache unavailable for the unread count", exc_info=True)
        return None


def _store(counts: dict[int, int]) -> None:
    try:
        cache.set_many({unread_key(pk): n for pk, n in counts.items()}, CACHE_SECONDS)
    except Exception:
        logger.warning("Cache unavailable for the unread count", exc_info=True)
        try:  # a number we could not replace must not outlive the outage
            cache.delete_many([unread_key(pk) for pk in counts])
        except Exception:
            logger.warning("Cache unavailable: unread counts may be stale", exc_info=True)


def count_unread(user_ids: Iterable[int]) -> dict[int, int]:
    from .models import Notification

    ids = sorted(set(user_ids))
    counts = dict.fromkeys(ids, 0)
    rows = (
        Notification.objects.filter(recipient_id__in=ids, read_at__isnull=True)
        .values_list("recipient_id")
        .annotate(n=Count("pk"))
    )
    counts.update(dict(rows))
    return counts


def refresh_unread(user_ids: Iterable[int]) -> None:
    ids = sorted(set(user_ids))
    if ids:
        _store(count_unread(ids))


def remember_unread(user_id: int, count: int) -> None:
    _store({user_id: count})


def refresh_unread_after_commit(user_ids: Iterable[int]) -> None:
    ids = frozenset(user_ids)
    if ids:
        transaction.on_commit(lambda: refresh_unread(ids))


def refresh_on_login(sender, request, user, **kwargs) -> None:
    """Signing in stores the person's number, so their pages' headers read it from the cache."""
    refresh_unread([user.pk])
