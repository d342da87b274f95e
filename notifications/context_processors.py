from .selectors import unread_count


def unread_notifications(request):
    """`notifications_unread` for the header, counted only if a template shows it (a callable:
    the template engine calls it on first use)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": lambda: unread_count(user=user)}
