from django.urls import reverse

from regions.scope import user_scope


def navigation(request):
    """The main navigation, by role: what this person can use, nothing they cannot."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = user_scope(user)
    items = [
        ("Dashboard", reverse("dashboard")),
        ("Local authorities", reverse("regions:la_list")),
        ("Regions", reverse("regions:region_list")),
    ]
    from sli_portal import navigation as nav_registry

    items.extend(nav_registry.items_for(user, scope))
    if scope.is_admin or user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    current = request.path
    # The entry whose URL is the longest prefix of this page is the current one (so a page under
    # /benchmarking/reports/ marks "Reports", not also "Data returns" at /benchmarking/).
    matches = [
        url for _, url in items if url == current or (url != "/" and current.startswith(url))
    ]
    active_url = max(matches, key=len, default=None)
    nav = [{"label": label, "url": url, "active": url == active_url} for label, url in items]
    return {"nav_items": nav, "user_scope": scope}
