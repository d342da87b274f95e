from unittest import mock

from django.db import transaction

from sli_portal.queueing import enqueue_on_commit


def _task():
    task = mock.Mock()
    task.name = "demo.task"
    return task


def test_each_call_is_published_after_commit(db, django_capture_on_commit_callbacks):
    task = _task()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(task, 1)
        enqueue_on_commit(task, 1)
    assert task.apply_async.call_count == 2


def test_broker_down_does_not_fail_the_request(db, django_capture_on_commit_callbacks, caplog):
    from kombu.exceptions import OperationalError

    task = _task()
    task.apply_async.side_effect = OperationalError("Connection refused")
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(task, 5)
    assert "left for the periodic sweep" in caplog.text
