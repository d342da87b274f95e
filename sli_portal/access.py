"""The one way to ask "may this actor do this?", for services, views, tasks and commands.

Permissions are `rules` predicates registered per app in `<app>/rules.py` (state checks such as
"only while open" included). Everything here reads them the same way:

- `require(actor, "app.perm", obj)` raises `PermissionDenied` unless the actor may. Every public
  service write calls it first, so a task, a command or a future API is as safe as a view.
- `fetch(actor, queryset, see=..., act=..., pk=...)` is how views get an object for a user:
  404 when they may not see it (outsiders learn nothing, not even that it exists), 403 when
  they see it but may not do this.
- `SYSTEM` is the portal acting for itself (scheduled jobs, commands, demo data). It is never
  `None`, so "nobody is signed in" cannot be mistaken for "the system".
- Administrator means one thing everywhere: an active superuser, and only where a rule says
  `is_admin`. There is no hidden superuser shortcut: `rules.py` is the whole truth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import rules
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

M = TypeVar("M", bound=Model)


class System:
    """The portal itself, acting on a schedule or a command: allowed every permission."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    pk = None
    email = ""

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "the portal"


SYSTEM = System()


@rules.predicate
def is_admin(user: User | AnonymousUser | System) -> bool:
    """An administrator: an active superuser. Rules grant admins what they may do explicitly."""
    return bool(
        user is not None
        and not isinstance(user, System)
        and user.is_authenticated
        and user.is_active
        and user.is_superuser
    )


def user_of(actor: User | System) -> User | None:
    """The person to record as having done something (None for the portal itself)."""
    return None if isinstance(actor, System) else actor


def can(actor: User | AnonymousUser | System | None, perm: str, obj: Any = None) -> bool:
    """True if the actor may; never raises. Unknown permission names are a programming error."""
    if not rules.perm_exists(perm):
        raise ImproperlyConfigured(f"No rule is registered for the permission {perm!r}.")
    if isinstance(actor, System):
        return True
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return rules.has_perm(perm, actor, obj)


def require(actor: User | AnonymousUser | System | None, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) unless the actor may do `perm` on `obj`."""
    if not can(actor, perm, obj):
        raise PermissionDenied(f"Not allowed: {perm}.")


def require_visible(
    actor: User | AnonymousUser | System | None, obj: M, *, see: str, act: str | None = None
) -> M:
    """For an object already loaded: 404 if the actor may not see it, 403 if they see it but
    may not `act` on it. Returns the object."""
    if not can(actor, see, obj):
        raise Http404
    if act is not None:
        require(actor, act, obj)
    return obj


def fetch(
    actor: User | AnonymousUser | System | None,
    queryset: QuerySet[M] | type[M],
    *,
    see: str,
    act: str | None = None,
    **lookup: Any,
) -> M:
    """Get one object for a user: 404 when it does not exist or they may not see it, 403 when
    they see it but may not `act` on it."""
    obj = get_object_or_404(queryset, **lookup)
    return require_visible(actor, obj, see=see, act=act)
