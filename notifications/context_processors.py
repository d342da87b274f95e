from sli_portal import sessions

from .selectors import unread_count


def unread_notifications(request):
    """`notifications_unread` for the header: counted with the session and user in the request's
    first query (sli_portal.sessions) when it was; else a callable (the template engine calls it
    on first use) reading the cached count (notifications/cache.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = sessions.counted(request, "notifications_unread")
    if counted is not None:
        return {"notifications_unread": counted}
    return {"notifications_unread": lambda: unread_count(user=user)}
