"""sli_portal.frame: a per-user value in the frame is computed once, and again after a change."""

import pytest
from django.db import transaction

from sli_portal import frame

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_per_user_value_is_computed_once_then_again_after_forget(world):
    user = world.users["dcs"]
    calls = []

    def count():
        calls.append(1)
        return len(calls) * 10

    frame.forget_per_user(user.pk, "unread-test")  # autocommit: deleted at once
    assert frame.per_user(user, "unread-test", count) == 10
    assert frame.per_user(user, "unread-test", count) == 10
    with transaction.atomic():
        frame.forget_per_user(user.pk, "unread-test")
        assert frame.per_user(user, "unread-test", count) == 10  # not before the commit
    assert frame.per_user(user, "unread-test", count) == 20
    assert len(calls) == 2
