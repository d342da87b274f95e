from django.urls import reverse

from regions.scope import user_scope
from sli_portal.memo import ProcessMemo


def navigation(request):
    """The main navigation, by role: what this person can use, nothing they cannot.

    Built from the user's scope and flags only, so each process keeps it per scope token (see
    regions.scope): a role change gives the user a new token and a new navigation on their next
    request. Navigation providers (sli_portal.navigation) must depend on nothing else.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_key": None}
    scope = user_scope(user)
    token = getattr(user, "scope_token", None)
    items = _items(user, scope) if token is None else _cached_items(user, token, scope)
    current = request.path
    # The entry whose URL is the longest prefix of this page is the current one (so a page under
    # /benchmarking/reports/ marks "Reports", not also "Data returns" at /benchmarking/).
    matches = [
        url for _, url in items if url == current or (url != "/" and current.startswith(url))
    ]
    active_url = max(matches, key=len, default=None)
    nav = [{"label": label, "url": url, "active": url == active_url} for label, url in items]
    # Everything the navigation shows, hashable: base.html's {% frame_cache %} varies on it.
    return {"nav_items": nav, "nav_key": (items, active_url), "user_scope": scope}


def _items(user, scope) -> tuple[tuple[str, str], ...]:
    from sli_portal import navigation as nav_registry

    items = [
        ("Dashboard", reverse("dashboard")),
        ("Local authorities", reverse("regions:la_list")),
        ("Regions", reverse("regions:region_list")),
    ]
    items.extend(nav_registry.items_for(user, scope))
    if scope.is_admin or user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    return tuple(items)


# (user id, scope token, is admin, is staff) -> items, this process's copy; bounded.
_items_by_token = ProcessMemo(max_items=4096)


def _cached_items(user, token, scope) -> tuple[tuple[str, str], ...]:
    key = (user.pk, token, scope.is_admin, user.is_staff)
    items = _items_by_token.get(key)
    if items is None:
        items = _items(user, scope)
        _items_by_token.set(key, items)
    return items
