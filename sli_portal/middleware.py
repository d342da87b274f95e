"""Response headers Django does not set itself (the Content-Security-Policy is django-csp's), and
the outbox sweep `make run` needs without a beat."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

# Browser features the portal never uses, denied to it and to anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: private, no-store` on every response
    to a signed-in user, so pages naming people are kept by no shared cache and no browser history
    cache. Anonymous public pages keep their caching; static files are served before this runs
    (WhiteNoise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class EagerOutboxSweepMiddleware:
    """With no broker (`make run`: Celery runs each task inside the request) there is no beat to
    send an email held for a while, such as a cancellation kept back for its undo window
    (EVENTS_UNDO_MINUTES). So after a response, at most once a minute per process, deliver every
    outbox email that has come due. Installed only when CELERY_TASK_ALWAYS_EAGER (settings)."""

    INTERVAL_SECONDS = 60.0

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.last_sweep: float | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        now = time.monotonic()
        if self.last_sweep is None or now - self.last_sweep >= self.INTERVAL_SECONDS:
            self.last_sweep = now
            from sli_portal import outbox  # the app registry is ready by the first request

            try:
                outbox.sweep()
            except Exception:  # the page has been served; a failed sweep is retried next minute
                logger.exception("Outbox sweep after a request failed")
        return response
