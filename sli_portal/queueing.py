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


def enqueue_once_on_commit(task: Task | str, *args: Any, **kwargs: Any) -> None:
    """Like `enqueue_on_commit`, but a call the open transaction already holds for after its
    commit is not added again (e.g. one report rebuild per region and period, however many
    returns a transaction approves). Reads Django's list of on-commit callbacks, which holds
    exactly what `enqueue_on_commit` put there; a rolled-back savepoint takes its callbacks
    with it, so nothing is skipped that would not run."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        wanted = (task, args, kwargs)
        for _savepoints, callback, *_robust in connection.run_on_commit:
            if (
                isinstance(callback, partial)
                and callback.func is _publish
                and callback.args == wanted
            ):
                return
    enqueue_on_commit(task, *args, **kwargs)
