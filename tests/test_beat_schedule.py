from django.conf import settings

from sli_portal import celery_app


def test_every_periodic_entry_names_a_registered_task():
    celery_app.loader.import_default_modules()
    unknown = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in celery_app.tasks
    }
    assert not unknown, f"beat entries naming no task: {unknown}"
