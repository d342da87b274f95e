"""Approving a return rebuilds the region's reports: the `return_approved` signal's receiver
queues one rebuild per region and period after commit, however many approvals one transaction
holds (the demo approves a hundred in one)."""

import contextlib

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from benchmarking.models import Return
from benchmarking.services.reports import REBUILD_TASK
from benchmarking.signals import return_approved

pytestmark = pytest.mark.django_db(transaction=False)


def _rebuilds(callbacks):
    return [c.args[:2] for c in callbacks if getattr(c, "args", ())[:1] == (REBUILD_TASK,)]


def _approved(world, reports):
    return list(
        Return.objects.filter(period=reports["q1"], local_authority__region=world.region)
        .select_related("local_authority")
        .order_by("pk")
    )


def test_approvals_in_one_transaction_queue_one_rebuild(
    django_capture_on_commit_callbacks, world, reports
):
    pm = world.users["programme_manager"]
    returns = _approved(world, reports)
    assert len(returns) > 1
    with django_capture_on_commit_callbacks() as callbacks:
        for ret in returns:
            return_approved.send(sender=Return, return_obj=ret, actor=pm)
    assert _rebuilds(callbacks) == [(REBUILD_TASK, (world.region.pk, reports["q1"].pk))]


def test_a_rolled_back_approval_does_not_swallow_the_next_rebuild(
    django_capture_on_commit_callbacks, world, reports
):
    pm = world.users["programme_manager"]
    first, second = _approved(world, reports)[:2]
    with django_capture_on_commit_callbacks() as callbacks:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            return_approved.send(sender=Return, return_obj=first, actor=pm)
            raise RuntimeError("the approval fails after the signal")
        return_approved.send(sender=Return, return_obj=second, actor=pm)
    assert _rebuilds(callbacks) == [(REBUILD_TASK, (world.region.pk, reports["q1"].pk))]


def test_only_an_approval_by_someone_who_may_approve_queues_a_rebuild(
    django_capture_on_commit_callbacks, world, reports
):
    ret = _approved(world, reports)[0]
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        return_approved.send(sender=Return, return_obj=ret, actor=world.users["outsider"])
    assert _rebuilds(callbacks) == []
