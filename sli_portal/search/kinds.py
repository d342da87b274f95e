"""Helpers the apps' search kinds share: the regions a user may search in, and keeping only
the hits whose page the user may open."""

from collections.abc import Callable, Iterable
from typing import Any

from sli_portal.access import can

# Candidates read per kind before the per-object permission check (then cut to the limit).
OVERSAMPLE = 3


def visible(
    user, rows: Iterable[Any], perm: str, limit: int, *, subject: Callable[[Any], Any] = lambda r: r
) -> list[Any]:
    """The rows whose page the user may open (`perm` on `subject(row)`), at most `limit`."""
    kept = []
    for row in rows:
        if can(user, perm, subject(row)):
            kept.append(row)
            if len(kept) == limit:
                break
    return kept
