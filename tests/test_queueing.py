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


def test_a_call_already_waiting_for_this_commit_is_not_queued_twice(
    db, django_capture_on_commit_callbacks
):
    from sli_portal.queueing import enqueue_once_on_commit

    task = _task()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_once_on_commit(task, 1, 2)
        enqueue_once_on_commit(task, 1, 2)
        enqueue_once_on_commit(task, 1, 3)
    assert [c.kwargs["args"] for c in task.apply_async.call_args_list] == [(1, 2), (1, 3)]


def test_a_call_rolled_back_with_its_savepoint_is_queued_again(
    db, django_capture_on_commit_callbacks
):
    from sli_portal.queueing import enqueue_once_on_commit

    task = _task()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                enqueue_once_on_commit(task, 7)
                raise RuntimeError("the approval failed")
        except RuntimeError:
            pass
        enqueue_once_on_commit(task, 7)
    assert [c.kwargs["args"] for c in task.apply_async.call_args_list] == [(7,)]
