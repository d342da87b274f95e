"""What a signed-in user is responsible for, loaded once per request and cached across requests.

Every permission predicate and every selector that filters by "what may this user see" reads
this instead of querying memberships again.

Across requests the scope is cached, in each process's memory and in Redis, under the user's
`scope_token`, which is replaced in the same transaction as any change to their memberships (the
signals below and `forget_user_scope` in the services), so the next request reads the new scope.
The user row itself is read every request by Django's authentication, so the token costs no
query, and whether the user is an administrator comes from that row, never from a cache. With
Redis down the memberships are read from the database (one query), as before.
"""

import functools
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache

from sli_portal.access import is_admin

from .models import Membership, Role

_CACHE_ATTR = "_sli_scope"
SCOPE_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class UserScope:
    is_admin: bool = False
    managed_region_ids: frozenset[int] = frozenset()
    # la_id -> set of roles held in that LA
    la_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    # la_id -> region_id for the LAs above
    la_region_ids: dict[int, int] = field(default_factory=dict)
    positions: frozenset[str] = frozenset()
    # Regions the user works with as a partner (not "in" them: partners read only what a
    # region opens to them, by rules that name `is_partner_of`).
    partner_region_ids: frozenset[int] = frozenset()

    @property
    def la_ids(self) -> frozenset[int]:
        return frozenset(self.la_roles)

    @property
    def region_ids(self) -> frozenset[int]:
        """Regions the user belongs to in any role."""
        return self.managed_region_ids | frozenset(self.la_region_ids.values())

    def las_with_role(self, role: str) -> frozenset[int]:
        return frozenset(la_id for la_id, roles in self.la_roles.items() if role in roles)

    def has_la_role(self, la_id: int, *roles: str) -> bool:
        held = self.la_roles.get(la_id, frozenset())
        return bool(held & set(roles)) if roles else bool(held)

    def manages_region(self, region_id: int) -> bool:
        return region_id in self.managed_region_ids

    def in_region(self, region_id: int) -> bool:
        return region_id in self.region_ids

    @property
    def is_programme_manager(self) -> bool:
        return bool(self.managed_region_ids)


EMPTY_SCOPE = UserScope()


def user_scope(user) -> UserScope:
    if user is None or not user.is_authenticated:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    token = getattr(user, "scope_token", None)
    if token is None:  # not a saved portal user (e.g. built in a test): no cache
        scope = _scope_from(is_admin(user), _membership_rows(user.pk, None))
    else:
        scope = _cached_scope(user.pk, token, is_admin(user))
    setattr(user, _CACHE_ATTR, scope)
    return scope


@functools.lru_cache(maxsize=4096)
def _cached_scope(user_id: int, token: uuid.UUID, admin: bool) -> "UserScope":
    """This process's copy: safe because the token comes from the user row, read every request."""
    return _scope_from(admin, _membership_rows(user_id, token))


def _membership_rows(user_id: int, token: uuid.UUID | None) -> list[tuple]:
    """From the shared cache (Redis) under the token, else the database."""
    key = f"scope:v1:{user_id}:{token}" if token else None
    rows = cache.get(key) if key else None
    if rows is None:
        rows = list(
            Membership.objects.filter(user_id=user_id).values_list(
                "role", "region_id", "local_authority_id", "local_authority__region_id", "position"
            )
        )
        if key:
            cache.set(key, rows, SCOPE_CACHE_SECONDS)
    return rows


def _scope_from(admin: bool, rows: list[tuple]) -> UserScope:
    managed: set[int] = set()
    la_roles: dict[int, set[str]] = {}
    la_region_ids: dict[int, int] = {}
    positions: set[str] = set()
    partner: set[int] = set()
    for role, region_id, la_id, la_region_id, position in rows:
        if role == Role.PROGRAMME_MANAGER:
            managed.add(region_id)
        elif role == Role.PARTNER:
            partner.add(region_id)
        else:
            la_roles.setdefault(la_id, set()).add(role)
            la_region_ids[la_id] = la_region_id
        if position:
            positions.add(position)
    return UserScope(
        is_admin=admin,  # one meaning everywhere: an active superuser (from the user row)
        managed_region_ids=frozenset(managed),
        la_roles={la_id: frozenset(roles) for la_id, roles in la_roles.items()},
        la_region_ids=la_region_ids,
        positions=frozenset(positions),
        partner_region_ids=frozenset(partner),
    )


def scope_changed(user_ids) -> uuid.UUID:
    """These users' memberships changed: their cached scopes are no longer read (new token)."""
    from accounts.models import User

    token = uuid.uuid4()
    User.objects.filter(pk__in=list(user_ids)).update(scope_token=token)
    return token


def forget_user_scope(user) -> None:
    """Call after changing a user's memberships: the next `user_scope(user)`, in this request or
    the next, reads them afresh."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    if getattr(user, "pk", None) is not None and hasattr(user, "scope_token"):
        user.scope_token = scope_changed([user.pk])


def membership_saved_or_deleted(sender, instance: Membership, **kwargs) -> None:
    """Signal receiver (regions.apps): any membership written, by a service, the admin or a
    script, replaces its user's token in the same transaction."""
    token = scope_changed([instance.user_id])
    if Membership.user.is_cached(instance):  # type: ignore[attr-defined]
        user = instance.user
        user.scope_token = token
        if hasattr(user, _CACHE_ATTR):
            delattr(user, _CACHE_ATTR)


def local_authority_saved(sender, instance, **kwargs) -> None:
    """An LA may have moved region: its members' scopes name the LA's region."""
    from accounts.models import User

    scope_changed(
        User.objects.filter(memberships__local_authority=instance).values_list("pk", flat=True)
    )
