import pytest
from django.core import mail

from tests.benchmarking.conftest import indicators, quarter  # noqa: F401  (fixtures)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a write as if its request committed (on-commit work runs: the outbox delivers
    eagerly) and return the emails it sent as (to, subject) pairs."""

    def run(write, *args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = write(*args, **kwargs)
        return result

    return run


def inbox_of(user) -> list[tuple[str, str]]:
    return list(user.notifications.order_by("pk").values_list("kind", "occasion"))


def emailed() -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in mail.outbox)
