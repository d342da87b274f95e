"""What a signed-in user is responsible for, loaded once per request.

Every permission predicate and every selector that filters by "what may this user see" reads
this instead of querying memberships again.
"""

from dataclasses import dataclass, field

from sli_portal.access import is_admin

from .models import Membership, Role

_CACHE_ATTR = "_sli_scope"


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
    managed: set[int] = set()
    la_roles: dict[int, set[str]] = {}
    la_region_ids: dict[int, int] = {}
    positions: set[str] = set()
    partner: set[int] = set()
    rows = Membership.objects.filter(user_id=user.pk).values_list(
        "role", "region_id", "local_authority_id", "local_authority__region_id", "position"
    )
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
    scope = UserScope(
        is_admin=is_admin(user),  # one meaning everywhere: an active superuser
        managed_region_ids=frozenset(managed),
        la_roles={la_id: frozenset(roles) for la_id, roles in la_roles.items()},
        la_region_ids=la_region_ids,
        positions=frozenset(positions),
        partner_region_ids=frozenset(partner),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_user_scope(user) -> None:
    """Call after changing a user's memberships within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
