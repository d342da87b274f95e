from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import rules  # noqa: F401  (registers permissions)
        from .cache import refresh_on_login

        user_logged_in.connect(refresh_on_login, dispatch_uid="notifications_unread_on_login")

        from sli_portal import scale

        from .seed.scale import seed_notifications

        scale.register(seed_notifications, order=90)
