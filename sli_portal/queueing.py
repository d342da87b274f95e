"""Queue Celery tasks after the transaction commits, without failing the user's request when
the broker is down.

Every task queued this way must have a durable record of what is still to do (e.g. an outbox
row still pending) and a periodic sweep that queues it again, so nothing is lost while Redis is
away and nothing is sent twice when it comes back.

Services name the task by its dotted path ("benchmarking.tasks.run_report_build"), so a
services module never imports its app's tasks module and no services <-> tasks circle forms.
"""

import logging
from functools import partial
from typing import Any

from celery import Task
from django.db import transaction
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _publish(task_or_path: Task | str, args: tuple, kwargs: dict) -> None:
    task: Task = import_string(task_or_path) if isinstance(task_or_path, str) else task_or_path
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning(
            "Broker unavailable; %s%r left for the periodic sweep: %s", task.name, args, exc
        )


def enqueue_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """Publish `task` (a task or its dotted path) once the current transaction commits."""
    transaction.on_commit(partial(_publish, task, args, kwargs))
