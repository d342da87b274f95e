"""sli_portal.frame: a per-user value in the frame is computed once, and again after a change."""

from sli_portal import frame


def test_a_per_user_value_is_computed_once_then_again_after_forget(
    world, django_capture_on_commit_callbacks
):
    user = world.users["dcs"]
    calls = []

    def count():
        calls.append(1)
        return len(calls) * 10

    with django_capture_on_commit_callbacks(execute=True):
        frame.forget_per_user(user.pk, "unread-test")  # a value left by an earlier run
    assert frame.per_user(user, "unread-test", count) == 10
    assert frame.per_user(user, "unread-test", count) == 10
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        frame.forget_per_user(user.pk, "unread-test")
        assert frame.per_user(user, "unread-test", count) == 10  # not before the commit
    assert len(callbacks) == 1
    assert frame.per_user(user, "unread-test", count) == 20
    assert len(calls) == 2
