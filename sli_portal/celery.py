import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sli_portal.settings")

app = Celery("sli_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def sweep_outbox_when_a_worker_starts(sender, **kwargs):
    """A worker coming back (after Redis or the worker itself was down) sends what waited at
    once, not at the next periodic sweep."""
    from sli_portal.outbox import sweep_task

    sweep_task.delay()
