from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from sli_portal import sessions

        from . import rules  # noqa: F401  (registers permissions)
        from .cache import refresh_on_login
        from .selectors import unread_rows_sql

        user_logged_in.connect(refresh_on_login, dispatch_uid="notifications_unread_on_login")
        # The header's number, counted in the query that reads the session (no query of its own).
        sessions.read_with_session("notifications_unread", unread_rows_sql)

        from sli_portal import scale

        from .seed.scale import seed_notifications

        scale.register(seed_notifications, order=90)
