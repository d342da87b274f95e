"""Queue Celery tasks after the transaction commits, without failing the user's request when
the broker is down.

Every task queued this way must have a durable record of what is still to do (e.g. an email's
`sent_at` is empty) and a periodic sweep that queues it again, so nothing is lost while Redis is
away and nothing is sent twice when it comes back.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _publish(task, args, kwargs):
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning(
            "Broker unavailable; %s%r left for the periodic sweep: %s", task.name, args, exc
        )


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(partial(_publish, task, args, kwargs))
