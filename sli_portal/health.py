"""Container healthchecks for the processes that have no HTTP port.

    python -m sli_portal.health beat

exits 0 while beat is sending its schedule: the outbox sweep, due every minute, was sent in the
last BEAT_STALE (django-celery-beat writes `last_run_at` back every few minutes), and 1 otherwise.
The worker's check is `celery inspect ping`; the web's is GET /healthz.
"""

import os
import sys
from datetime import timedelta

BEAT_STALE = timedelta(minutes=8)
HEARTBEAT_ENTRY = "outbox-sweep"


def beat_is_alive() -> bool:
    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.filter(
        name=HEARTBEAT_ENTRY, last_run_at__gte=timezone.now() - BEAT_STALE
    ).exists()


def main(argv: list[str]) -> int:
    if argv[1:] != ["beat"]:
        print("usage: python -m sli_portal.health beat", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sli_portal.settings")
    import django

    django.setup()
    alive = beat_is_alive()
    print("beat: ok" if alive else f"beat: {HEARTBEAT_ENTRY!r} not sent in {BEAT_STALE}")
    return 0 if alive else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
