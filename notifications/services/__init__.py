from .digests import digests_record
from .notifications import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
    preference_set,
)

__all__ = [
    "digests_record",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notify",
    "preference_set",
]
