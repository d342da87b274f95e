from .notifications import Delivery, Notification, NotificationDigest, NotificationPreference

__all__ = ["Delivery", "Notification", "NotificationDigest", "NotificationPreference"]
