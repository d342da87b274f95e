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
    nav = []
    for label, url in items:
        active = url == current or (url != "/" and current.startswith(url))
        nav.append({"label": label, "url": url, "active": active})
    return {"nav_items": nav, "user_scope": scope}
